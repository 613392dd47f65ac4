"""Erase one candidate's personal data everywhere it is stored; scores stay, anonymous, for norms.

Erasure is final and re-runnable: every step runs again on an erased candidate (each one is idempotent),
so a second call finishes whatever the first could not, and nothing may add personal data afterwards
(candidates.service.ensure_not_erased). The audit log is never touched: it holds ids only (searches are
recorded without their text), so there is nothing in it to erase. On SQLite the write-ahead log is
checkpointed once the erasure commits, and deleted content is overwritten (PRAGMA secure_delete), so the
old rows do not linger in the database files.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Engine, String, and_, cast, delete, event, func, or_
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.apikeys import idempotency
from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment, ReplacedLink
from app.audit import service as audit
from app.candidates.models import Candidate
from app.db import utcnow
from app.events import service as events
from app.events.models import OutboxEvent
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import InvitationReminder, MailMessage, MailStatus
from app.referees import networks
from app.referees import service as referees
from app.reports.models import Decision
from app.scoring import model as m

ERASED = "[erased]"
"""Stands in for a removed name or explanation; the name columns stay non-null so every schema still validates."""

# Keys that name a person in a payload; their values are removed wherever they appear.
PERSONAL_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "preferred_name",
        "name",
        "full_name",
        "email",
        "e_mail",
        "to_address",
        "external_ref",
        "phone",
    }
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
    values = (
        candidate.first_name,
        candidate.last_name,
        candidate.preferred_name,
        candidate.email,
        candidate.external_ref,
    )
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
        message.sealed_link = None
        if message.status not in (MailStatus.SENT, MailStatus.WITHDRAWN):
            # Nothing left to send: keep it out of the sender's queue.
            message.status = MailStatus.FAILED
            message.error = "recipient erased"
        session.add(message)
    # A planned reminder holds the candidate's link (sealed): nothing is left to remind them of.
    for reminder in session.exec(
        select(InvitationReminder).where(col(InvitationReminder.assessment_id).in_(assessment_ids))
    ).all():
        session.delete(reminder)


def _scrub_greenhouse(session: Session, candidate: Candidate, personal: set[str]) -> None:
    interviews = session.exec(select(GreenhouseInterview).where(GreenhouseInterview.candidate_id == candidate.id)).all()
    for interview in interviews:
        # The Greenhouse profile address points at the person; the callback is kept to report completion.
        interview.greenhouse_profile_url = None
        session.add(interview)
    interview_ids = {i.id for i in interviews}
    email = (candidate.email or "").strip().lower()
    linked: list[ColumnElement[bool]] = [col(GreenhouseResponseError.partner_interview_id).in_(interview_ids)]
    if email:
        linked.append(func.lower(GreenhouseResponseError.candidate_email) == email)
    # Greenhouse's texts are free-form: a report about another test may still quote this person.
    texts = cast(GreenhouseResponseError.errors, String)
    quoted = [texts.icontains(v, autoescape=True) for v in personal if "@" in v or len(v) >= 6]
    for report in session.exec(select(GreenhouseResponseError).where(or_(*linked, *quoted))).all():
        about = report.partner_interview_id in interview_ids or (
            bool(email) and (report.candidate_email or "").strip().lower() == email
        )
        if about:
            report.candidate_email = None
            report.errors = [ERASED for _ in report.errors]
        else:
            report.errors = [_without(text, personal) for text in report.errors]
        session.add(report)


def _without(text: Any, personal: set[str]) -> Any:
    """Return text with every mention of the person's name, e-mail or reference replaced (any case)."""
    if not isinstance(text, str):
        return text
    for value in sorted(personal, key=len, reverse=True):
        text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
    return text


def erase_candidate(session: Session, candidate: Candidate, *, actor: str, reason: str = "request") -> None:
    """Remove the candidate's personal data everywhere, keep anonymous scores, and log it.

    Idempotent and re-runnable: on an erased candidate every step runs again (the log entry and the
    candidate.erased event are written once).
    """
    first = candidate.erased_at is None
    assert candidate.id is not None
    # Referees' statements are about the candidate: they go with the candidate's data.
    owned = [
        *session.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).all(),
        *referees.assessments_of(session, candidate.id),
    ]
    ids = [a.id for a in owned]
    for assessment in owned:
        if assessment.status in assessments.OPEN:
            assessments.cancel(session, assessment, actor=actor)
        remove_free_text(session, assessment)
        # The link led to this person's feedback: it stops working, for completed assessments too.
        assessment.token_hash = None
        session.add(assessment)
    personal = _personal_values(candidate)
    # Their earlier links stop too: they say "unknown" now, as the current one does, not "replaced".
    session.execute(delete(ReplacedLink).where(col(ReplacedLink.assessment_id).in_(ids)))
    _scrub_mail(session, candidate, ids)
    _scrub_outbox(session, candidate, ids, personal)
    for decision in session.exec(select(Decision).where(Decision.candidate_id == candidate.id)).all():
        decision.reason = None
        decision.note = None
        session.add(decision)
    _scrub_greenhouse(session, candidate, personal)
    referees.erase(session, candidate.id)
    networks.erase(session, candidate.id)
    # Stored API replies about the person (names, e-mail, results with their words) are not replayed again.
    idempotency.forget_candidate(session, candidate.id, assessment_ids=ids)
    now = utcnow()
    candidate.first_name = ERASED
    candidate.last_name = ERASED
    candidate.preferred_name = None
    candidate.name_key = f"{ERASED} {ERASED}"  # the sort key is built from the name
    candidate.email = None
    candidate.external_ref = None
    candidate.retention_consent_until = None
    candidate.retention_until = None
    if first:
        candidate.erased_at = now
        candidate.updated_at = now
    session.add(candidate)
    session.flush()
    session.info[_CHECKPOINT] = True
    if not first:
        return
    events.emit(session, events.CANDIDATE_ERASED, subject_id=str(candidate.id), data={"candidate_id": candidate.id})
    audit.record(session, candidate, actor=actor, action="candidate.erased", detail={"reason": reason})


# Session.info key: this transaction erased someone; checkpoint SQLite's write-ahead log once it commits.
_CHECKPOINT = "touchstone_erased"
# How long the checkpoint waits for other writers; what it cannot copy now, the next erasure or purge does.
CHECKPOINT_WAIT_MS = 2000


def checkpoint(engine: Engine, *, wait_ms: int = CHECKPOINT_WAIT_MS) -> bool:
    """Copy SQLite's write-ahead log into the database file and truncate it; True when it completed.

    Until then the old versions of erased rows stay readable in the -wal file. PostgreSQL needs nothing
    here: dead row versions are not reachable through SQL and VACUUM reclaims them.
    """
    if engine.dialect.name != "sqlite":
        return True
    raw = engine.raw_connection()
    try:
        # Put the connection's own wait (app.db.sqlite) back afterwards: it goes back into the pool.
        restore = int(getattr(raw.dbapi_connection, "busy_timeout", 5.0) * 1000)
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout={restore}")
        cursor.close()
    finally:
        raw.close()
    return not busy


@event.listens_for(OrmSession, "after_commit")
def _checkpoint_after_erasure(session: OrmSession) -> None:
    if not session.info.pop(_CHECKPOINT, False):
        return
    bind = session.get_bind()
    checkpoint(bind if isinstance(bind, Engine) else bind.engine)
