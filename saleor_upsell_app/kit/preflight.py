"""Can the app reach its database? Asked once before a command starts, answered in one plain sentence.

Only the database driver is imported here (not SQLAlchemy, alembic or the app), so an operator who got
DATABASE_URL wrong hears it within a fraction of a second, with the setting named and the fix.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

CONNECT_TIMEOUT_SECONDS = 5.0
# Query parameters asyncpg understands itself; SQLAlchemy-only ones are left out of the probe.
_ASYNCPG_PARAMS = {"host", "port", "user", "password", "dbname", "database", "ssl", "sslmode"}
_UNSET_HINT = "or unset DATABASE_URL to use the SQLite file"


async def database_problem(database_url: str, wait_seconds: float = CONNECT_TIMEOUT_SECONDS) -> str | None:
    """None when the database in `database_url` (already normalised by Settings) accepts a connection;
    otherwise what is wrong, naming DATABASE_URL and the fix. Never repeats the password."""
    if database_url.startswith("sqlite"):
        return _sqlite_problem(database_url)
    return await _postgres_problem(database_url, wait_seconds)


def _sqlite_problem(database_url: str) -> str | None:
    path = database_url.partition("://")[2].removeprefix("/").partition("?")[0]
    if not path or path == ":memory:":
        return None
    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"DATABASE_URL: cannot create the SQLite file's folder {folder} ({exc.strerror})"
    return None


async def _postgres_problem(database_url: str, wait_seconds: float) -> str | None:
    import asyncpg  # the driver only: fast, and needed for PostgreSQL anyway

    url = urlsplit(database_url)
    host = url.hostname or "localhost"
    port = url.port or 5432
    where = f"{host}:{port}"
    database = unquote(url.path.lstrip("/")) or unquote(url.username or "") or "postgres"
    query = urlencode([(k, v) for k, v in parse_qsl(url.query) if k in _ASYNCPG_PARAMS])
    dsn = f"postgresql://{url.netloc}{url.path}" + (f"?{query}" if query else "")
    try:
        connection = await asyncpg.connect(dsn, timeout=wait_seconds)
    except socket.gaierror:
        return f"DATABASE_URL: the host {host!r} is unknown: check the host name ({_UNSET_HINT})"
    except TimeoutError:
        return f"DATABASE_URL: PostgreSQL at {where} did not answer within {wait_seconds:g} s"
    except asyncpg.InvalidCatalogNameError:
        return (
            f'DATABASE_URL: the database "{database}" does not exist on {where}: '
            f"create it (e.g. createdb -h {host} -p {port} {database}), then run the command again"
        )
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError) as exc:
        return f"DATABASE_URL: PostgreSQL at {where} refused the login: {exc}"
    except OSError as exc:
        refused = isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower()
        reason = "connection refused" if refused else (exc.strerror or str(exc) or type(exc).__name__)
        return (
            f"DATABASE_URL: no PostgreSQL is answering at {where} ({reason}): "
            f"start it or correct the host and port ({_UNSET_HINT})"
        )
    except asyncpg.PostgresError as exc:
        return f"DATABASE_URL: PostgreSQL at {where} refused the connection: {exc}"
    await connection.close()
    return None
