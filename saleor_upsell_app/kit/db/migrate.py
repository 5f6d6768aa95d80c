"""Apply alembic migrations from code (used by `saleor-upsell migrate`, `serve` and the tests).

Alembic is imported only when a migration may be due: a command on a database that is already at the
code's head revision (read from the version files, without alembic) starts without it.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

    from . import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade_to_head(database_url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")


async def upgrade_to_head_async(database_url: str) -> None:
    # env.py runs its own event loop, so keep it off the caller's loop.
    await asyncio.to_thread(upgrade_to_head, database_url)


def code_head() -> str | None:
    """The head revision of the version files (the one no other revision names as its parent), or None
    when that is not one plain revision (then alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        values = {}
        for node in ast.parse(path.read_text()).body:
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(value)
        if not isinstance(values.get("revision"), str):
            return None
        revisions.add(values["revision"])
        parent = values.get("down_revision")
        parents.update([parent] if isinstance(parent, str) else list(parent or ()))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def database_revision(db: Database) -> str | None:
    """The revision the database is at (None: not migrated yet, or several branches)."""
    try:
        async with db.read() as session:
            rows = (await session.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except DBAPIError:  # no alembic_version table yet
        return None
    return str(rows[0]) if len(rows) == 1 else None


async def upgrade_if_behind(db: Database, database_url: str) -> None:
    head = code_head()
    if head is None or await database_revision(db) != head:
        await upgrade_to_head_async(database_url)
