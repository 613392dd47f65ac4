"""The Greenhouse Assessment Partner contract over the candidate and assessment services.

One installation is one organisation; a test instance is visible only to the key that ordered it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from app.apikeys.models import ApiKey
from app.apikeys.service import actor_of
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.assessments.models import AssessmentStatus
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.errors import NotFound
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.outbound import check_url
from app.questionnaires import catalogue

COMPLETE = "complete"


def list_tests(session: Session) -> list[dict[str, str]]:
    """Return the tests offered to Greenhouse: partner_test_id and partner_test_name."""
    return [
        {"partner_test_id": v.questionnaire_id, "partner_test_name": v.title} for v in catalogue.list_orderable(session)
    ]


def send_test(
    session: Session,
    settings: Settings,
    client: ApiKey,
    *,
    partner_test_id: str,
    first_name: str,
    last_name: str,
    email: str,
    callback_url: str,
    profile_url: str | None,
    sent_by: str | None,
) -> GreenhouseInterview:
    """Create the candidate and the assessment, e-mail the invitation and remember where to call back."""
    if partner_test_id not in {v.questionnaire_id for v in catalogue.list_orderable(session)}:
        raise NotFound(f"partner_test_id '{partner_test_id[:64]}' is not a test offered here; see list_tests")
    check_url(callback_url, allow_private=settings.webhook_allow_private, field="url")
    actor = actor_of(client)
    candidate = candidates.create(
        session, CandidateCreate(first_name=first_name, last_name=last_name, email=email), actor=actor
    )
    invitation = invitations.invite(
        session,
        settings,
        candidate,
        actor=actor,
        expires_at=utcnow() + dt.timedelta(days=settings.api_invitation_days),
        questionnaire_id=partner_test_id,
        send=True,
    )
    interview = GreenhouseInterview(
        api_key_id=client.id,
        assessment_id=invitation.assessment.id,
        candidate_id=candidate.id,
        partner_test_id=partner_test_id,
        callback_url=callback_url,
        greenhouse_profile_url=profile_url,
        sent_by=sent_by,
    )
    session.add(interview)
    session.flush()
    return interview


def get_interview(session: Session, client: ApiKey, interview_id: str) -> GreenhouseInterview:
    """Return a test instance ordered with this key, or NotFound (also for another key's instance)."""
    # Ids we issue are short hex; anything else (too long, a NUL byte PostgreSQL cannot compare) is unknown.
    plausible = len(interview_id) <= 64 and "\x00" not in interview_id
    found = session.get(GreenhouseInterview, interview_id) if plausible else None
    if found is None or found.api_key_id != client.id:
        raise NotFound(f"partner_interview_id '{interview_id[:64]}' is not known")
    return found


def test_status(session: Session, settings: Settings, client: ApiKey, interview_id: str) -> dict[str, Any]:
    """Return partner_status, and once complete the report link, the score and flat metadata."""
    interview = get_interview(session, client, interview_id)
    if interview.assessment_id is None:
        return {"partner_status": "withdrawn", "partner_profile_url": None, "partner_score": None, "metadata": None}
    assessment = assessments.get(session, interview.assessment_id)
    result = assessments.result_of(session, assessment)
    if assessment.status != AssessmentStatus.COMPLETED or result is None:
        return {
            "partner_status": str(assessment.status),
            "partner_profile_url": None,
            "partner_score": None,
            "metadata": None,
        }
    overclaiming = result.result.get("overclaiming") or {}
    verdict = result.result.get("verdict") or {}
    return {
        "partner_status": COMPLETE,
        "partner_profile_url": presenters.report_url(settings, assessment),
        "partner_score": result.evidence_overall,
        "metadata": {
            "verdict": result.verdict,
            "verdict_label": verdict.get("label"),
            "evidence_overall": result.evidence_overall,
            "claims_index": result.claims_index,
            "calibration": result.calibration,
            "d_prime": overclaiming.get("d_prime"),
            "completed_at": assessment.completed_at.isoformat() if assessment.completed_at else None,
        },
    }


def record_error(session: Session, client: ApiKey, data: dict[str, Any]) -> GreenhouseResponseError:
    """Keep Greenhouse's report of a malformed response for the admins."""
    errors = data.get("errors")
    entry = GreenhouseResponseError(
        api_key_id=client.id,
        api_call=_short(data.get("api_call"), 200) or "",
        errors=[_short(e, 2000) for e in errors][:50] if isinstance(errors, list) else [],
        partner_test_id=_short(data.get("partner_test_id"), 200),
        partner_test_name=_short(data.get("partner_test_name"), 300),
        partner_interview_id=_short(data.get("partner_interview_id"), 200),
        candidate_email=_short(data.get("candidate_email"), 320),
    )
    session.add(entry)
    session.flush()
    return entry


def _short(value: Any, length: int) -> str | None:
    # NUL cannot be stored in PostgreSQL text, and nothing Greenhouse sends needs one.
    return None if value is None else str(value).replace("\x00", "")[:length]


def list_errors(session: Session, limit: int = 100) -> list[GreenhouseResponseError]:
    """Return the latest response-error reports, newest first."""
    query = select(GreenhouseResponseError).order_by(col(GreenhouseResponseError.received_at).desc()).limit(limit)
    return list(session.exec(query))


def interview_for_assessment(session: Session, assessment_id: str) -> GreenhouseInterview | None:
    """Return the Greenhouse test instance behind an assessment, if it came from Greenhouse."""
    return session.exec(select(GreenhouseInterview).where(GreenhouseInterview.assessment_id == assessment_id)).first()
