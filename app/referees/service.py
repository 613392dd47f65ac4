"""Referees of a candidate: consent, adding one to three, their links, status and the claims they see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.assessments import changes
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.assessments.service import latest_completed
from app.audit import service as audit
from app.candidates import reminders
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.config import Settings
from app.db import utcnow
from app.db.lookup import get_or_404
from app.errors import Conflict, NotFound
from app.events import service as events
from app.i18n import N_
from app.mail import service as mail
from app.referees.models import Referee, RefereeCreate, RefereeStatus, ReferenceConsent
from app.scoring import model as m

QUESTIONNAIRE = "reference-check"
MAX_REFEREES = 3
# Fixed texts of refusals: problem documents translate them (app.problems.localised).
NO_CONSENT = N_("the candidate has not agreed that referees are contacted")
"""At most this many referees per candidate who are not revoked (issue 16: one to three)."""

_STATUS = {
    AssessmentStatus.CREATED: RefereeStatus.INVITED,
    AssessmentStatus.INVITED: RefereeStatus.INVITED,
    AssessmentStatus.STARTED: RefereeStatus.STARTED,
    AssessmentStatus.COMPLETED: RefereeStatus.COMPLETED,
    AssessmentStatus.EXPIRED: RefereeStatus.EXPIRED,
    AssessmentStatus.CANCELLED: RefereeStatus.REVOKED,
}


@dataclass(frozen=True)
class RefereeRow:
    referee: Referee
    assessment: Assessment | None
    status: RefereeStatus


@dataclass(frozen=True)
class Added:
    referee: Referee
    token: str


@dataclass(frozen=True)
class ShownClaim:
    """One claim from the candidate's self-test, as the candidate gave it, for the referee to check."""

    item_id: str
    question: str
    answer: str


def consent_of(session: Session, candidate_id: int) -> ReferenceConsent | None:
    """Return the candidate's standing consent that referees are contacted, or None."""
    found = session.exec(select(ReferenceConsent).where(ReferenceConsent.candidate_id == candidate_id)).first()
    return found if found is not None and found.withdrawn_at is None else None


def consent_withdrawn_at(session: Session, candidate_id: int) -> dt.datetime | None:
    """Return when the candidate withdrew their consent, or None while it stands (or was never given)."""
    found = session.exec(select(ReferenceConsent).where(ReferenceConsent.candidate_id == candidate_id)).first()
    return found.withdrawn_at if found is not None else None


def record_consent(session: Session, candidate: Candidate, *, actor: str) -> ReferenceConsent:
    """Record that the candidate agreed that referees are contacted and shown the claims they made."""
    candidates.ensure_not_erased(candidate)
    assert candidate.id is not None
    found = session.exec(select(ReferenceConsent).where(ReferenceConsent.candidate_id == candidate.id)).first()
    if found is None:
        found = ReferenceConsent(candidate_id=candidate.id, recorded_by=actor)
    elif found.withdrawn_at is not None:
        found.withdrawn_at, found.given_at, found.recorded_by = None, utcnow(), actor
    else:
        return found
    session.add(found)
    session.flush()
    audit.record(session, candidate, actor=actor, action="referee.consent_recorded")
    return found


def withdraw_consent(session: Session, candidate: Candidate, *, actor: str) -> int:
    """Record that the candidate withdrew consent: open referee links stop working; return how many."""
    assert candidate.id is not None
    consent = consent_of(session, candidate.id)
    if consent is None:
        return 0
    consent.withdrawn_at = utcnow()
    session.add(consent)
    open_rows = [
        r for r in list_for(session, candidate.id) if r.status in (RefereeStatus.INVITED, RefereeStatus.STARTED)
    ]
    for row in open_rows:
        assert row.assessment is not None
        assessments.cancel(session, row.assessment, actor=actor)
        reminders.cancel(session, row.assessment)
        mail.withdraw_unsent(session, row.assessment)
    audit.record(session, candidate, actor=actor, action="referee.consent_withdrawn")
    session.flush()
    return len(open_rows)


