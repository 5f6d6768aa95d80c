"""The start-up fast path: the head read from the version files is alembic's head; a database at that
head is left alone (alembic is not run), a database behind it is migrated."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.script import ScriptDirectory

from saleor_upsell_app.kit.db import Database
from saleor_upsell_app.kit.db.migrate import alembic_config, code_head, database_revision, upgrade_if_behind


def test_code_head_is_alembics_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert heads == [code_head()]


async def test_upgrade_only_when_behind(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert await database_revision(db) is None  # never migrated: no alembic_version table
        await upgrade_if_behind(db, db_url)
        assert await database_revision(db) == code_head()

        # At head, alembic is not run: given a URL alembic could not even parse, nothing fails.
        await upgrade_if_behind(db, "not a database url")

        await asyncio.to_thread(command.downgrade, alembic_config(db_url), "-1")
        assert await database_revision(db) not in (None, code_head())
        await upgrade_if_behind(db, db_url)
        assert await database_revision(db) == code_head()
    finally:
        await db.dispose()
