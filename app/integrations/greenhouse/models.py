"""Greenhouse test instances (partner interviews) and the malformed-response reports Greenhouse sends."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import JSONType, UTCDateTime, utcnow


def new_interview_id() -> str:
    return secrets.token_hex(12)


class GreenhouseInterview(SQLModel, table=True):
    """One test sent to one candidate from Greenhouse: the partner_interview_id and where to PATCH on completion."""

    __tablename__ = "greenhouse_interview"
    # One order per (key, callback url): a repeated send_test gets the first partner_interview_id.
    __table_args__ = (UniqueConstraint("api_key_id", "callback_url_hash", name="uq_greenhouse_interview_order"),)

    id: str = Field(default_factory=new_interview_id, primary_key=True, max_length=64)
    # The organisation's key that ordered it: only that key can read its status.
    api_key_id: int | None = Field(default=None, foreign_key="api_key.id", index=True, ondelete="SET NULL")
    assessment_id: str | None = Field(
        default=None, foreign_key="assessment.id", index=True, ondelete="SET NULL", max_length=64
    )
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True, ondelete="SET NULL")
    partner_test_id: str = Field(max_length=64)
    callback_url: str = Field(max_length=2000)
    # SHA-256 of callback_url: the unique key (a 2000-character URL is too long for a portable index).
    callback_url_hash: str | None = Field(default=None, max_length=64)
    # The ordering key, sealed (app.integrations.credentials), for the Basic auth of the completion PATCH and
    # of the PATCHes sent again when the candidate's combined result changes; dropped when the candidate is erased.
    callback_credential: str | None = Field(default=None, max_length=1000)
    greenhouse_profile_url: str | None = Field(default=None, max_length=2000)
    sent_by: str | None = Field(default=None, max_length=320)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GreenhouseResponseError(SQLModel, table=True):
    """A report from Greenhouse that one of our responses was malformed; listed for admins."""

    __tablename__ = "greenhouse_response_error"

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int | None = Field(default=None, foreign_key="api_key.id", ondelete="SET NULL")
    api_call: str = Field(max_length=200)
    errors: list[Any] = Field(sa_type=JSONType)
    partner_test_id: str | None = Field(default=None, max_length=200)
    partner_test_name: str | None = Field(default=None, max_length=300)
    partner_interview_id: str | None = Field(default=None, max_length=200)
    candidate_email: str | None = Field(default=None, max_length=320)
    received_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
