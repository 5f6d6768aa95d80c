"""Application settings: the only module that reads the environment."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/saleor-upsell.sqlite3"
# The drivers the app runs on; a bare scheme means the same database through that driver.
DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
DATABASE_URL_EXAMPLES = "e.g. postgresql+asyncpg://user:password@host:5432/saleor_upsell, or unset for SQLite"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    app_url: str = Field(
        default="http://localhost:8000",
        description="Base URL Saleor uses to reach the app; every URL in the manifest is built from it.",
    )
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = PLACEHOLDER_SECRET
    allowed_saleor_urls: str = Field(
        default=".*", description="Regex a Saleor API URL must fully match to install the app."
    )
    log_level: str = "INFO"
    log_json: bool = True

    # Saleor client
    saleor_timeout_seconds: float = 10.0
    # Saleor retries a 5xx after 10 s, so a rotated key is picked up by its first retry at the latest.
    jwks_refetch_min_interval_seconds: float = 10.0

    # Inbox: concurrent group-commit writers (ingest) and worker tasks (processing) per process
    inbox_writers: int = 2
    inbox_workers: int = 2
    inbox_poll_interval_seconds: float = 0.5
    inbox_max_attempts: int = 12
    inbox_backoff_base_seconds: float = 1.0
    inbox_backoff_max_seconds: float = 300.0
    inbox_lease_seconds: float = 60.0
    run_workers: bool = True
    # Server processes tune the cyclic GC at start-up (see main._tune_gc); test runs keep the defaults.
    tune_gc: bool = True

    # How long rule and channel-setting changes may take to reach the event hot path.
    rule_cache_seconds: float = 2.0

    @field_validator("app_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not urlsplit(value).netloc:
            raise ValueError(
                f"APP_URL must start with http:// or https:// (got {value!r}), "
                "e.g. APP_URL=http://localhost:8000"
            )
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("allowed_saleor_urls")
    @classmethod
    def _valid_regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ALLOWED_SALEOR_URLS is not a valid regex: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        # A placeholder secret would let anyone forge offer tokens and read stored app tokens.
        if self.environment != "development" and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random value of at least 32 characters outside development "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @cached_property
    def allowed_saleor_url_pattern(self) -> re.Pattern[str]:
        return re.compile(self.allowed_saleor_urls)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def absolute_url(self, path: str) -> str:
        return f"{self.app_url}{path}"


def normalise_database_url(value: str) -> str:
    """DATABASE_URL with the app's driver: `postgresql://` means `postgresql+asyncpg://`, `sqlite://`
    means `sqlite+aiosqlite://`; anything else is refused with the fix. No database library is imported,
    and no message repeats the URL (it may hold a password)."""
    scheme, separator, rest = value.partition("://")
    if not separator or not scheme:
        raise ValueError(f"DATABASE_URL is not a database URL; {DATABASE_URL_EXAMPLES}")
    backend, _, driver = scheme.lower().partition("+")
    wanted = DRIVERS.get(backend)
    if wanted is None:
        raise ValueError(
            f"DATABASE_URL must be a PostgreSQL or SQLite URL, not {scheme}://; {DATABASE_URL_EXAMPLES}"
        )
    wanted_driver = wanted.partition("+")[2]
    if driver and driver != wanted_driver:
        raise ValueError(
            f"DATABASE_URL: the app reaches {backend} through {wanted_driver}, not {driver}: "
            f"start the URL with {wanted}://"
        )
    normalised = f"{wanted}://{rest}"
    if backend != "sqlite":
        try:
            urlsplit(normalised).port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as exc:
            raise ValueError(f"DATABASE_URL is malformed ({exc}); {DATABASE_URL_EXAMPLES}") from exc
    return normalised


# Settings whose value is never repeated in a message.
_SECRET_SETTINGS = {"SECRET_KEY", "DATABASE_URL"}


def describe_settings_error(error: ValidationError) -> list[str]:
    """The configuration mistakes in `error`, one plain line each, naming the environment variable.

    Every settings check raises a ValueError (or fails pydantic's type check); this is the one place that
    turns them into what an operator reads, so a new check only has to raise.
    """
    lines = []
    for problem in error.errors():
        message = str(problem["msg"]).removeprefix("Value error, ")
        name = "_".join(str(part) for part in problem["loc"]).upper()
        if name and not message.startswith(name):
            given = problem.get("input")
            shown = (
                f" (got {given!r})"
                if problem["type"] != "value_error"
                and name not in _SECRET_SETTINGS
                and isinstance(given, str)
                else ""
            )
            message = f"{name}: {message}{shown}"
        lines.append(message)
    return lines
