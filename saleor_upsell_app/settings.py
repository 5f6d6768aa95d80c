"""Application settings: the only module that reads the environment."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .kit.mail import SmtpConfig, SmtpSecurity

PLACEHOLDER_SECRET = "change-me"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/saleor-upsell.sqlite3"
# The drivers the app runs on; a bare scheme means the same database through that driver.
DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
DATABASE_URL_EXAMPLES = "e.g. postgresql+asyncpg://user:password@host:5432/saleor_upsell, or unset for SQLite"
# A host under .invalid never exists (RFC 2606): an allow-list accepting it accepts any Saleor.
PROBE_FOREIGN_SALEOR_URL = "https://any-other-store.invalid/graphql/"
SALEOR_CLOUD_PATTERN = r"https://[a-z0-9-]+\.saleor\.cloud/graphql/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    app_url: str = Field(
        default="http://localhost:8000",
        description="Base URL Saleor uses to reach the app; every URL in the manifest is built from it.",
    )
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = PLACEHOLDER_SECRET
    allowed_saleor_urls: str | None = Field(
        default=None,
        description="Regex a Saleor API URL must fully match to install the app; required in production "
        "(elsewhere unset means any URL).",
    )
    allow_private_saleor_urls: bool | None = Field(
        default=None,
        description="Whether the app may call a Saleor on a loopback, private or link-local address "
        "(default: yes in development and test, no in production).",
    )
    storefront_origins: str = Field(
        default="*",
        description="Comma-separated origins whose pages may call the storefront API from the browser "
        "(the storefront widget), or * for any. No cookies are involved: the checkout id is the capability.",
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
    # (RUN_WORKERS=false is how a process takes no events; 0 workers would take them and never process.)
    inbox_writers: int = Field(default=2, ge=1, le=64)
    inbox_workers: int = Field(default=2, ge=1, le=256)
    inbox_poll_interval_seconds: float = Field(default=0.5, gt=0)
    # Idle workers poll less and less often, up to this: enqueues wake them (in their own process
    # directly, in other processes by LISTEN/NOTIFY on PostgreSQL), so the poll is only a fallback.
    inbox_idle_poll_max_seconds: float = 10.0
    inbox_max_attempts: int = 12
    inbox_backoff_base_seconds: float = 1.0
    inbox_backoff_max_seconds: float = 300.0
    inbox_lease_seconds: float = 60.0
    run_workers: bool = True
    # Server processes tune the cyclic GC at start-up (see main._tune_gc); test runs keep the defaults.
    tune_gc: bool = True

    # How long rule and channel-setting changes may take to reach the event hot path.
    rule_cache_seconds: float = 2.0

    # The app's GraphQL API (api/limits.py): what one request may ask for, and how often storefronts may ask.
    graphql_introspection: bool | None = Field(
        default=None, description="Schema introspection (default: on outside production, off in production)."
    )
    graphql_max_depth: int = Field(default=10, ge=1)
    graphql_max_aliases: int = Field(default=20, ge=0)
    graphql_max_tokens: int = Field(default=2000, ge=10)
    # Storefront fields (checkoutOffers, acceptCheckoutOffer, revertUpgrade) each call the merchant's Saleor.
    graphql_max_storefront_fields: int = Field(default=3, ge=1)
    storefront_rate_per_second: float = Field(default=2.0, ge=0)
    storefront_rate_burst: int = Field(default=30, ge=1)
    # How old the checkout's last webhook snapshot may be to answer checkoutOffers without asking Saleor
    # (bumps/storefront_reads.py); 0: every listing reads the checkout from Saleor.
    storefront_snapshot_seconds: float = Field(default=30.0, ge=0)

    # /healthz answers anonymous callers up/down only; with this token as a Bearer, also the details.
    health_token: str | None = None
    # Post-purchase offers. Accepting opens a follow-up checkout in the storefront: the URL template per
    # channel slug ("*" for every other channel), with {id} = the checkout's id (and optionally {channel}).
    post_purchase_checkout_urls: dict[str, str] = Field(
        default_factory=dict,
        description='JSON: {"default-channel": "https://shop.example/checkout?checkout={id}"}.',
    )
    # Channels whose UNCONFIRMED orders take an accepted offer on the same order (payment collected by
    # the merchant after confirmation) instead of a follow-up checkout.
    post_purchase_same_order_channels: list[str] = Field(default_factory=list)
    # How long after the offer's window an unpaid follow-up checkout keeps the offer line.
    post_purchase_checkout_hold_minutes: int = Field(default=60, ge=0)

    # E-mail (kit/mail.py): post-purchase offers and the weekly digest; off unless SMTP_HOST and SMTP_FROM
    # are set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    # "starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (a local relay).
    smtp_security: SmtpSecurity = "starttls"
    smtp_from: str | None = None
    smtp_timeout_seconds: float = 10.0
    # The scheduler (kit/scheduler.py, jobs in insights/jobs.py): guardrail hourly, mining daily, the
    # weekly digest on Mondays. It runs where the workers run; every job once per period across processes.
    run_scheduler: bool = True
    scheduler_tick_seconds: float = 30.0
    scheduler_period_seconds: float | None = Field(
        default=None, description="When set, every job runs once per slot of this length (tests, demos)."
    )

    # The weekly digest is e-mailed (through the SMTP settings above) when DIGEST_RECIPIENTS is set.
    digest_recipients: str = Field(default="", description="Comma-separated e-mail addresses.")

    @property
    def storefront_origin_list(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.storefront_origins.split(",") if origin.strip()]

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
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ALLOWED_SALEOR_URLS is not a valid regex: {exc}") from exc
        return value

    @field_validator("post_purchase_checkout_urls")
    @classmethod
    def _checkout_url_templates(cls, value: dict[str, str]) -> dict[str, str]:
        for channel, template in value.items():
            if not template.startswith(("http://", "https://")) or "{id}" not in template:
                raise ValueError(
                    f"POST_PURCHASE_CHECKOUT_URLS[{channel!r}] must be an absolute http(s) URL with {{id}}"
                )
            try:
                template.format(id="x", channel="x")
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(
                    f"POST_PURCHASE_CHECKOUT_URLS[{channel!r}]: only {{id}} and {{channel}} may be used"
                ) from exc
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_configuration(self) -> Settings:
        """Every problem at once, so an operator fixes the configuration in one go."""
        problems: list[str] = []
        # A placeholder secret would let anyone forge offer tokens and read stored app tokens.
        if self.environment != "development" and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            problems.append(
                "SECRET_KEY must be set to a random value of at least 32 characters outside development "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        # In production an open allow-list lets anyone install the app and have it call their server.
        pattern = self.allowed_saleor_urls
        if self.environment == "production" and (
            not pattern or re.fullmatch(pattern, PROBE_FOREIGN_SALEOR_URL)
        ):
            problems.append(
                "ALLOWED_SALEOR_URLS must list the Saleor API URLs that may install the app in production "
                f"(a regex that does not accept any URL), e.g. '{SALEOR_CLOUD_PATTERN}' for Saleor Cloud "
                r"or 'https://shop\.example\.com/graphql/' for a self-hosted Saleor"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @cached_property
    def allowed_saleor_url_pattern(self) -> re.Pattern[str]:
        return re.compile(self.allowed_saleor_urls if self.allowed_saleor_urls is not None else ".*")

    @property
    def private_saleor_urls_allowed(self) -> bool:
        if self.allow_private_saleor_urls is not None:
            return self.allow_private_saleor_urls
        return self.environment != "production"

    @property
    def introspection_enabled(self) -> bool:
        if self.graphql_introspection is not None:
            return self.graphql_introspection
        return self.environment != "production"

    @property
    def smtp(self) -> SmtpConfig | None:
        if not self.smtp_host or not self.smtp_from:
            return None
        return SmtpConfig(
            host=self.smtp_host,
            port=self.smtp_port,
            sender=self.smtp_from,
            username=self.smtp_username,
            password=self.smtp_password,
            security=self.smtp_security,
            timeout_seconds=self.smtp_timeout_seconds,
        )

    @property
    def digest_recipient_list(self) -> list[str]:
        return [address.strip() for address in self.digest_recipients.split(",") if address.strip()]

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


def load_settings() -> Settings:
    """The settings from the environment; a bad value stops the process with one line saying what to set
    (the web entry point; the CLI renders the same lines through cli/startup.py)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(describe_settings_error(exc))
        raise SystemExit(f"saleor-upsell: invalid configuration: {problems}") from None
