"""API keys, idempotency records and the per-key rate-limit counters."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import JSONType, StrEnumType, UTCDateTime, utcnow


class ApiScope(StrEnum):
    READ = "read"
    WRITE = "write"
    GREENHOUSE = "greenhouse"
    WEBHOOKS = "webhooks"


class ApiKey(SQLModel, table=True):
    """A key an ATS sends as a Bearer token (or Greenhouse as the Basic user name); only a hash is stored."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # Public part of the key, used to find the row; the secret part is compared by hash.
    prefix: str = Field(unique=True, max_length=32)
    secret_hash: str = Field(max_length=64)
    scopes: list[str] = Field(sa_type=JSONType)
    created_by: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyStatus(StrEnum):
    IN_FLIGHT = "in_flight"
    DONE = "done"


class IdempotencyRecord(SQLModel, table=True):
    """The stored response of a POST made with an Idempotency-Key, replayed for a retry of the same request."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id", ondelete="CASCADE")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status: IdempotencyStatus = Field(default=IdempotencyStatus.IN_FLIGHT, sa_type=StrEnumType(IdempotencyStatus, 16))
    response_status: int | None = None
    response_body: Any = Field(default=None, sa_type=JSONType)
    # The invitation link of a reply that holds one: stored sealed (app.sealing), never in the body.
    sealed_link: str | None = Field(default=None, sa_type=Text)
    # The candidate the stored response is about: erasing the candidate forgets it too.
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True, ondelete="CASCADE")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class RateWindow(SQLModel, table=True):
    """Requests one key made in one fixed window; shared by every app instance through the database."""

    __tablename__ = "api_rate_window"

    api_key_id: int = Field(foreign_key="api_key.id", primary_key=True, ondelete="CASCADE")
    window: int = Field(primary_key=True)
    count: int = 0
