"""The assessment lifecycle on a real database: links, autosave, one submission, one result."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from app.assessments import service
from app.assessments.models import Answer, AssessmentMode, AssessmentStatus, Result
from app.db import utcnow
from app.errors import Conflict, Gone, Invalid, NotFound
from app.events.models import OutboxEvent
from tests.assessments.conftest import example


def _invite(session: Session, **extra: object) -> service.Created:
    return service.create(
        session,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language="nl",
        actor="test",
        **extra,  # type: ignore[arg-type]
    )


def _events(session: Session, assessment_id: str) -> list[str]:
    rows = session.exec(select(OutboxEvent).where(OutboxEvent.subject_id == assessment_id).order_by(OutboxEvent.id))  # type: ignore[arg-type]
    return [row.event_type for row in rows]


def test_invitation_token_is_random_and_stored_only_as_hash(bank: Session) -> None:
    created = _invite(bank)
    assert created.token is not None and len(created.token) >= 43  # 256 bits, url-safe base64
    assert created.assessment.token_hash == service.hash_token(created.token)
    assert created.token not in (created.assessment.token_hash or "")
    assert service.by_token(bank, created.token).id == created.assessment.id
    assert created.assessment.status == AssessmentStatus.INVITED


def test_unknown_expired_and_revoked_links(bank: Session) -> None:
    with pytest.raises(NotFound):
        service.by_token(bank, "no-such-token")
    expiring = _invite(bank, expires_at=utcnow() + dt.timedelta(hours=1))
    expiring.assessment.expires_at = utcnow() - dt.timedelta(seconds=1)
    with pytest.raises(Gone) as info:
        service.by_token(bank, expiring.token or "")
    assert info.value.extra["reason"] == "expired"
    assert expiring.assessment.status == AssessmentStatus.EXPIRED
    assert _events(bank, expiring.assessment.id) == ["assessment.expired"]
    revoked = _invite(bank)
    service.cancel(bank, revoked.assessment, actor="test")
    with pytest.raises(Gone) as info:
        service.by_token(bank, revoked.token or "")
    assert info.value.extra["reason"] == "revoked"


def test_autosave_keeps_valid_answers_and_reports_bad_ones(bank: Session) -> None:
    a = _invite(bank).assessment
    problems = service.save_answers(
        bank,
        a,
        {"self_title": "marketing_professional", "years_in_profession": "forever", "nope": 1},
        section="about_you",
    )
    assert set(problems) == {"years_in_profession", "nope"}
    assert "not an option" in problems["years_in_profession"]
    assert service.answers_of(bank, a) == {"self_title": "marketing_professional"}
    assert a.status == AssessmentStatus.STARTED and a.current_section == "about_you"
    # Changing an answer overwrites it; a blank answer removes it.
    service.save_answers(bank, a, {"self_title": "pr_professional"})
    assert service.answers_of(bank, a)["self_title"] == "pr_professional"
    service.save_answers(bank, a, {"self_title": ""})
    assert "self_title" not in service.answers_of(bank, a)
    assert _events(bank, a.id) == ["assessment.started"]


def test_submit_requires_every_required_answer(bank: Session) -> None:
    a = _invite(bank).assessment
    service.save_answers(bank, a, {"self_title": "marketing_professional"})
    with pytest.raises(Invalid) as info:
        service.submit(bank, a, actor="test")
    assert "rate_strategy" in info.value.extra["errors"]
    assert a.status == AssessmentStatus.STARTED


def test_submit_scores_once_and_is_idempotent(bank: Session) -> None:
    a = _invite(bank).assessment
    assert service.save_answers(bank, a, example("self-test--guru")) == {}
    first = service.submit(bank, a, actor="test")
    second = service.submit(bank, a, actor="test")
    assert first.id == second.id
    assert first.verdict == "not_recommended" and first.content_hash == a.content_hash
    assert first.result["questionnaire"]["version"] == a.content_hash
    assert len(bank.exec(select(Result).where(Result.assessment_id == a.id)).all()) == 1
    assert _events(bank, a.id) == ["assessment.started", "assessment.completed"]
    with pytest.raises(Conflict):
        service.save_answers(bank, a, {"self_title": "pr_professional"})


def test_result_in_the_other_language_has_the_same_numbers(bank: Session) -> None:
    a = _invite(bank).assessment  # Dutch
    service.save_answers(bank, a, example("self-test--midlevel"))
    service.submit(bank, a, actor="test")
    nl = service.localised_result(bank, a, "nl")
    en = service.localised_result(bank, a, "en")
    assert nl is not None and en is not None
    assert nl["evidence"] == {**nl["evidence"]} and nl["verdict"]["code"] == en["verdict"]["code"]
    assert nl["evidence"]["overall"] == en["evidence"]["overall"]
    assert nl["verdict"]["label"] != en["verdict"]["label"]


def test_reissue_replaces_the_link(bank: Session) -> None:
    created = _invite(bank)
    new_token = service.reissue(bank, created.assessment, actor="test", expires_at=utcnow() + dt.timedelta(days=7))
    newest = service.reissue(bank, created.assessment, actor="test", expires_at=utcnow() + dt.timedelta(days=7))
    # Every earlier link says it was replaced: the person holds a newer one, no typo to hunt for.
    for old in (created.token or "", new_token):
        with pytest.raises(Gone) as replaced:
            service.by_token(bank, old)
        assert replaced.value.extra["reason"] == "replaced"
    assert service.by_token(bank, newest).id == created.assessment.id
    with pytest.raises(NotFound):
        service.by_token(bank, newest[:-2] + "xy")  # a link never issued is still unknown

    service.cancel(bank, created.assessment, actor="test")
    with pytest.raises(Gone) as withdrawn:
        service.by_token(bank, created.token or "")
    assert withdrawn.value.extra["reason"] == "revoked"  # no newer link to point to any more


def test_rubric_rating_rescores_a_completed_assessment(bank: Session) -> None:
    a = _invite(bank).assessment
    service.save_answers(bank, a, example("self-test--nephew"))
    before = service.submit(bank, a, actor="test").result["evidence"]["dimensions"]["track_record"]["score"]
    service.set_rubric(bank, a, "result_story", 3, user_id=None)  # type: ignore[arg-type]
    after = service.result_of(bank, a)
    assert after is not None and after.result["evidence"]["dimensions"]["track_record"]["score"] > before
    with pytest.raises(Invalid):
        service.set_rubric(bank, a, "result_story", 7, user_id=None)  # type: ignore[arg-type]
    with pytest.raises(Invalid):
        service.set_rubric(bank, a, "self_title", 1, user_id=None)  # type: ignore[arg-type]


def test_hr_assessment_has_no_link(bank: Session) -> None:
    created = service.create(
        bank, questionnaire_id="hr-assessment", mode=AssessmentMode.HR, language="en", actor="test"
    )
    assert created.token is None and created.assessment.token_hash is None
    with pytest.raises(Conflict):
        service.reissue(bank, created.assessment, actor="test", expires_at=None)


def test_unknown_questionnaire_and_bad_language(bank: Session) -> None:
    with pytest.raises(NotFound):
        service.create(bank, questionnaire_id="nope", mode=AssessmentMode.API, language="en", actor="t")
    with pytest.raises(Invalid):
        service.create(bank, questionnaire_id="self-test", mode=AssessmentMode.API, language="de", actor="t")


def test_expire_due(bank: Session) -> None:
    a = _invite(bank, expires_at=utcnow() + dt.timedelta(minutes=5)).assessment
    assert service.expire_due(bank, utcnow() + dt.timedelta(minutes=10)) >= 1
    assert a.status == AssessmentStatus.EXPIRED


def test_answers_are_rows_per_item(bank: Session) -> None:
    a = _invite(bank).assessment
    service.save_answers(bank, a, {"self_title": "pr_professional", "rate_roi": 3})
    service.save_answers(bank, a, {"rate_roi": 4})
    rows = bank.exec(select(Answer).where(Answer.assessment_id == a.id)).all()
    assert sorted((r.item_id, r.value) for r in rows) == [("rate_roi", 4), ("self_title", "pr_professional")]


def test_other_language_keeps_stored_numbers_when_free_text_was_erased(bank: Session) -> None:
    a = _invite(bank).assessment  # Dutch
    service.save_answers(bank, a, example("self-test--senior"))
    stored = service.submit(bank, a, actor="test")
    for row in bank.exec(select(Answer).where(Answer.assessment_id == a.id, Answer.item_id == "result_story")):
        bank.delete(row)
    bank.flush()
    english = service.localised_result(bank, a, "en")
    assert english is not None
    assert english["evidence"]["overall"] == stored.evidence_overall
