"""Erase one candidate's personal data everywhere it is stored; scores stay, anonymous, for norms.

The audit log is never touched: it holds ids only, so there is nothing in it to erase.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, delete, func, or_
from sqlmodel import Session, col, select

from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment
from app.audit import service as audit
from app.candidates.models import Candidate
from app.db import utcnow
from app.events import service as events
from app.events.models import OutboxEvent
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage, MailStatus
from app.reports.models import Decision
from app.scoring import model as m

ERASED = "[erased]"
"""Stands in for a removed name or explanation; the name columns stay non-null so every schema still validates."""

# Keys that name a person in a payload; their values are removed wherever they appear.
PERSONAL_KEYS = frozenset(
    {"first_name", "last_name", "name", "full_name", "email", "e_mail", "to_address", "external_ref", "phone"}
)


def free_text_items(session: Session, assessment: Assessment) -> set[str]:
    """Return the ids of the free-text items in the questionnaire version the assessment was taken on."""
    questionnaire = assessments.compiled_of(session, assessment).questionnaire
    return {item.id for item in questionnaire.items() if isinstance(item, m.FreeTextItem)}


def remove_free_text(session: Session, assessment: Assessment) -> int:
    """Delete the free-text answers of one assessment and the result explanations drawn from them."""
    item_ids = free_text_items(session, assessment)
    if not item_ids:
        return 0
    removed = session.execute(
        delete(Answer).where(col(Answer.assessment_id) == assessment.id, col(Answer.item_id).in_(item_ids))
    )
    result = assessments.result_of(session, assessment)
    if result is not None:
        scrubbed = scrub_result(result.result, item_ids)
        if scrubbed != result.result:
            result.result = scrubbed
            session.add(result)
    session.flush()
    return int(removed.rowcount or 0)  # type: ignore[attr-defined]


def scrub_result(result: dict[str, Any], item_ids: Collection[str]) -> dict[str, Any]:
    """Return the result with every explanation of a free-text item replaced; the numbers stay.

    Explanations of text items name the terms found in the text, and signal reasons repeat those
    explanations, so both go.
    """
    quoted: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("item") in item_ids and isinstance(node.get("detail"), str) and node["detail"]:
                quoted.add(node["detail"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("item") in item_ids and isinstance(node.get("detail"), str):
                return {**{k: rewrite(v) for k, v in node.items()}, "detail": ERASED}
            return {k: rewrite(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        if isinstance(node, str):
            for text in sorted(quoted, key=len, reverse=True):
                node = node.replace(text, ERASED)
            return node
        return node

    collect(result)
    return rewrite(result) if quoted else result


def scrub_payload(node: Any, personal: Collection[str]) -> Any:
    """Return a JSON value with personal keys and personal string values (case-insensitive) set to None."""
    if isinstance(node, dict):
        return {k: None if k in PERSONAL_KEYS else scrub_payload(v, personal) for k, v in node.items()}
    if isinstance(node, list):
        return [scrub_payload(v, personal) for v in node]
    if isinstance(node, str) and node.strip().lower() in personal:
        return None
    return node


def _personal_values(candidate: Candidate) -> set[str]:
    values = (candidate.first_name, candidate.last_name, candidate.email, candidate.external_ref)
    found = {v.strip().lower() for v in values if v and v != ERASED}
    if candidate.first_name != ERASED:
        found.add(f"{candidate.first_name} {candidate.last_name}".strip().lower())
    return found


def _scrub_outbox(session: Session, candidate: Candidate, assessment_ids: Iterable[str], personal: set[str]) -> None:
    about_candidate = and_(
        col(OutboxEvent.event_type).startswith("candidate."), col(OutboxEvent.subject_id) == str(candidate.id)
    )
    # Payloads should hold ids only; any event that mentions the e-mail or ATS reference is scrubbed too.
    payload = cast(OutboxEvent.payload, String)
    mentions = [payload.contains(v, autoescape=True) for v in (candidate.email, candidate.external_ref) if v]
    related = or_(col(OutboxEvent.subject_id).in_(list(assessment_ids)), about_candidate, *mentions)
    rows = session.exec(select(OutboxEvent).where(related)).all()
    for row in rows:
        scrubbed = scrub_payload(row.payload, personal)
        if scrubbed != row.payload:
            row.payload = scrubbed
            session.add(row)


def _scrub_mail(session: Session, candidate: Candidate, assessment_ids: list[str]) -> None:
    conditions: list[ColumnElement[bool]] = [col(MailMessage.assessment_id).in_(assessment_ids)]
    if candidate.email:
        conditions.append(func.lower(MailMessage.to_address) == candidate.email.strip().lower())
    for message in session.exec(select(MailMessage).where(or_(*conditions))).all():
        message.to_address = ""
        message.subject = ERASED
        message.body_text = ""
        if message.status != MailStatus.SENT:
            # Nothing left to send: keep it out of the sender's queue.
            message.status = MailStatus.FAILED
            message.error = "recipient erased"
        session.add(message)


def erase_candidate(session: Session, candidate: Candidate, *, actor: str, reason: str = "request") -> None:
    """Remove the candidate's personal data everywhere, keep anonymous scores, and log it (idempotent)."""
    if candidate.erased_at is not None:
        return
    owned = session.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).all()
    ids = [a.id for a in owned]
    for assessment in owned:
        if assessment.status in assessments.OPEN:
            assessments.cancel(session, assessment, actor=actor)
        remove_free_text(session, assessment)
        # The link led to this person's feedback: it stops working, for completed assessments too.
        assessment.token_hash = None
        session.add(assessment)
    personal = _personal_values(candidate)
    _scrub_mail(session, candidate, ids)
    _scrub_outbox(session, candidate, ids, personal)
    for decision in session.exec(select(Decision).where(Decision.candidate_id == candidate.id)).all():
        decision.reason = None
        decision.note = None
        session.add(decision)
    for interview in session.exec(
        select(GreenhouseInterview).where(GreenhouseInterview.candidate_id == candidate.id)
    ).all():
        # The Greenhouse profile address points at the person; the callback is kept to report completion.
        interview.greenhouse_profile_url = None
        session.add(interview)
    if candidate.email:
        for error in session.exec(
            select(GreenhouseResponseError).where(
                func.lower(GreenhouseResponseError.candidate_email) == candidate.email.strip().lower()
            )
        ).all():
            error.candidate_email = None
            session.add(error)
    now = utcnow()
    candidate.first_name = ERASED
    candidate.last_name = ERASED
    candidate.name_key = f"{ERASED} {ERASED}"  # the sort key is built from the name
    candidate.email = None
    candidate.external_ref = None
    candidate.retention_consent_until = None
    candidate.erased_at = now
    candidate.updated_at = now
    session.add(candidate)
    session.flush()
    events.emit(session, events.CANDIDATE_ERASED, subject_id=str(candidate.id), data={"candidate_id": candidate.id})
    audit.record(
        session,
        actor=actor,
        action="candidate.erased",
        object_type="candidate",
        object_id=candidate.id,
        detail={"reason": reason},
    )
