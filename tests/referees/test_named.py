"""Referees the candidate names on their own link: only when HR allowed it and after submitting, with the
candidate's consent, at most three in all, an address once, and a form sent twice adding nobody twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session, col, select

from app.assessments import service as assessments
from app.audit.models import AuditEvent
from app.db import utcnow
from app.errors import Conflict, NotFound
from app.referees import named
from app.referees import service as referees
from app.referees.models import NamedBy, Referee, RefereeCreate, RefereeStatus
from app.reports import service as reports
from tests import factories as factory

STATEMENT: dict[str, Any] = {
    "relation": "manager",
    "years_together": "over_two_years",
    "ref_strategy": 4,
    "ref_roi": 4,
    "ref_corporate_communication": 3,
    "ref_integration": 4,
    "ref_leadership": 4,
    "ref_track_record": 4,
    "claim_years": "confirmed",
    "claim_results": "confirmed",
    "claim_platform_years": "cannot_judge",
    "departments": ["marketing"],
    "hire_again": "with_support",
}


def _data(**changes: Any) -> RefereeCreate:
    values: dict[str, Any] = {
        "name": "Marta Visser",
        "email": "marta@visser.nl",
        "relation": "colleague",
        "period": "2021-2024",
        "language": "en",
    }
    return RefereeCreate.model_validate(values | changes)


def _actions(session: Session, candidate_id: int | None) -> list[tuple[str, str]]:
    rows = session.exec(
        select(AuditEvent).where(AuditEvent.object_id == str(candidate_id)).order_by(col(AuditEvent.id))
    ).all()
    return [(row.actor, row.action) for row in rows]


def test_the_candidate_names_a_referee_with_their_own_consent(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    before = named.naming(bank, link)
    assert before.open and before.consent is None and before.places == 3 and before.named == []
    added = named.name(bank, link, _data(), agreed=True, form_key=before.form_key)
    assert added is not None and added.token
    assert added.referee.named_by == NamedBy.CANDIDATE and added.referee.created_by == "candidate"
    consent = referees.consent_of(bank, person.id)  # type: ignore[arg-type]
    assert consent is not None and consent.recorded_by == "candidate"
    row = named.naming(bank, link).named[0]
    assert row.status == RefereeStatus.INVITED and row.assessment is not None
    assert row.assessment.expires_at is not None and row.assessment.expires_at > utcnow() + dt.timedelta(days=13)
    assert referees.by_token(bank, added.token)[0].id == added.referee.id  # the same link rules as HR's
    actions = _actions(bank, person.id)
    assert ("candidate", "referee.consent_recorded") in actions and (
        "candidate",
        "referee.named_by_candidate",
    ) in actions


def test_naming_needs_the_invitations_permission_and_a_submitted_test(bank: Session) -> None:
    _, not_allowed, _ = factory.naming_link(bank, allowed=False)
    with pytest.raises(NotFound):
        named.naming(bank, not_allowed)
    person = factory.candidate(bank)
    unfinished = assessments.create(
        bank,
        questionnaire_id="self-test",
        mode="invitation",
        language="en",
        actor="hr",
        candidate_id=person.id,
        candidate_names_referees=True,
    ).assessment
    assert not named.allows(unfinished)
    with pytest.raises(NotFound):
        named.name(bank, unfinished, _data(), agreed=True, form_key=0)
    assert bank.exec(select(Referee)).all() == []


def test_without_consent_nothing_is_added(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    with pytest.raises(Conflict) as caught:
        named.name(bank, link, _data(), agreed=False, form_key=0)
    assert caught.value.extra["field"] == "consent"
    assert referees.list_for(bank, person.id) == []  # type: ignore[arg-type]
    assert link.referees_named == 0  # a refused form does not count as sent


def test_consent_recorded_by_hr_is_enough(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    referees.record_consent(bank, person, actor="hr@example.org")
    assert named.name(bank, link, _data(), agreed=False, form_key=0) is not None


def test_own_address_and_an_address_named_before_are_refused(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    with pytest.raises(Conflict, match=r"midlevel@example\.org is your own address") as caught:
        named.name(bank, link, _data(email="Midlevel@Example.org"), agreed=True, form_key=0)
    assert caught.value.extra["field"] == "email"
    first = named.name(bank, link, _data(), agreed=True, form_key=0)
    assert first is not None
    with pytest.raises(Conflict, match=r"marta@visser\.nl is already one of your referees"):
        named.name(bank, link, _data(email="MARTA@visser.nl", name="Other"), agreed=True, form_key=1)
    referees.revoke(bank, first.referee, actor="hr@example.org")
    with pytest.raises(Conflict, match="already one of your referees"):  # HR's revocation stands
        named.name(bank, link, _data(), agreed=True, form_key=1)
    assert len(referees.list_for(bank, person.id)) == 1  # type: ignore[arg-type]


def test_at_most_three_referees_counting_hrs(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    referees.record_consent(bank, person, actor="hr@example.org")
    for i in range(2):
        referees.add(bank, person, _data(email=f"hr{i}@example.com"), actor="hr", expires_at=None)
    assert named.naming(bank, link).places == 1
    assert named.name(bank, link, _data(), agreed=False, form_key=0) is not None
    seen = named.naming(bank, link)
    assert seen.places == 0 and [r.referee.email for r in seen.named] == ["marta@visser.nl"]  # HR's not shown
    with pytest.raises(Conflict, match="at most 3") as caught:
        named.name(bank, link, _data(email="four@example.com"), agreed=False, form_key=seen.form_key)
    assert caught.value.extra["field"] == "form"


def test_a_form_sent_twice_adds_the_referee_once(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    assert named.name(bank, link, _data(), agreed=True, form_key=0) is not None
    assert named.name(bank, link, _data(), agreed=True, form_key=0) is None  # the second click
    assert named.already_named(bank, link, " Marta@Visser.nl ")
    # Another form shown before the first was accepted is not taken either: the candidate checks the list.
    assert named.name(bank, link, _data(email="jan@example.com"), agreed=True, form_key=0) is None
    assert not named.already_named(bank, link, "jan@example.com")
    assert [r.referee.email for r in referees.list_for(bank, person.id)] == ["marta@visser.nl"]  # type: ignore[arg-type]


def test_naming_closes_when_the_invitation_expires(bank: Session) -> None:
    _, link, _ = factory.naming_link(bank)
    link.expires_at = utcnow() - dt.timedelta(minutes=1)
    bank.add(link)
    seen = named.naming(bank, link)
    assert not seen.open
    with pytest.raises(Conflict, match="has closed"):
        named.name(bank, link, _data(), agreed=True, form_key=0)


def test_fraud_signals_apply_to_referees_the_candidate_named(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    # A "manager" on the candidate's own e-mail domain.
    added = named.name(bank, link, _data(email="boss@example.org", relation="manager"), agreed=True, form_key=0)
    assert added is not None and added.referee.assessment_id is not None
    statement = assessments.get(bank, added.referee.assessment_id)
    referees.mark_started(bank, added.referee, network=None)
    assessments.save_answers(bank, statement, STATEMENT)
    assessments.submit(bank, statement, actor="referee")
    result = reports.combined_result(bank, person, "en").result
    assert result is not None
    signals = {s["code"]: s["referees"] for s in result["references"]["fraud_signals"]}
    assert signals["own_domain"] == [added.referee.id]


def test_claims_are_shown_inside_the_questions_that_check_them(bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    added = named.name(bank, link, _data(language="nl"), agreed=True, form_key=0)
    assert added is not None and added.referee.assessment_id is not None
    statement = assessments.get(bank, added.referee.assessment_id)
    shown = referees.claims_in_questions(bank, statement, "nl")
    assert [c.answer for c in shown["claim_years"]] == ["2 tot 5 jaar"]
    assert [c.item_id for c in shown["claim_results"]] == ["documented_results", "result_story"]
    assert "hire_again" not in shown
    assert referees.claims_in_questions(bank, link, "nl") == {}  # the candidate's own link shows none
    referees.withdraw_consent(bank, person, actor="hr@example.org")
    assert referees.claims_in_questions(bank, statement, "nl") == {}
