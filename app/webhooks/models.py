"""Webhook endpoints, the outbox fan-out marker and delivery attempts (webhooks and Greenhouse callbacks)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import UniqueConstraint, true
from sqlmodel import Field, SQLModel

from app.db import JSONType, StrEnumType, UTCDateTime, utcnow


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=200)
    events: list[str] = Field(sa_type=JSONType)
    # Needed in clear to sign every delivery; shown to the admin once, at creation or rotation.
    secret: str = Field(max_length=100)
    # After a rotation deliveries are signed with both secrets until previous_secret_until, so the
    # receiver can switch without losing one (Standard Webhooks allows several signatures).
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    disabled_reason: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxDispatch(SQLModel, table=True):
    """Marks an outbox event as fanned out into deliveries, so no worker does it twice."""

    __tablename__ = "outbox_dispatch"

    outbox_event_id: int = Field(foreign_key="outbox_event.id", primary_key=True, ondelete="CASCADE")
    dispatched_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DeliveryKind(StrEnum):
    WEBHOOK = "webhook"
    GREENHOUSE = "greenhouse"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookDelivery(SQLModel, table=True):
    """One event to send to one URL; retried with backoff until a 2xx, a 410 or the last attempt."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "outbox_event_id"),
        UniqueConstraint("greenhouse_interview_id", "outbox_event_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: DeliveryKind = Field(default=DeliveryKind.WEBHOOK, sa_type=StrEnumType(DeliveryKind, 16))
    endpoint_id: int | None = Field(default=None, foreign_key="webhook_endpoint.id", index=True, ondelete="CASCADE")
    greenhouse_interview_id: str | None = Field(
        default=None, foreign_key="greenhouse_interview.id", index=True, ondelete="CASCADE", max_length=64
    )
    outbox_event_id: int = Field(foreign_key="outbox_event.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    status: DeliveryStatus = Field(default=DeliveryStatus.PENDING, sa_type=StrEnumType(DeliveryStatus, 16), index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    history: list[dict[str, object]] = Field(default_factory=list, sa_type=JSONType)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    delivered_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