def status_of(assessment: Assessment | None) -> RefereeStatus:
    """Return a referee's status from their link's assessment (no assessment: the link was withdrawn)."""
    return _STATUS[assessment.status_now] if assessment is not None else RefereeStatus.REVOKED


def list_for(session: Session, candidate_id: int) -> list[RefereeRow]:
    """Return the candidate's referees, oldest first, each with their status."""
    rows = session.exec(
        select(Referee, Assessment)
        .outerjoin(Assessment, col(Assessment.id) == col(Referee.assessment_id))
        .where(Referee.candidate_id == candidate_id)
        .order_by(col(Referee.created_at), col(Referee.id))
    ).all()
    return [RefereeRow(referee, assessment, status_of(assessment)) for referee, assessment in rows]


def add(
    session: Session, candidate: Candidate, data: RefereeCreate, *, actor: str, expires_at: dt.datetime | None
) -> Added:
    """Add a referee with a personal link; needs the candidate's consent, at most three who are not revoked."""
    candidates.ensure_not_erased(candidate)
    assert candidate.id is not None
    if consent_of(session, candidate.id) is None:
        raise Conflict(f"consent: {NO_CONSENT}", field="consent")
    active = [r for r in list_for(session, candidate.id) if r.status != RefereeStatus.REVOKED]
    if len(active) >= MAX_REFEREES:
        raise Conflict(f"name: a candidate has at most {MAX_REFEREES} referees; revoke one first", field="name")
    if candidate.email and data.email.lower() == candidate.email.lower():
        # A statement about the candidate by the candidate is no reference (the candidate's own form refuses it too).
        raise Conflict(f"email: {data.email} is the candidate's own address; a referee is someone else", field="email")
    if any(r.referee.email == data.email for r in active):
        raise Conflict(f"email: {data.email} is already a referee of this candidate", field="email")
    created = assessments.create(
        session,
        questionnaire_id=QUESTIONNAIRE,
        mode=AssessmentMode.REFEREE,
        language=data.language,
        actor=actor,
        # Not the candidate's own assessment: a referee's statement must never become their status or verdict.
        candidate_id=None,
        role_id=candidate.role_id,
        expires_at=expires_at,
        feedback_to_candidate=False,
    )
    assert created.token is not None
    referee = Referee.model_validate(
        data.model_dump() | {"candidate_id": candidate.id, "assessment_id": created.assessment.id, "created_by": actor}
    )
    session.add(referee)
    session.flush()
    # Ids only: the audit log cannot be erased, so no name or address goes in.
    audit.record(
        session,
        candidate,
        actor=actor,
        action="referee.added",
        detail={"referee_id": referee.id, "relation": str(data.relation), "assessment_id": created.assessment.id},
    )
    return Added(referee, created.token)


def get(session: Session, referee_id: int) -> Referee:
    """Return a referee or raise NotFound naming the id."""
    return get_or_404(session, Referee, referee_id, "referee")


def candidate_of_statement(session: Session, assessment: Assessment) -> int | None:
    """Return the candidate a referee's statement is about (None for any other assessment)."""
    if assessment.mode != AssessmentMode.REFEREE:
        return None
    return session.exec(select(Referee.candidate_id).where(Referee.assessment_id == assessment.id)).first()


def link_assessment(session: Session, referee: Referee) -> Assessment:
    """Return the assessment behind a referee's link (Conflict once the link is gone for good)."""
    if referee.assessment_id is None:
        raise Conflict(f"referee {referee.id} has no link any more")
    return assessments.get(session, referee.assessment_id)


def revoke(session: Session, referee: Referee, *, actor: str) -> None:
    """Withdraw a referee's link: it stops working at once (a completed statement stays)."""
    assessment = link_assessment(session, referee)
    assessments.cancel(session, assessment, actor=actor)
    reminders.cancel(session, assessment)
    mail.withdraw_unsent(session, assessment)


