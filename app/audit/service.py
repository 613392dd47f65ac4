"""Write to the audit log. There is deliberately no function that changes or removes an event."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent
from app.db import write_aside

SYSTEM = "system"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log (flushed, committed with the caller's transaction).

    In a request that only reads (a GET showing personal data) the event is committed at once in a
    short transaction of its own (app.db.write_aside): the view is recorded even if the page then fails.
    """
    entry = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail or {},
        request_id=request_id,
    )
    with write_aside(session) as writer:
        writer.add(entry)
    return entry


def saved(
    session: Session,
    row: Any,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Store a new or changed row (added and flushed, so it has its id) and record the change in the audit log."""
    session.add(row)
    session.flush()
    return record(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=row.id if object_id is None else object_id,
        detail=detail,
        request_id=request_id,
    )
