"""The audit log is append-only."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.audit import service
from app.audit.models import AppendOnlyError, AuditEvent


def test_record_appends_an_event(session: Session) -> None:
    event = service.record(
        session, actor="7", action="candidate.viewed", object_type="candidate", object_id=42, request_id="req-12345678"
    )
    session.expire_all()
    stored = session.exec(select(AuditEvent).where(AuditEvent.id == event.id)).one()
    assert (stored.actor, stored.action, stored.object_id, stored.detail) == ("7", "candidate.viewed", "42", {})
    assert stored.at.tzinfo is not None


def test_events_cannot_be_changed_or_deleted(session: Session) -> None:
    event = service.record(session, actor=service.SYSTEM, action="test.event", detail={"a": 1})
    event.action = "rewritten"
    session.add(event)
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    event = service.record(session, actor=service.SYSTEM, action="test.event")
    session.delete(event)
    with pytest.raises(AppendOnlyError):
        session.flush()
