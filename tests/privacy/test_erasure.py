"""Erasure removes the person everywhere, keeps the anonymous numbers, and is logged without personal data."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from app.assessments import service as assessments
from app.assessments.models import Answer, AssessmentMode, AssessmentStatus, ReplacedLink, Result
from app.audit.models import AuditEvent
from app.events.models import OutboxEvent
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage, MailStatus
from app.privacy import erasure
from app.privacy import service as privacy
from app.reports.models import Decision, DecisionKind
from tests.privacy.conftest import EMAIL, FIRST, LAST, REF, Taken, make_candidate

PERSONAL = (FIRST, LAST, EMAIL, REF)


def _free_text_answers(session: Session, taken: Taken) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for assessment in (taken.self_test, taken.hr):
        ids = erasure.free_text_items(session, assessment)
        rows = session.exec(select(Answer).where(Answer.assessment_id == assessment.id)).all()
        found[assessment.id] = [row.item_id for row in rows if row.item_id in ids]
    return found


def _text_details(node: object, item_ids: set[str]) -> list[str]:
    if isinstance(node, dict):
        own = [node["detail"]] if node.get("item") in item_ids and "detail" in node else []
        return own + [d for v in node.values() for d in _text_details(v, item_ids)]
    if isinstance(node, list):
        return [d for v in node for d in _text_details(v, item_ids)]
    return []


def _mentions_person(value: object) -> bool:
    text = json.dumps(value, ensure_ascii=False, default=str).lower()
    return any(p.lower() in text for p in PERSONAL)


def test_erase_removes_personal_data_and_keeps_scores(taken: Taken, bank: Session) -> None:
    session = bank
    candidate = taken.candidate
    assert all(_free_text_answers(session, taken).values()), "the personas answer free-text items"
    self_result = assessments.result_of(session, taken.self_test)
    assert self_result is not None
    assert _text_details(self_result.result, erasure.free_text_items(session, taken.self_test))
    before = {a.id: assessments.result_of(session, a) for a in (taken.self_test, taken.hr)}
    numbers = {k: (r.evidence_overall, r.claims_index, r.verdict, r.calibration) for k, r in before.items() if r}
    answers_before = {a.id: len(assessments.answers_of(session, a)) for a in (taken.self_test, taken.hr)}
    session.add(
        MailMessage(
            to_address=EMAIL,
            subject=f"Invitation for {FIRST}",
            body_text=f"Dear {FIRST} {LAST}, ...",
            kind="invitation",
            assessment_id=taken.self_test.id,
            status=MailStatus.HELD,
        )
    )
    session.add(
        Decision(candidate_id=candidate.id, decision=DecisionKind.REJECT, reason=f"{FIRST} lied", note="call back")  # type: ignore[arg-type]
    )
    # An event that (wrongly) carried personal data is scrubbed too.
    session.add(
        OutboxEvent(
            event_id="evt_privacy_test",
            event_type="candidate.updated",
            subject_id=str(candidate.id),
            payload={"type": "candidate.updated", "data": {"candidate_id": candidate.id, "email": EMAIL}},
        )
    )
    session.add(
        GreenhouseInterview(
            candidate_id=candidate.id,
            assessment_id=taken.self_test.id,
            partner_test_id="self-test",
            callback_url="https://greenhouse.example/callback/1",
            greenhouse_profile_url="https://greenhouse.example/people/991",
        )
    )
    # Another kind of event with the same numeric subject id is not about this person.
    session.add(
        OutboxEvent(
            event_id="evt_role_same_id",
            event_type="role.created",
            subject_id=str(candidate.id),
            payload={"type": "role.created", "data": {"name": "Social media lead"}},
        )
    )
    session.add(GreenhouseResponseError(api_call="send_test", errors=[], candidate_email=EMAIL.upper()))
    session.flush()

    privacy.erase_candidate(session, candidate, actor="user:1")

    assert candidate.erased_at is not None
    assert (candidate.first_name, candidate.last_name) == (privacy.ERASED, privacy.ERASED)
    assert candidate.email is None and candidate.external_ref is None
    assert FIRST.lower() not in candidate.name_key
    # Free text is gone, HR notes included; every other answer and every number stays.
    assert not any(_free_text_answers(session, taken).values())
    for a in (taken.self_test, taken.hr):
        left = len(assessments.answers_of(session, a))
        assert 0 < left < answers_before[a.id]
        result = assessments.result_of(session, a)
        assert result is not None
        assert (result.evidence_overall, result.claims_index, result.verdict, result.calibration) == numbers[a.id]
        free = erasure.free_text_items(session, a)
        assert all(detail == privacy.ERASED for detail in _text_details(result.result, free))
        assert a.token_hash is None
    mail = session.exec(select(MailMessage).where(MailMessage.assessment_id == taken.self_test.id)).one()
    assert mail.to_address == "" and mail.body_text == "" and not _mentions_person(mail.subject)
    assert mail.status == MailStatus.FAILED
    decision = session.exec(select(Decision).where(Decision.candidate_id == candidate.id)).one()
    assert decision.reason is None and decision.note is None and decision.decision == DecisionKind.REJECT
    role_event = session.exec(select(OutboxEvent).where(OutboxEvent.event_id == "evt_role_same_id")).one()
    assert role_event.payload["data"] == {"name": "Social media lead"}
    interview = session.exec(select(GreenhouseInterview)).one()
    assert interview.greenhouse_profile_url is None and interview.callback_url
    assert session.exec(select(GreenhouseResponseError)).one().candidate_email is None
    for event in session.exec(select(OutboxEvent)).all():
        assert not _mentions_person(event.payload), event.payload
    erased = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "candidate.erased")).one()
    assert erased.payload == {"type": "candidate.erased", "data": {"candidate_id": candidate.id}}
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erased")).one()
    assert (entry.actor, entry.object_id, entry.detail) == ("user:1", str(candidate.id), {"reason": "request"})
    for row in session.exec(select(AuditEvent)).all():
        assert not _mentions_person(row.model_dump()), row


def test_erase_is_idempotent(taken: Taken, bank: Session) -> None:
    session = bank
    privacy.erase_candidate(session, taken.candidate, actor="user:1")
    privacy.erase_candidate(session, taken.candidate, actor="user:1")
    entries = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erased")).all()
    assert len(entries) == 1
    assert len(session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "candidate.erased")).all()) == 1


def test_erase_withdraws_open_invitations(bank: Session) -> None:
    candidate = make_candidate(bank)
    created = assessments.create(
        bank,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language="nl",
        actor="test",
        candidate_id=candidate.id,
    )
    assessments.save_answers(bank, created.assessment, {"result_story": f"I am {FIRST}, I grew sales 20%."})
    assessments.reissue(bank, created.assessment, actor="test", expires_at=None)
    privacy.erase_candidate(bank, candidate, actor="user:1", reason="request")
    assert created.assessment.status == AssessmentStatus.CANCELLED
    assert assessments.answers_of(bank, created.assessment) == {}
    # The link no longer leads anywhere, nor do the earlier links a resend replaced.
    assert created.assessment.token_hash is None
    assert bank.exec(select(ReplacedLink)).all() == []


def test_scrub_result_replaces_text_explanations_everywhere() -> None:
    result = {
        "evidence": {"items": [{"item": "story", "detail": "found: revenue, leads", "points": 1.0}]},
        "claims": {"signals": [{"reason": "Buzzwords (found: revenue, leads)", "answers": [{"item": "story"}]}]},
        "other": [{"item": "q1", "detail": "option b"}],
    }
    scrubbed = erasure.scrub_result(result, {"story"})
    assert scrubbed["evidence"]["items"][0] == {"item": "story", "detail": privacy.ERASED, "points": 1.0}
    assert scrubbed["claims"]["signals"][0]["reason"] == f"Buzzwords ({privacy.ERASED})"
    assert scrubbed["other"] == [{"item": "q1", "detail": "option b"}]


def test_results_stay_countable_for_norms(taken: Taken, bank: Session) -> None:
    session = bank
    ids = [taken.self_test.id, taken.hr.id]
    privacy.erase_candidate(session, taken.candidate, actor="user:1")
    assert len(session.exec(select(Result).where(col(Result.assessment_id).in_(ids))).all()) == 2
