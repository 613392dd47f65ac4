"""Write to the audit log. There is deliberately no function that changes or removes an event."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from sqlalchemy import Table, insert
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.db import utcnow, write_aside

SYSTEM = "system"
# The audit log names a row by its table, except users: their table is user_account, the log has said "user"
# from the start (and the HR audit page filters on what is stored).
_OBJECT_TYPES = {"user_account": "user"}


class Row(Protocol):
    """A table row: what the audit log names an event's object by."""

    __tablename__: ClassVar[Any]

    @property
    def id(self) -> int | str | None: ...


def object_type_of(row: Row) -> str:
    """Return the name the audit log gives a row's kind: its table's name ("candidate", "assessment", ...)."""
    table = str(row.__tablename__)
    return _OBJECT_TYPES.get(table, table)


def record(
    session: Session,
    about: Row | None = None,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> int:
    """Append one event about a row (or about `object_type` `object_id`) to the audit log.

    The event is inserted and committed with the caller's transaction. In a request that only reads (a GET
    showing personal data) it is committed at once in a short transaction of its own (app.db.write_aside):
    the view is recorded even if the page then fails.
    """
    if about is not None:
        object_type = object_type or object_type_of(about)
        object_id = about.id if object_id is None else object_id
    row = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "detail": detail or {},
        "request_id": request_id,
        "at": utcnow(),
    }
    # One INSERT on the table, past the unit of work: a flush cost more than the statement, and an audit
    # row is never changed afterwards, so the session has no use for it as an object. The session still
    # sees the statement, so app.db's read-only checks apply.
    with write_aside(session) as writer:
        event_id: int = writer.execute(_INSERT, row).scalar_one()
    return event_id


_TABLE: Table = AuditEvent.__table__  # type: ignore[attr-defined]
_INSERT = insert(_TABLE).returning(_TABLE.c.id)
_COLUMNS = tuple(c.name for c in _TABLE.columns if c.name != "id")


def saved(
    session: Session,
    row: Row,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> int:
    """Store a new or changed row (added and flushed, so it has its id) and record the change in the audit log."""
    session.add(row)
    session.flush()
    return record(
        session, row, actor=actor, action=action, object_type=object_type, detail=detail, request_id=request_id
    )
