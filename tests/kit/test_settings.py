"""Settings: safe defaults, and a placeholder secret refused outside development."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from saleor_upsell_app.settings import (
    SALEOR_CLOUD_PATTERN,
    Settings,
    describe_settings_error,
    normalise_database_url,
)

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_need_nothing_installed() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.allowed_saleor_url_pattern.fullmatch("https://any.saleor.cloud/graphql/")


@pytest.mark.parametrize("environment", ["production", "test"])
def test_placeholder_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, environment=environment)  # type: ignore[call-arg]


def test_app_url_loses_its_trailing_slash_and_must_be_absolute() -> None:
    assert (
        Settings(_env_file=None, app_url="https://upsell.example.com/").app_url
        == "https://upsell.example.com"
    )  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(_env_file=None, app_url="upsell.example.com")  # type: ignore[call-arg]


def test_bad_regex_is_refused() -> None:
    with pytest.raises(ValidationError, match="ALLOWED_SALEOR_URLS"):
        Settings(_env_file=None, allowed_saleor_urls="(")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/upsell", "postgresql+asyncpg://u:p@db:5432/upsell"),
        ("postgres://db/upsell", "postgresql+asyncpg://db/upsell"),
        ("postgresql+asyncpg://db/upsell?ssl=require", "postgresql+asyncpg://db/upsell?ssl=require"),
        ("sqlite:///./x.sqlite3", "sqlite+aiosqlite:///./x.sqlite3"),
    ],
)
def test_database_url_gets_the_apps_driver(given: str, used: str) -> None:
    assert normalise_database_url(given) == used
    assert Settings(_env_file=None, database_url=given).database_url == used  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "given",
    ["db.example.com/upsell", "mysql://db/upsell", "postgresql+psycopg2://db/x", "postgresql://db:x/y"],
)
def test_database_url_that_cannot_work_is_refused_by_name(given: str) -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        normalise_database_url(given)


def test_every_mistake_is_one_line_naming_its_setting() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(  # type: ignore[call-arg]
            _env_file=None, app_url="localhost", inbox_workers="two", database_url="x://y:z@h/d"
        )
    lines = describe_settings_error(caught.value)
    assert [line.split(" ")[0].rstrip(":") for line in lines] == ["APP_URL", "DATABASE_URL", "INBOX_WORKERS"]
    assert "'two'" in lines[2] and "y:z" not in lines[1]


# -- production refuses to start without an explicit allow-list (issue 11 item 4) ---------------------

PRODUCTION = {"environment": "production", "secret_key": "p" * 40}


@pytest.mark.parametrize("pattern", [None, ".*", ".+", "https?://.*", "https://.*/graphql/", "(.*)"])
def test_production_refuses_an_open_allow_list(pattern: str | None) -> None:
    values = {**PRODUCTION, **({"allowed_saleor_urls": pattern} if pattern is not None else {})}
    with pytest.raises(ValidationError, match="ALLOWED_SALEOR_URLS must list"):
        Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pattern", "url"),
    [
        (SALEOR_CLOUD_PATTERN, "https://my-shop.saleor.cloud/graphql/"),
        (r"https://shop\.example\.com/graphql/", "https://shop.example.com/graphql/"),
    ],
)
def test_production_takes_the_documented_patterns(pattern: str, url: str) -> None:
    settings = Settings(_env_file=None, allowed_saleor_urls=pattern, **PRODUCTION)  # type: ignore[arg-type]
    assert settings.allowed_saleor_url_pattern.fullmatch(url)
    assert not settings.allowed_saleor_url_pattern.fullmatch("https://evil.example/graphql/")
    # Off by default in production: internal addresses, introspection.
    assert not settings.private_saleor_urls_allowed
    assert not settings.introspection_enabled


def test_outside_production_anything_goes_by_default() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.private_saleor_urls_allowed and settings.introspection_enabled
    assert settings.allowed_saleor_url_pattern.fullmatch("http://127.0.0.1:8000/graphql/")


def test_the_server_does_not_start_and_says_how_in_one_line(tmp_path: Path) -> None:
    """The real entry point (uvicorn importing saleor_upsell_app.asgi) with a production environment."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "ENVIRONMENT": "production",
        "SECRET_KEY": "p" * 40,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "saleor_upsell_app.asgi:app", "--port", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("saleor-upsell: invalid configuration: ALLOWED_SALEOR_URLS must list")
    assert "saleor\\.cloud" in lines[0]
