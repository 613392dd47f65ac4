"""Retention: four weeks after the procedure closes, up to a year with consent; the purge enforces it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode, Result
from app.audit.models import AuditEvent
from app.config import Settings
from app.db import utcnow
from app.errors import Invalid
from app.privacy import erasure
from app.privacy import service as privacy
from tests.privacy.conftest import EMAIL, FIRST, example, make_candidate, take

CLOSED = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def test_closing_starts_four_weeks_of_retention(session: Session, settings: Settings) -> None:
    candidate = make_candidate(session)
    # Open, the clock runs from the last activity; closing replaces it with four weeks from the close.
    open_until = privacy.retention_until(candidate, settings)
    assert open_until == candidate.updated_at + dt.timedelta(days=settings.retention_inactive_days)
    privacy.close_procedure(session, candidate, actor="user:1", at=CLOSED, settings=settings)
    assert candidate.procedure_closed_at == CLOSED
    assert candidate.retention_until == CLOSED + dt.timedelta(weeks=4)
    # The first close counts: a later decision does not move the date.
    privacy.close_procedure(session, candidate, actor="user:1", at=CLOSED + dt.timedelta(days=9), settings=settings)
    assert candidate.retention_until == CLOSED + dt.timedelta(weeks=4)
    entries = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.procedure_closed")).all()
    assert [(e.object_id, e.detail) for e in entries] == [(str(candidate.id), {})]


def test_consent_extends_retention_up_to_one_year(session: Session, settings: Settings) -> None:
    candidate = make_candidate(session)
    # Given on the invitation page, before the procedure closes: a year from the close.
    until = privacy.record_consent(session, candidate, settings=settings)
    assert until - utcnow() <= dt.timedelta(days=365)
    closed = utcnow()
    privacy.close_procedure(session, candidate, actor="user:1", at=closed, settings=settings)
    assert candidate.retention_until == until
    with pytest.raises(Invalid, match="latest possible date"):
        privacy.record_consent(session, candidate, until=closed + dt.timedelta(days=366), settings=settings)
    shorter = closed + dt.timedelta(days=90)
    privacy.record_consent(session, candidate, until=shorter, settings=settings)
    assert candidate.retention_until == shorter
    # Consent for less than the default changes nothing: four weeks is the minimum after closing.
    privacy.record_consent(session, candidate, until=closed + dt.timedelta(days=3), settings=settings)
    assert candidate.retention_until == closed + dt.timedelta(weeks=4)
    privacy.withdraw_consent(session, candidate, settings=settings)
    assert candidate.retention_consent_until is None
    assert candidate.retention_until == closed + dt.timedelta(weeks=4)
    with pytest.raises(Invalid, match="in the past"):
        privacy.record_consent(session, candidate, until=closed - dt.timedelta(days=1), settings=settings)


def test_retention_period_comes_from_settings(session: Session, settings: Settings) -> None:
    candidate = make_candidate(session)
    short = settings.model_copy(update={"retention_days": 7})
    privacy.close_procedure(session, candidate, actor="user:1", at=CLOSED, settings=short)
    assert candidate.retention_until == CLOSED + dt.timedelta(days=7)


def test_purge_erases_candidates_past_retention_only(bank: Session, settings: Settings) -> None:
    due = take(bank, make_candidate(bank)).candidate
    kept = make_candidate(bank, email="other@example.org")
    open_one = make_candidate(bank, email="open@example.org")
    privacy.close_procedure(bank, due, actor="user:1", at=CLOSED, settings=settings)
    privacy.close_procedure(bank, kept, actor="user:1", at=CLOSED, settings=settings)
    privacy.record_consent(bank, kept, until=utcnow() + dt.timedelta(days=30), settings=settings)
    now = CLOSED + dt.timedelta(weeks=5)
    report = privacy.purge(bank, now=now, settings=settings)
    assert report.candidates_erased == 1
    assert due.erased_at is not None and due.email is None
    assert kept.erased_at is None and kept.first_name == FIRST
    assert open_one.erased_at is None
    entry = bank.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erased")).one()
    assert (entry.actor, entry.detail) == ("system", {"reason": "retention"})
    assert "1 candidate(s)" in str(report)
    # Running again finds nothing new.
    assert privacy.purge(bank, now=now, settings=settings).candidates_erased == 0


def test_purge_removes_old_anonymous_free_text_and_keeps_scores(bank: Session, settings: Settings) -> None:
    def anonymous() -> str:
        a = assessments.create(
            bank, questionnaire_id="self-test", mode=AssessmentMode.ANONYMOUS, language="en", actor="anonymous"
        ).assessment
        assessments.save_answers(bank, a, example("self-test--guru"))
        assessments.submit(bank, a, actor="anonymous")
        return a.id

    old, recent = anonymous(), anonymous()
    old_assessment = assessments.get(bank, old)
    old_assessment.updated_at = utcnow() - dt.timedelta(days=settings.retention_days + 1)
    bank.add(old_assessment)
    bank.flush()
    free = erasure.free_text_items(bank, old_assessment)
    scores = bank.exec(select(Result).where(Result.assessment_id == old)).one().evidence_overall

    report = privacy.purge(bank, settings=settings)

    assert report.anonymous_texts_removed == len(free & set(example("self-test--guru")))
    assert not free & set(assessments.answers_of(bank, old_assessment))
    assert free & set(assessments.answers_of(bank, assessments.get(bank, recent)))
    result = bank.exec(select(Result).where(Result.assessment_id == old)).one()
    assert result.evidence_overall == scores
    assert privacy.purge(bank, settings=settings).anonymous_texts_removed == 0


def test_export_holds_everything_about_the_person(bank: Session) -> None:
    taken = take(bank, make_candidate(bank))
    exported = privacy.export_candidate(bank, taken.candidate)
    text = json.dumps(exported)  # JSON-serialisable as it is
    assert exported["candidate"]["email"] == EMAIL
    by_id = {a["id"]: a for a in exported["assessments"]}
    assert set(by_id) == {taken.self_test.id, taken.hr.id}
    assert by_id[taken.self_test.id]["answers"] == assessments.answers_of(bank, taken.self_test)
    assert by_id[taken.self_test.id]["result"]["verdict"] is not None
    assert "token_hash" not in by_id[taken.self_test.id]
    assert {"decisions", "mentor_assignments", "mail", "audit", "greenhouse_interviews"} <= set(exported)
    assert {e["action"] for e in exported["audit"]} >= {"assessment.created", "assessment.submitted"}
    assert example("self-test--guru")["result_story"] in text
