"""Insights: event log, order history, suggestions, social proof, analytics and experiments."""
