"""Application settings: the only module that reads the environment."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    app_url: str = Field(
        default="http://localhost:8000",
        description="Base URL Saleor uses to reach the app; every URL in the manifest is built from it.",
    )
    database_url: str = "sqlite+aiosqlite:///./data/saleor-upsell.sqlite3"
    secret_key: str = PLACEHOLDER_SECRET
    allowed_saleor_urls: str = Field(
        default=".*", description="Regex a Saleor API URL must fully match to install the app."
    )
    log_level: str = "INFO"
    log_json: bool = True

    # Request size caps (413 beyond them): Saleor's largest webhook (an order with ~100 lines) is
    # well under 1 MiB; the dashboard's and storefronts' GraphQL documents are a few KiB.
    webhook_max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    graphql_max_body_bytes: int = Field(default=256 * 1024, gt=0)

    # /metrics wants `Authorization: Bearer <METRICS_TOKEN>` when set (open otherwise).
    metrics_token: str | None = None

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
        if not value.startswith(("http://", "https://")):
            raise ValueError("APP_URL must be an absolute http(s) URL")
        return value.rstrip("/")

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

    @cached_property
    def allowed_saleor_url_pattern(self) -> re.Pattern[str]:
        return re.compile(self.allowed_saleor_urls)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def absolute_url(self, path: str) -> str:
        return f"{self.app_url}{path}"
