"""The append-only audit log: who saw and changed what. Rows are inserted, never updated or deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from app.db import JSONType, UTCDateTime, utcnow


class AuditEventBase(SQLModel):
    actor: str = Field(max_length=100, index=True)
    action: str = Field(max_length=100, index=True)
    object_type: str | None = Field(default=None, max_length=50)
    object_id: str | None = Field(default=None, max_length=100)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    request_id: str | None = Field(default=None, max_length=128)


class AuditEvent(AuditEventBase, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def _refuse(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError(f"audit event {target.id} is append-only")


# A guard in the ORM so that no future code path can quietly rewrite history.
event.listen(AuditEvent, "before_update", _refuse)
event.listen(AuditEvent, "before_delete", _refuse)
