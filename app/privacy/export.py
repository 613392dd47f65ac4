"""Export everything stored about one candidate as JSON (GDPR right of access and portability)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, SQLModel, col, select

from app.assessments import service as assessments
from app.assessments.models import Assessment, RubricRating
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from app.db import utcnow
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage
from app.mentors.models import MentorAssignment
from app.referees import networks
from app.referees import service as referees
from app.reports.models import Decision

# Secrets and internals that are about the system, not the person.
ASSESSMENT_EXCLUDE = {"token_hash"}


def _dump(row: SQLModel, exclude: set[str] | None = None) -> dict[str, Any]:
    # Enum columns come back from the database as plain strings; they serialise as they are.
    return row.model_dump(mode="json", exclude=exclude, warnings=False)


def _assessment(session: Session, assessment: Assessment) -> dict[str, Any]:
    result = assessments.result_of(session, assessment)
    ratings = session.exec(
        select(RubricRating).where(RubricRating.assessment_id == assessment.id).order_by(col(RubricRating.id))
    ).all()
    return {
        **_dump(assessment, ASSESSMENT_EXCLUDE),
        "answers": assessments.answers_of(session, assessment),
        "result": _dump(result) if result is not None else None,
        "rubric": [_dump(rating) for rating in ratings],
    }


def export_candidate(session: Session, candidate: Candidate) -> dict[str, Any]:
    """Return everything stored about the candidate: profile, assessments, results, decisions, mail,
    Greenhouse orders and error reports, and the audit trail (what was done to and by them)."""
    owned = session.exec(
        select(Assessment)
        .where(Assessment.candidate_id == candidate.id)
        .order_by(col(Assessment.created_at), col(Assessment.id))
    ).all()
    assert candidate.id is not None
    ids = [a.id for a in owned]
    mail_to: list[ColumnElement[bool]] = [col(MailMessage.assessment_id).in_(ids)]
    if candidate.email:
        mail_to.append(func.lower(MailMessage.to_address) == candidate.email.strip().lower())
    mail = session.exec(
        select(MailMessage).where(or_(*mail_to)).order_by(col(MailMessage.created_at), col(MailMessage.id))
    ).all()
    decisions = session.exec(
        select(Decision)
        .where(Decision.candidate_id == candidate.id)
        .order_by(col(Decision.created_at), col(Decision.id))
    ).all()
    mentoring = session.exec(
        select(MentorAssignment).where(MentorAssignment.candidate_id == candidate.id).order_by(col(MentorAssignment.id))
    ).all()
    ordered_by = session.exec(
        select(GreenhouseInterview)
        .where(GreenhouseInterview.candidate_id == candidate.id)
        .order_by(col(GreenhouseInterview.created_at), col(GreenhouseInterview.id))
    ).all()
    reported: list[ColumnElement[bool]] = [
        col(GreenhouseResponseError.partner_interview_id).in_([interview.id for interview in ordered_by])
    ]
    if candidate.email:
        reported.append(func.lower(GreenhouseResponseError.candidate_email) == candidate.email.strip().lower())
    reports = session.exec(
        select(GreenhouseResponseError)
        .where(or_(*reported))
        .order_by(col(GreenhouseResponseError.received_at), col(GreenhouseResponseError.id))
    ).all()
    about = or_(
        and_(col(AuditEvent.object_type) == "candidate", col(AuditEvent.object_id) == str(candidate.id)),
        and_(col(AuditEvent.object_type) == "assessment", col(AuditEvent.object_id).in_(ids)),
        # What the person did themselves (consent given or withdrawn on their pages).
        col(AuditEvent.actor) == f"candidate:{candidate.id}",
    )
    trail = session.exec(select(AuditEvent).where(about).order_by(col(AuditEvent.at), col(AuditEvent.id))).all()
    return {
        "exported_at": utcnow().isoformat(),
        "candidate": _dump(candidate),
        "assessments": [_assessment(session, a) for a in owned],
        # What referees said about the candidate, with the consent it rests on.
        "references": referees.export(session, candidate.id)
        | {"statements": [_assessment(session, a) for a in referees.assessments_of(session, candidate.id)]},
        # Keyed hashes of the networks the candidate answered from, compared only with the referees'.
        "network_fingerprints": networks.export(session, candidate.id),
        "decisions": [_dump(d) for d in decisions],
        "mentor_assignments": [_dump(a) for a in mentoring],
        "mail": [_dump(message) for message in mail],
        "greenhouse_interviews": [_dump(interview) for interview in ordered_by],
        "greenhouse_error_reports": [_dump(report) for report in reports],
        "audit": [_dump(event) for event in trail],
    }
