"""`saleor-upsell` command line: serve, migrate, inbox, rules, orders, mine, report."""

from __future__ import annotations

from . import inbox, rules, serve

app = serve.app
app.add_typer(inbox.app, name="inbox", help="Look at and retry events in the durable inbox.")
app.add_typer(rules.app, name="rules", help="Import and list offer rules.")