def resend(session: Session, referee: Referee, *, actor: str, expires_at: dt.datetime | None) -> str:
    """Give the referee a new link (the old one stops working) with a new expiry; return the new token."""
    candidates.ensure_not_erased(candidates.get(session, referee.candidate_id))
    assessment = link_assessment(session, referee)
    # The old link's reminder would carry a link that no longer works; e-mailing the new one plans another.
    reminders.cancel(session, assessment)
    token = assessments.reissue(session, assessment, actor=actor, expires_at=expires_at)
    mail.withdraw_unsent(session, assessment)  # unsent e-mail with the old link (the caller mails the new one)
    return token


def by_token(session: Session, token: str) -> tuple[Referee, Assessment]:
    """Find the referee behind a link; a candidate's own link is not a referee link (NotFound)."""
    assessment = assessments.by_token(session, token)
    referee = session.exec(select(Referee).where(Referee.assessment_id == assessment.id)).first()
    if referee is None or referee.erased_at is not None:
        raise NotFound(N_("this link is not known"))
    return referee, assessment


def mark_started(session: Session, referee: Referee, *, network: str | None) -> None:
    """Record that the referee read the privacy notice and agreed to answer (once)."""
    if referee.consented_at is not None:
        return
    referee.consented_at = utcnow()
    referee.network_hash = network
    session.add(referee)
    audit.record(session, referee, actor="referee", action="referee.consent_given")
    session.flush()


def link(settings: Settings, token: str) -> str:
    """Return a referee's personal link."""
    return f"{settings.base_url}/r/{token}"


def _answer_text(item: m.Item, value: Any, platform_names: dict[str, str], lang: str) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(item, m.BarsItem):
        return next((f"{a.value}: {a.text.get(lang)}" for a in item.anchors if a.value == value), str(value))
    if isinstance(item, m.SingleChoiceItem | m.MultipleChoiceItem):
        texts = {o.id: o.text.get(lang) for o in item.options}
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(texts.get(str(v), str(v)) for v in chosen)
    if isinstance(item, m.TenureItem) and isinstance(value, dict):
        unit = "jaar" if lang == "nl" else "years"
        return "; ".join(
            f"{platform_names.get(p, p)}: {years} {unit if item.unit == 'years' else ''}".strip()
            for p, years in value.items()
            if years is not None
        )
    return str(value)


def claims_shown(session: Session, referee: Referee, lang: str) -> list[ShownClaim]:
    """Return the claims a referee is asked to check, as the candidate stated them in their latest self-test.

    Empty without the candidate's standing consent, or before the candidate completed a self-test.
    """
    if consent_of(session, referee.candidate_id) is None or referee.assessment_id is None:
        return []
    self_test = latest_completed(session, m.Kind.SELF_TEST.value, candidate_id=referee.candidate_id)
    if self_test is None:
        return []
    compiled = assessments.compiled_of(session, self_test)
    answers = assessments.answers_of(session, self_test)
    items = {i.id: i for i in compiled.questionnaire.items()}
    check = assessments.compiled_of(session, assessments.get(session, referee.assessment_id)).questionnaire
    shown: list[ShownClaim] = []
    for claim_id in dict.fromkeys(c for i in check.items() for c in i.shows_claims):
        item = items.get(claim_id)
        if item is None:
            continue
        text = _answer_text(item, answers.get(claim_id), compiled.platform_names, lang)
        if text:
            shown.append(ShownClaim(claim_id, item.text.get(lang), text))
    return shown


def claims_in_questions(session: Session, assessment: Assessment, lang: str) -> dict[str, list[ShownClaim]]:
    """Return, for a referee's link, the claims to show inside each claim-check question (question id -> claims).

    Empty for any other assessment, without the candidate's standing consent, or when the candidate stated
    nothing the question checks.
    """
    if assessment.mode != AssessmentMode.REFEREE:
        return {}
    referee = session.exec(select(Referee).where(Referee.assessment_id == assessment.id)).first()
    if referee is None or referee.erased_at is not None:
        return {}
    shown = {claim.item_id: claim for claim in claims_shown(session, referee, lang)}
    if not shown:
        return {}
    check = assessments.compiled_of(session, assessment).questionnaire
    found = {item.id: [shown[c] for c in item.shows_claims if c in shown] for item in check.items()}
    return {item_id: claims for item_id, claims in found.items() if claims}


