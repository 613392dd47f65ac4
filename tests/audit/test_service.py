"""The audit log is append-only."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.audit import service
from app.audit.models import AppendOnlyError, AuditEvent
from tests import factories


def test_record_appends_an_event(session: Session) -> None:
    event_id = service.record(
        session, actor="7", action="candidate.viewed", object_type="candidate", object_id=42, request_id="req-12345678"
    )
    stored = session.exec(select(AuditEvent).where(AuditEvent.id == event_id)).one()
    assert (stored.actor, stored.action, stored.object_id, stored.detail) == ("7", "candidate.viewed", "42", {})
    assert stored.at.tzinfo is not None


def test_events_cannot_be_changed_or_deleted(session: Session) -> None:
    event = session.get_one(
        AuditEvent, service.record(session, actor=service.SYSTEM, action="test.event", detail={"a": 1})
    )
    event.action = "rewritten"
    session.add(event)
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    event = session.get_one(AuditEvent, service.record(session, actor=service.SYSTEM, action="test.event"))
    session.delete(event)
    with pytest.raises(AppendOnlyError):
        session.flush()


def test_an_event_about_a_row_names_its_table_and_id(session: Session) -> None:
    candidate = factories.candidate(session)
    user = factories.user(session)
    about_candidate = session.get_one(
        AuditEvent, service.record(session, candidate, actor="7", action="candidate.viewed")
    )
    about_user = session.get_one(AuditEvent, service.record(session, user, actor="7", action="user.login"))
    assert (about_candidate.object_type, about_candidate.object_id) == ("candidate", str(candidate.id))
    # Users keep the name the log has always given them, not their table's (user_account).
    assert (about_user.object_type, about_user.object_id) == ("user", str(user.id))
