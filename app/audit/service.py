"""Write to the audit log. There is deliberately no function that changes or removes an event."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent

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
    """Append one event to the audit log (flushed, committed with the caller's transaction)."""
    entry = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail or {},
        request_id=request_id,
    )
    session.add(entry)
    session.flush()
    return entry
