"""`saleor-upsell` command line: serve, migrate, inbox, rules, orders, mine, report."""

from __future__ import annotations

from . import inbox, mine, orders, report, rules, serve

app = serve.app
app.add_typer(inbox.app, name="inbox", help="Look at and retry events in the durable inbox.")
app.add_typer(rules.app, name="rules", help="Import and list offer rules.")
app.add_typer(orders.app, name="orders", help="Import past orders from Saleor (resumable).")
app.add_typer(mine.app, name="mine", help="Mine pair suggestions from the stored orders.")
app.add_typer(report.app, name="report", help="Weekly digest of offers: acceptance, revenue, lift.")
