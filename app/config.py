"""One typed Settings object, read from TOUCHSTONE_* environment variables and an optional .env file."""

from __future__ import annotations

import ipaddress
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.db.engine import Limits

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TOUCHSTONE_"

# Secrets that appear in examples and tutorials; a production instance must never run with one.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "change_me", "secret", "changethis", "dev", "development", "test"}
)
MIN_SECRET_LENGTH = 32


class ConfigError(Exception):
    """A setting has a value the application cannot run with; str() is a one-line message naming it."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///data/touchstone.db"
    secret_key: str = ""
    # Earlier secret keys, comma-separated: credentials sealed with them stay readable after a rotation.
    previous_secret_keys: str = ""
    base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    questions_dir: Path = ROOT / "questions"
    data_dir: Path = ROOT / "data"
    # Proxies whose X-Forwarded-For/-Proto uvicorn believes (comma-separated addresses or networks).
    forwarded_allow_ips: str = "127.0.0.1"
    # Host headers accepted outside development besides the base URL's host (comma-separated).
    allowed_hosts: str = ""
    max_body_bytes: Annotated[int, Field(gt=0)] = 1_048_576
    # A request body must have arrived this many seconds after its headers (408 beyond); nothing waits for it.
    body_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 5.0
    # Requests a process works on at once (no more than its database connections); the rest wait their turn.
    # Unset: 2 on SQLite, 4 on PostgreSQL (app.main.request_slots).
    concurrent_requests: Annotated[int | None, Field(gt=0, le=200)] = None

    # Bounded waits for the database (app.db.engine.Limits): past them a request gets 503 with Retry-After.
    db_busy_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 5.0
    db_pool_size: Annotated[int, Field(gt=0, le=200)] = 10
    db_pool_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 5.0
    db_idle_in_transaction_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0
    db_statement_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0

    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(gt=0, lt=65536)] = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True

    # GDPR retention: personal data is kept this many days after a candidate's procedure closes, and at
    # most retention_max_days when the candidate consented to a longer period.
    retention_days: Annotated[int, Field(gt=0, le=365)] = 28
    retention_max_days: Annotated[int, Field(gt=0, le=365)] = 365
    # A procedure without a final decision (on hold, never started, never decided) counts as closed this
    # many days after the candidate's last activity: every candidate has a retention clock.
    retention_inactive_days: Annotated[int, Field(gt=0, le=365)] = 90
    smtp_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    # Invitations e-mailed to a candidate get one reminder this many days before their link expires (0: none).
    reminder_days_before: Annotated[int, Field(ge=0, le=60)] = 2

    # HR sign-in: a session ends after this much inactivity, and in any case this long after sign-in.
    session_idle_minutes: Annotated[int, Field(gt=0)] = 30
    session_absolute_hours: Annotated[int, Field(gt=0)] = 12
    # Failed sign-ins per e-mail address and IP allowed within the window before a lockout of that length.
    login_max_failures: Annotated[int, Field(gt=0)] = 5
    login_window_minutes: Annotated[int, Field(gt=0)] = 15

    # ATS API: requests per key per minute (429 beyond), days an API/Greenhouse invitation stays valid.
    api_rate_limit_per_minute: Annotated[int, Field(gt=0)] = 600
    api_invitation_days: Annotated[int, Field(gt=0, le=365)] = 14
    # The organisation's language for what an ATS shows its users (Greenhouse metadata labels) and for
    # the invitations of candidates an ATS orders without saying their language.
    ats_language: Literal["en", "nl"] = "en"
    # Webhooks: refuse private, loopback and link-local targets unless allowed (tests, a private network).
    webhook_allow_private: bool = False
    webhook_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    webhook_max_attempts: Annotated[int, Field(gt=0, le=20)] = 8
    # Anonymous self-tests: starts allowed per client IP address within the window (429 beyond).
    self_test_starts_per_window: Annotated[int, Field(gt=0)] = 20
    self_test_window_minutes: Annotated[int, Field(gt=0)] = 60

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"{value!r} is not a database URL") from None
        backend = url.get_backend_name()
        if backend == "postgresql":
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            url = url.set(drivername="postgresql+psycopg")
        elif backend == "sqlite":
            if url.database and url.database != ":memory:" and not Path(url.database).is_absolute():
                url = url.set(database=str(ROOT / url.database))
        else:
            raise ValueError(f"{value!r} is neither a sqlite:// nor a postgresql:// URL")
        return url.render_as_string(hide_password=False)

    @field_validator("smtp_host", "smtp_user", "smtp_password", "smtp_from", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # .env.example lists every key; an empty line there means "not configured".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"{value!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _forwarded_allow_ips(cls, value: str) -> str:
        # What uvicorn accepts for proxies on TCP: "*", or addresses and networks.
        for entry in (e.strip() for e in value.split(",")):
            if entry and entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not an IP address or network (such as 10.0.0.0/8), nor *") from None
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("environment") is Environment.PRODUCTION and (
            value.strip().lower() in PLACEHOLDER_SECRETS
            or len(value) < MIN_SECRET_LENGTH
            # One character repeated ("xxxx…") is as guessable as an empty key.
            or len(set(value)) == 1
        ):
            raise ValueError(
                f"must be a random value of at least {MIN_SECRET_LENGTH} characters in production, "
                "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return value

    @model_validator(mode="after")
    def _development_secret(self) -> Settings:
        if not self.secret_key:
            self.secret_key = _development_secret(self.data_dir, persist=self.environment is not Environment.TEST)
        return self

    @model_validator(mode="after")
    def _base_url_in_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION and not self.base_url_configured:
            raise ValueError(
                "TOUCHSTONE_BASE_URL must be set in production: the public address candidates' links point at, "
                "e.g. https://touchstone.example.org"
            )
        return self

    @property
    def base_url_configured(self) -> bool:
        """Tell whether TOUCHSTONE_BASE_URL was set (not the development default)."""
        return "base_url" in self.model_fields_set

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def db_limits(self) -> Limits:
        """The database waits these settings allow, for app.db.create_db_engine."""
        return Limits(
            busy_timeout=self.db_busy_timeout_seconds,
            pool_size=self.db_pool_size,
            pool_timeout=self.db_pool_timeout_seconds,
            idle_in_transaction=self.db_idle_in_transaction_seconds,
            statement_timeout=self.db_statement_timeout_seconds,
        )

    @property
    def trusted_hosts(self) -> list[str]:
        """Return the Host header values requests may carry: the base URL's host and TOUCHSTONE_ALLOWED_HOSTS."""
        extra = [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]
        return [urlsplit(self.base_url).hostname or "", *extra]


def _development_secret(data_dir: Path, *, persist: bool) -> str:
    """Return a random secret kept in data/ so sessions survive a restart of a development server."""
    if not persist:
        return secrets.token_urlsafe(48)
    path = data_dir / ".secret_key"
    try:
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
    except OSError as error:
        raise ValueError(
            f"TOUCHSTONE_DATA_DIR: cannot keep the development secret in {data_dir}: {error.strerror}"
        ) from None
    return value


def describe_validation_error(error: ValidationError) -> str:
    """Turn pydantic's multi-line report into one line naming the environment variable."""
    first = error.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    if not first["loc"]:
        # A check across settings names its setting itself ("TOUCHSTONE_BASE_URL must be set ...").
        return message if message.startswith(ENV_PREFIX) else f"settings: {message}"
    field = str(first["loc"][0])
    value = first.get("input")
    shown = (
        ""
        if field in {"secret_key", "smtp_password", "database_url"} or isinstance(value, dict)
        else f" (got {value!r})"
    )
    return f"{ENV_PREFIX}{field.upper()}: {message}{shown}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings, raising ConfigError with a one-line message when one is unusable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error)) from None


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings."""
    return load_settings()
