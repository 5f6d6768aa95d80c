"""Configuration mistakes, as an operator makes them: the real command line, one or two plain lines that
name the setting and the fix, exit status 78, no traceback."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest

from saleor_upsell_app.cli.startup import EXIT_CONFIG
from tests.cli.run import Finished, run_cli
from tests.conftest import TEST_SECRET, postgres_database


def assert_refused(result: Finished, *expected: str) -> None:
    assert result.status == EXIT_CONFIG, result
    assert "Traceback" not in result.stderr, result.stderr
    assert 1 <= len(result.error_lines) <= 2, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert result.stderr.startswith("configuration error: ")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nobody listens there once the socket is closed


def test_production_with_the_placeholder_secret(tmp_path: Path) -> None:
    result = run_cli("migrate", cwd=tmp_path, env={"ENVIRONMENT": "production"})
    assert_refused(result, "SECRET_KEY", "secrets.token_urlsafe")


def test_app_url_without_a_scheme(tmp_path: Path) -> None:
    result = run_cli("rules", "list", cwd=tmp_path, env={"APP_URL": "upsell.example.com"})
    assert_refused(result, "APP_URL", "http://", "'upsell.example.com'")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nonsense", "DATABASE_URL is not a database URL"),
        ("postgresql+asyncpg://postgres@127.0.0.1:port/upsell", "DATABASE_URL is malformed"),
        ("mysql://root@127.0.0.1/upsell", "DATABASE_URL must be a PostgreSQL or SQLite URL"),
        ("postgresql+psycopg://postgres@127.0.0.1/upsell", "start the URL with postgresql+asyncpg://"),
    ],
)
def test_malformed_database_url(tmp_path: Path, url: str, expected: str) -> None:
    assert_refused(run_cli("migrate", cwd=tmp_path, env={"DATABASE_URL": url}), expected)


def test_password_in_a_refused_database_url_is_not_repeated(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres:hunter2-secret@127.0.0.1/upsell"
    result = run_cli("migrate", cwd=tmp_path, env={"DATABASE_URL": url})
    assert_refused(result, "DATABASE_URL")
    assert "hunter2-secret" not in result.stderr


def test_postgresql_not_listening(tmp_path: Path) -> None:
    port = closed_port()
    url = f"postgresql+asyncpg://postgres:pw@127.0.0.1:{port}/upsell"
    result = run_cli("migrate", cwd=tmp_path, env={"DATABASE_URL": url})
    assert_refused(result, "DATABASE_URL", f"127.0.0.1:{port}", "connection refused")
    assert ":pw@" not in result.stderr


def test_a_wrong_type_names_the_setting(tmp_path: Path) -> None:
    result = run_cli("migrate", cwd=tmp_path, env={"INBOX_WORKERS": "many"})
    assert_refused(result, "INBOX_WORKERS", "'many'")


def test_zero_workers_is_refused(tmp_path: Path) -> None:
    # 0 workers would take events and never process them (RUN_WORKERS=false is the way to take none).
    result = run_cli("migrate", cwd=tmp_path, env={"INBOX_WORKERS": "0"})
    assert_refused(result, "INBOX_WORKERS", "'0'")


@pytest.mark.postgres
def test_missing_database_named_with_the_fix(tmp_path: Path) -> None:
    name = f"upsell_missing_{uuid.uuid4().hex[:8]}"
    # Without +asyncpg: the URL is taken as the asyncpg URL it means, so the real problem is what is said.
    result = run_cli(
        "migrate", cwd=tmp_path, env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}"}
    )
    assert_refused(
        result, "DATABASE_URL", f'"{name}" does not exist', f"createdb -h 127.0.0.1 -p 5432 {name}"
    )
    assert "psycopg" not in result.stderr


@pytest.mark.postgres
async def test_postgresql_url_without_driver_is_used_through_asyncpg(tmp_path: Path) -> None:
    async with postgres_database() as url:
        plain = url.replace("postgresql+asyncpg://", "postgresql://")
        env = {"DATABASE_URL": plain, "ENVIRONMENT": "test", "SECRET_KEY": TEST_SECRET}
        result = run_cli("migrate", cwd=tmp_path, env=env)
        assert result.status == 0, result
        assert result.stdout.strip() == "database is up to date"


def test_defaults_work_from_an_empty_folder(tmp_path: Path) -> None:
    # No settings at all: the SQLite file (and its folder) are made where the command runs.
    result = run_cli("migrate", cwd=tmp_path)
    assert result.status == 0, result
    assert (tmp_path / "data" / "saleor-upsell.sqlite3").exists()


def test_port_in_use_says_which_and_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=tmp_path)
    assert_refused(result, f"port {port} on 127.0.0.1 is already in use", f"make run PORT={port + 1}")
