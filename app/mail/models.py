"""Outgoing e-mail: queued in the database, sent by SMTP when configured, readable by admins otherwise."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, utcnow


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"
    """No SMTP server is configured: the message stays in the in-app outbox."""
    WITHDRAWN = "withdrawn"
    """Never sent: the link it carries stopped working first (a newer link was issued, or it was revoked)."""


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
    status: MailStatus = Field(default=MailStatus.QUEUED, sa_type=StrEnumType(MailStatus, 16), index=True)
    attempts: int = 0
    # When a worker may take the message: after a failed attempt (backoff), or when the worker that claimed
    # it died before recording the outcome.
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    error: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReminderState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    """Its e-mail is queued (the mail outbox says whether the server accepted it)."""
    SKIPPED = "skipped"
    """Not needed when it fell due: the invitation was completed, revoked, expired or erased."""


class InvitationReminder(SQLModel, table=True):
    """One reminder per invitation link, e-mailed by the worker a few days before the link expires."""

    __tablename__ = "invitation_reminder"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", unique=True, ondelete="CASCADE", max_length=64)
    # The candidate's link, sealed (app.sealing) like an invitation mail's, until the reminder is queued.
    sealed_link: str | None = Field(default=None, sa_type=Text)
    state: ReminderState = Field(default=ReminderState.PENDING, sa_type=StrEnumType(ReminderState, 16))
    # When the reminder is due; a worker that claims it moves this to the end of its lease (app.db.claims).
    next_attempt_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    mail_id: int | None = Field(default=None, foreign_key="mail_message.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Organisation(SQLModel, table=True):
    """The organisation that invites: its name, colour, contact person and message texts (one row, id 1)."""

    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=200)
    colour: str = Field(default="", max_length=7)
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=320)
    # A PNG or JPEG checked by its first bytes (no SVG: it can carry script), served at /organisation/logo.
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    logo_type: str | None = Field(default=None, max_length=16)
    # The organisation's own opening of the invitation and reminder e-mails, per language ("" = the default).
    invitation_text_nl: str = Field(default="", sa_type=Text)
    invitation_text_en: str = Field(default="", sa_type=Text)
    reminder_text_nl: str = Field(default="", sa_type=Text)
    reminder_text_en: str = Field(default="", sa_type=Text)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
