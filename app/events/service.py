"""Record domain events in the outbox, inside the caller's transaction (no event without its change)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from app.events.models import OutboxEvent

ASSESSMENT_STARTED = "assessment.started"
ASSESSMENT_COMPLETED = "assessment.completed"
ASSESSMENT_EXPIRED = "assessment.expired"
ASSESSMENT_CANCELLED = "assessment.cancelled"
CANDIDATE_ERASED = "candidate.erased"
REFERENCE_COMPLETED = "reference.completed"
RESULT_UPDATED = "result.updated"


def emit(session: Session, event_type: str, *, subject_id: str | None, data: dict[str, Any]) -> OutboxEvent:
    """Append an event to the outbox; it commits or rolls back with the change that caused it."""
    event = OutboxEvent(
        event_id=f"evt_{secrets.token_hex(12)}",
        event_type=event_type,
        subject_id=subject_id,
        payload={"type": event_type, "data": data},
    )
    # One INSERT, past the unit of work (a flush cost more than the statement); the event is not loaded
    # into the session (a query finds it in the transaction).
    event.id = session.execute(_INSERT, {column: getattr(event, column) for column in _COLUMNS}).scalar_one()
    return event


# On the table, not the entity: the session still sees the statement (app.db's read-only checks), but
# SQLAlchemy's ORM bulk-insert machinery, which cost more than the INSERT, is not involved.
_TABLE: Table = OutboxEvent.__table__  # type: ignore[attr-defined]
_INSERT = insert(_TABLE).returning(_TABLE.c.id)
_COLUMNS = tuple(c.name for c in _TABLE.columns if c.name != "id")
