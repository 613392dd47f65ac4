"""Outgoing e-mail: queued in the database, sent by SMTP when configured, readable by admins otherwise."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"
    """No SMTP server is configured: the message stays in the in-app outbox."""


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_message"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    # An invitation's link is not in the body (only LINK_PLACEHOLDER is): it is kept sealed (app.sealing)
    # until the message is sent, and put in when it goes out or an admin reads it in the outbox.
    body_text: str = Field(sa_type=Text)
    sealed_link: str | None = Field(default=None, sa_type=Text)
    language: str = Field(default="en", max_length=8)
    kind: str = Field(max_length=50)
    assessment_id: str | None = Field(
        default=None, foreign_key="assessment.id", index=True, ondelete="SET NULL", max_length=64
    )
    status: MailStatus = Field(default=MailStatus.QUEUED, sa_type=String(16), index=True)
    attempts: int = 0
    # When a worker may take the message: after a failed attempt (backoff), or when the worker that claimed
    # it died before recording the outcome.
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    error: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
