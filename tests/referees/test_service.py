"""Referees: consent first, one to three per candidate, personal links with the candidate's link rules,
and their data follows the candidate's erasure and export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Answer
from app.audit.models import AuditEvent
from app.candidates import service as candidates
from app.config import get_settings
from app.db import utcnow
from app.errors import Conflict, Gone, NotFound
from app.events.models import OutboxEvent
from app.privacy import erasure, export
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import Referee, RefereeCreate, RefereeStatus, Relation
from tests import factories as factory

WEEK = dt.timedelta(days=7)


def _data(**changes: Any) -> RefereeCreate:
    values: dict[str, Any] = {
        "name": "Marta Visser",
        "email": "Marta@Example.org",
        "relation": "manager",
        "period": "2021-2024",
        "language": "nl",
    }
    return RefereeCreate.model_validate(values | changes)


def _ready(session: Session, persona: str = "midlevel") -> Any:
    person = factory.persona(session, persona)
    referees.record_consent(session, person, actor="hr@example.org")
    return person


def test_referee_needs_the_candidates_consent(bank: Session) -> None:
    person = factory.persona(bank, "midlevel")
    with pytest.raises(Conflict, match="has not agreed"):
        referees.add(bank, person, _data(), actor="hr", expires_at=utcnow() + WEEK)
    referees.record_consent(bank, person, actor="hr@example.org")
    added = referees.add(bank, person, _data(), actor="hr", expires_at=utcnow() + WEEK)
    assert added.referee.email == "marta@example.org" and added.referee.relation == Relation.MANAGER
    [row] = referees.list_for(bank, person.id)
    assert row.status == RefereeStatus.INVITED
    assert row.assessment is not None and row.assessment.candidate_id is None  # never the candidate's own
    actions = bank.exec(select(AuditEvent.action).where(AuditEvent.object_id == str(person.id))).all()
    assert "referee.consent_recorded" in actions and "referee.added" in actions


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-address"), ("relation", "friend"), ("name", "  "), ("language", "de"), ("period", "")],
)
def test_bad_referee_fields_are_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _data(**{field: value})
    assert caught.value.errors()[0]["loc"][0] == field


def test_at_most_three_referees_who_are_not_revoked(bank: Session) -> None:
    person = _ready(bank)
    added = [
        referees.add(bank, person, _data(email=f"r{i}@example.org"), actor="hr", expires_at=None) for i in range(3)
    ]
    with pytest.raises(Conflict, match="at most 3"):
        referees.add(bank, person, _data(email="r4@example.org"), actor="hr", expires_at=None)
    referees.revoke(bank, added[0].referee, actor="hr")
    assert referees.list_for(bank, person.id)[0].status == RefereeStatus.REVOKED
    referees.add(bank, person, _data(email="r4@example.org"), actor="hr", expires_at=None)
    referees.revoke(bank, added[1].referee, actor="hr")
    with pytest.raises(Conflict, match=r"r2@example\.org is already a referee"):
        referees.add(bank, person, _data(email="R2@example.org"), actor="hr", expires_at=None)


def test_link_rules_expiry_revoke_and_resend(bank: Session) -> None:
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=utcnow() + WEEK)
    referee, assessment = referees.by_token(bank, added.token)
    assert referee.id == added.referee.id
    assessment.expires_at = utcnow() - dt.timedelta(seconds=1)
    bank.add(assessment)
    with pytest.raises(Gone):
        referees.by_token(bank, added.token)
    assert referees.list_for(bank, person.id)[0].status == RefereeStatus.EXPIRED
    fresh = referees.resend(bank, referee, actor="hr", expires_at=utcnow() + WEEK)
    with pytest.raises(Gone) as replaced:
        referees.by_token(bank, added.token)  # the old link no longer works, and says why
    assert replaced.value.extra["reason"] == "replaced"
    assert referees.by_token(bank, fresh)[0].id == referee.id
    referees.revoke(bank, referee, actor="hr")
    with pytest.raises(Gone):
        referees.by_token(bank, fresh)


def test_resend_and_revoke_withdraw_the_referees_unsent_mail(bank: Session) -> None:
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=utcnow() + WEEK)
    first = referee_mail.send_link(bank, get_settings(), added.referee, added.token)
    fresh = referees.resend(bank, added.referee, actor="hr", expires_at=utcnow() + WEEK)
    assert first.status == "withdrawn" and first.sealed_link is None  # never sent with a dead link
    second = referee_mail.send_link(bank, get_settings(), added.referee, fresh)
    assert second.status in ("held", "queued")
    referees.revoke(bank, added.referee, actor="hr")
    assert second.status == "withdrawn"


def test_a_candidates_own_link_is_no_referee_link(bank: Session) -> None:
    person = factory.candidate(bank)
    created = assessments.create(
        bank, questionnaire_id="self-test", mode="invitation", language="en", actor="hr", candidate_id=person.id
    )
    assert created.token is not None
    with pytest.raises(NotFound):
        referees.by_token(bank, created.token)


def test_referee_sees_the_claims_as_the_candidate_stated_them(bank: Session) -> None:
    person = _ready(bank, "midlevel")
    added = referees.add(bank, person, _data(language="en"), actor="hr", expires_at=None)
    shown = {c.item_id: c.answer for c in referees.claims_shown(bank, added.referee, "en")}
    assert shown["years_in_profession"] == "2 to 5 years"
    assert shown["documented_results"] == "Yes, one, with business figures"
    assert "result_story" in shown
    dutch = {c.item_id: c.answer for c in referees.claims_shown(bank, added.referee, "nl")}
    assert dutch["years_in_profession"] == "2 tot 5 jaar"


def test_no_claims_are_shown_without_consent(bank: Session) -> None:
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=None)
    consent = referees.consent_of(bank, person.id)
    assert consent is not None
    consent.withdrawn_at = utcnow()
    bank.add(consent)
    assert referees.claims_shown(bank, added.referee, "en") == []


def test_erasure_removes_the_referees_and_their_words(bank: Session) -> None:
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=None)
    referee, assessment = referees.by_token(bank, added.token)
    message = referee_mail.invite(bank, get_settings(), referee, assessment, added.token, candidate_name="M P")
    referees.mark_started(bank, referee, network="abc")
    assessments.save_answers(bank, assessment, {"hire_again_why": "Marta says she is great"}, section="collaboration")
    erasure.erase_candidate(bank, person, actor="hr")
    bank.refresh(referee)
    assert (referee.name, referee.email, referee.period) == ("[erased]",) * 3
    assert referee.network_hash is None and referee.erased_at is not None
    texts = bank.exec(select(Answer).where(Answer.assessment_id == assessment.id)).all()
    assert [a.item_id for a in texts if a.item_id == "hire_again_why"] == []
    with pytest.raises((NotFound, Gone)):
        referees.by_token(bank, added.token)
    bank.refresh(message)
    assert (message.to_address, message.sealed_link) == ("", None)


def test_export_holds_the_referees_and_their_statements(bank: Session) -> None:
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=None)
    data = export.export_candidate(bank, person)
    block = data["references"]
    assert block["consent"]["recorded_by"] == "hr@example.org"
    [shown] = block["referees"]
    assert shown["name"] == "Marta Visser" and shown["status"] == "invited" and "network_hash" not in shown
    assert [s["id"] for s in block["statements"]] == [added.referee.assessment_id]
    assert "token_hash" not in block["statements"][0]
    assert bank.get(Referee, added.referee.id) is not None


def test_a_referees_statement_is_no_assessment_of_the_candidate_for_lists_and_webhooks(bank: Session) -> None:
    # A statement carries an engine verdict that means nothing on its own: it must not reach the assessments
    # lists (HR and API) nor the assessment.* events an ATS acts on.
    person = _ready(bank)
    added = referees.add(bank, person, _data(), actor="hr", expires_at=None)
    _referee, assessment = referees.by_token(bank, added.token)
    assessments.save_answers(bank, assessment, {"hire_again_why": "Worked with her for years"}, section="collaboration")
    bank.refresh(assessment)
    assert assessment.status == "started"
    announced = bank.exec(select(OutboxEvent).where(OutboxEvent.subject_id == str(assessment.id))).all()
    assert announced == []
    listed = candidates.list_assessments(bank, limit=100).items
    assert assessment.id not in [a.id for a in listed]
    # the candidate's own assessments are still listed
    own = factory.opened(bank, candidate_id=person.id)
    assert own.id in [a.id for a in candidates.list_assessments(bank, limit=100).items]
