"""Database engine and units of work (SQLAlchemy 2, async): SQLite by default, PostgreSQL in production.

A use case gets a session from :meth:`Database.transaction` (one transaction, committed when the block
ends) or :meth:`Database.read` (no transaction of its own to commit), and hands it to the repositories
it uses; every repository works inside the session it was given.

The per-event path on PostgreSQL (inbox claim and finish, offer claims and their events) skips the
session: :meth:`Database.driver` lends the pooled connection's asyncpg connection, and each of those
steps is one prebuilt statement (data-modifying CTEs where it writes twice), committed on its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

# What the database being away looks like (a refused or dropped connection, a failed statement): the
# adapters answer 503 and the workers wait; nothing verified is lost.
# (A pool timeout is one too: every connection is busy or none can be made.)
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (OperationalError, DBAPIError, OSError, PoolTimeout)

# What a read the app cannot do without (the installation lookup before a webhook is verified) may
# raise when the database misbehaves: any of the above, or SQLAlchemy's own state errors after a cut.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (*DATABASE_UNAVAILABLE, SQLAlchemyError)


def is_disconnect(exc: BaseException) -> bool:
    """The database (or the way to it) is away, as opposed to a statement failing on its data: retrying
    the same work at once would fail the same way for everyone."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | OSError | PoolTimeout)


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # WAL lets readers proceed while the inbox writes; foreign keys are off by default in SQLite.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # No pre-ping: it costs a round trip per checkout; a dropped connection fails the request, and the
    # inbox (or Saleor, after a 503) retries it.
    return create_async_engine(url, pool_size=15, max_overflow=5, pool_recycle=1800)


class Database:
    """The engine and its session factory, built once per process by the composition root."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url)
        self.dialect = self.engine.dialect.name
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only (nothing it does is committed)."""
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def driver(self) -> AsyncIterator[Any]:
        """PostgreSQL only: the asyncpg connection of a pooled connection, in no transaction (each
        statement commits on its own: one round trip, no BEGIN/COMMIT). Driver errors come out as
        SQLAlchemy's (DATABASE_UNAVAILABLE, is_disconnect), and a connection found dead is discarded."""
        assert self.dialect == "postgresql", "the driver path is PostgreSQL's; SQLite uses sessions"
        # The pool's connection itself, not an AsyncConnection around it: half the CPU per checkout
        # (no Connection object, two greenlet hops instead of three), and this runs several times per event.
        try:
            fairy = await greenlet_spawn(self.engine.sync_engine.raw_connection)
        except Exception as error:
            translated = _translated(self.engine.dialect, None, error)
            if translated is error:
                raise
            raise translated from error
        try:
            yield fairy.driver_connection
        except Exception as error:
            translated = _translated(self.engine.dialect, fairy.dbapi_connection, error)
            if translated is error:
                raise
            if isinstance(translated, DBAPIError) and translated.connection_invalidated:
                await greenlet_spawn(fairy.invalidate)
            raise translated from error
        except BaseException:
            # Cancelled mid-statement: the connection may still be busy with it; never reuse it.
            driver = fairy.driver_connection
            if driver is not None:
                driver.terminate()
            await greenlet_spawn(fairy.invalidate)
            raise
        finally:
            await greenlet_spawn(fairy.close)  # back to the pool (or dropped, once invalidated)

    def session(self) -> AsyncSession:
        """A bare session: the caller decides about transactions (tests inspecting rows use it)."""
        return self._sessions()

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _translated(dialect: Dialect, adapted: Any, error: Exception) -> Exception:
    """The SQLAlchemy error for a driver one, as the dialect maps it; any other error as it is."""
    if isinstance(error, SQLAlchemyError):
        return error
    dbapi: Any = dialect.loaded_dbapi
    if not isinstance(error, dbapi.Error):
        mapping = dbapi._asyncpg_error_translate
        kind = next((mapping[base] for base in type(error).__mro__ if base in mapping), None)
        if kind is not None:
            error = kind(error.args[0] if error.args else str(error), error)
        elif isinstance(error, OSError):  # the socket itself went away
            error = dbapi.OperationalError(str(error), error)
        else:
            return error
    invalidated = isinstance(error, dbapi.OperationalError) or dialect.is_disconnect(
        error,  # type: ignore[arg-type]  # the dialect's emulated DBAPI error
        adapted,
        None,
    )
    return DBAPIError.instance(
        None, None, error, dbapi.Error, connection_invalidated=invalidated, dialect=dialect
    )