def statement(session: Session, assessment: Assessment, lang: str) -> list[ShownClaim]:
    """Return a referee's answers as text, question by question (a scale left open: not observed)."""
    compiled = assessments.compiled_of(session, assessment)
    answers = assessments.answers_of(session, assessment)
    return [
        ShownClaim(item.id, item.text.get(lang), _answer_text(item, answers[item.id], compiled.platform_names, lang))
        for item in compiled.questionnaire.items()
        if item.id in answers
    ]


def assessments_of(session: Session, candidate_id: int) -> list[Assessment]:
    """Return the link assessments of the candidate's referees (their statements about the candidate)."""
    return list(
        session.exec(
            select(Assessment)
            .join(Referee, col(Referee.assessment_id) == col(Assessment.id))
            .where(Referee.candidate_id == candidate_id)
            .order_by(col(Assessment.created_at), col(Assessment.id))
        ).all()
    )


ERASED = "[erased]"


def erase(session: Session, candidate_id: int) -> None:
    """Remove the referees' names, addresses and network hashes; the link assessments are handled by erasure."""
    now = utcnow()
    for referee in session.exec(select(Referee).where(Referee.candidate_id == candidate_id)).all():
        referee.name = referee.email = referee.period = ERASED
        referee.network_hash = None
        referee.erased_at = referee.erased_at or now
        session.add(referee)
    session.flush()


def export(session: Session, candidate_id: int) -> dict[str, Any]:
    """Return the referee data kept about a candidate: the consent and each referee (without the network hash)."""
    consent = session.exec(select(ReferenceConsent).where(ReferenceConsent.candidate_id == candidate_id)).first()
    return {
        "consent": consent.model_dump(mode="json") if consent is not None else None,
        "referees": [
            row.referee.model_dump(mode="json", exclude={"network_hash"}) | {"status": str(row.status)}
            for row in list_for(session, candidate_id)
        ],
    }


def _candidate_parts(session: Session, candidate_id: int) -> int:
    """Count what the candidate's combined result is made of: completed own assessments and statements."""
    own = session.exec(
        select(Assessment.id).where(
            Assessment.candidate_id == candidate_id, Assessment.status == AssessmentStatus.COMPLETED
        )
    ).all()
    statements = [r for r in list_for(session, candidate_id) if r.status == RefereeStatus.COMPLETED]
    return len(own) + len(statements)


def announce_result(session: Session, assessment: Assessment, reason: str) -> None:
    """Emit ``reference.completed`` for a referee's statement and ``result.updated`` when the candidate's
    combined result changed: a statement arrived, an assessment joined another part, or a re-score.

    A candidate's first completed assessment is not an update: ``assessment.completed`` announces it.
    """
    if assessment.mode == AssessmentMode.REFEREE:
        referee = session.exec(select(Referee).where(Referee.assessment_id == assessment.id)).first()
        if referee is None:
            return
        candidate_id = referee.candidate_id
        if reason == changes.COMPLETED:
            why = REFERENCE_COMPLETED
            events.emit(
                session,
                events.REFERENCE_COMPLETED,
                subject_id=str(referee.id),
                data={
                    "referee_id": referee.id,
                    "candidate_id": candidate_id,
                    "assessment_id": assessment.id,
                    "relation": str(referee.relation),
                    "status": str(RefereeStatus.COMPLETED),
                },
            )
        else:
            why = reason
    elif assessment.candidate_id is None:
        return
    else:
        candidate_id, why = assessment.candidate_id, reason
        if reason == changes.COMPLETED and _candidate_parts(session, candidate_id) < 2:
            return
    events.emit(
        session,
        events.RESULT_UPDATED,
        subject_id=str(candidate_id),
        data={"candidate_id": candidate_id, "reason": why, "assessment_id": assessment.id},
    )


REFERENCE_COMPLETED = "reference_completed"
"""Why a combined result changed: a referee submitted their statement."""

# The assessment lifecycle cannot import this package: it tells us of every scoring through this hook.
changes.subscribe_results(announce_result)
