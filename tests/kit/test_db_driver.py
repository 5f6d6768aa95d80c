"""Database.driver (PostgreSQL's per-event path): its statements commit on their own, and driver errors
come out as SQLAlchemy's, so the workers tell a database away from a failing statement as before."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from saleor_upsell_app.kit.db import DATABASE_UNAVAILABLE, Database, is_disconnect
from tests.conftest import postgres_database

pytestmark = pytest.mark.postgres


async def test_each_statement_commits_and_a_failing_one_is_an_sqlalchemy_error() -> None:
    async with postgres_database() as url:
        db = Database(url)
        try:
            async with db.driver() as connection:
                await connection.execute("CREATE TABLE t (id integer PRIMARY KEY)")
                await connection.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(IntegrityError) as raised:
                async with db.driver() as connection:
                    await connection.execute("INSERT INTO t VALUES (1)")
            assert not is_disconnect(raised.value)
            async with db.driver() as connection:  # the connection went back to the pool usable
                assert await connection.fetchval("SELECT count(*) FROM t") == 1
        finally:
            await db.dispose()


async def test_a_connection_that_died_is_a_disconnect_and_is_not_reused() -> None:
    async with postgres_database() as url:
        db = Database(url)
        try:
            with pytest.raises(DBAPIError) as raised:
                async with db.driver() as connection:
                    await connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            assert isinstance(raised.value, DATABASE_UNAVAILABLE) and is_disconnect(raised.value)
            async with db.driver() as connection:  # a fresh connection, not the dead one
                assert await connection.fetchval("SELECT 1") == 1
        finally:
            await db.dispose()
