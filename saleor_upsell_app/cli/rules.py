"""`saleor-upsell rules import FILE` / `rules list`: manage rules before (or beside) the dashboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from .common import ApiUrlOption, PlainUsage, cli_parts, pick_installation, run

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)


def _load(path: Path) -> list[Any]:
    import yaml

    text = path.read_text()
    data = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    return data if isinstance(data, list) else [data]


@app.command("import", cls=PlainUsage)
def import_file(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, metavar="FILE", help="A JSON or YAML file of rules."
    ),
    saleor_api_url: str | None = ApiUrlOption,
) -> None:
    """Validate and store every rule in FILE (nothing is stored if any rule is invalid). A rule whose
    name a stored rule has updates it; importing the same file again never duplicates rules."""
    import yaml

    from ..rules import service as rules
    from ..rules.service import InvalidRule

    try:
        specs = _load(file)
    except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {file} is not a JSON or YAML file of rules: {exc}", err=True)
        raise typer.Exit(1) from exc

    async def main() -> None:
        async with cli_parts() as parts:
            installation = await pick_installation(parts, saleor_api_url)
            try:
                async with parts.db.transaction() as session:
                    stored = await rules.import_rules(session, installation.id, specs, parts.clock())
            except InvalidRule as exc:
                for error in exc.errors:
                    typer.echo(f"error: {error.field}: {error.message}", err=True)
                raise typer.Exit(1) from exc
            for item in stored:
                rule = item.rule
                done = "updated" if item.updated else "imported"
                typer.echo(f"{done} #{rule.id} {rule.kind} {rule.spec.name!r}")

    run(main)


@app.command("list")
def list_rules(saleor_api_url: str | None = ApiUrlOption) -> None:
    """List the installation's rules."""
    from ..rules import service as rules

    async def main() -> None:
        async with cli_parts() as parts:
            installation = await pick_installation(parts, saleor_api_url)
            async with parts.db.read() as session:
                stored = await rules.list_rules(session, installation.id)
            if not stored:
                typer.echo("no rules yet: see examples/rules.yaml and `saleor-upsell rules import`")
            for rule in stored:
                state = "on " if rule.spec.enabled else "off"
                typer.echo(
                    f"#{rule.id:<5} {state} {rule.kind:<13} prio {rule.spec.priority:<4} {rule.spec.name}"
                )

    run(main)
