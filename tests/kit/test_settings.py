"""Settings: safe defaults, and a placeholder secret refused outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from saleor_upsell_app.settings import Settings


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
