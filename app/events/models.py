"""The transactional outbox: events written in the same transaction as the change that caused them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from app.db import JSONType, UTCDateTime, utcnow


class OutboxEvent(SQLModel, table=True):
    """One domain event (``assessment.completed``, ...); webhook deliveries are made from these rows."""

    __tablename__ = "outbox_event"

    id: int | None = Field(default=None, primary_key=True)
    # Public, stable event id: the webhook-id of every delivery of this event.
    event_id: str = Field(unique=True, max_length=64)
    event_type: str = Field(max_length=64, index=True)
    subject_id: str | None = Field(default=None, max_length=64, index=True)
    payload: dict[str, Any] = Field(sa_type=JSONType)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
