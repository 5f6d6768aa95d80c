"""Mining as a service: stored orders → pair suggestions (or cold-start fallbacks) → `suggestions` rows."""
