"""The Greenhouse Assessment Partner contract over the candidate and assessment services.

One installation is one organisation; a test instance is visible only to the key that ordered it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import labels
from app.apikeys.models import ApiKey
from app.apikeys.service import actor_of
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentStatus
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Settings
from app.errors import NotFound
from app.i18n import N_
from app.integrations import credentials
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.service import translate
from app.outbound import check_url
from app.questionnaires import catalogue
from app.referees import service as referees
from app.referees.models import RefereeStatus
from app.reports import service as reports

COMPLETE = "complete"
# The metadata Greenhouse shows recruiters: readable labels in the organisation's language (TOUCHSTONE_ATS_LANGUAGE).
VERDICT = N_("Verdict")
EVIDENCE = N_("Evidence score (0-100)")
CLAIMS = N_("Claims index (0-100)")
CALIBRATION = N_("Calibration")
OVERCLAIMING = N_("Overclaiming (d')")
COMPLETED_AT = N_("Completed (UTC)")
REFERENCES = N_("Referee statements")

# Greenhouse's 404s; app.api.greenhouse registers them so that problem documents translate them.
UNKNOWN_TEST = N_("partner_test_id '%(id)s' is not a test offered here; see list_tests")
UNKNOWN_INTERVIEW = N_("partner_interview_id '%(id)s' is not known")


@dataclass(frozen=True)
class Applicant:
    """The candidate as Greenhouse's send_test describes them."""

    first_name: str
    last_name: str
    preferred_name: str | None
    email: str


def list_tests(session: Session) -> list[dict[str, str]]:
    """Return the tests offered to Greenhouse: partner_test_id and partner_test_name."""
    return [
        {"partner_test_id": v.questionnaire_id, "partner_test_name": v.title} for v in catalogue.list_orderable(session)
    ]


def url_fingerprint(url: str) -> str:
    """Return the SHA-256 of a callback url: with the key, what makes an order unique."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _order(session: Session, client: ApiKey, fingerprint: str) -> GreenhouseInterview | None:
    query = select(GreenhouseInterview).where(
        GreenhouseInterview.api_key_id == client.id, GreenhouseInterview.callback_url_hash == fingerprint
    )
    return session.exec(query).first()


def send_test(
    session: Session,
    settings: Settings,
    client: ApiKey,
    *,
    credential: str,
    partner_test_id: str,
    applicant: Applicant,
    callback_url: str,
    profile_url: str | None,
    sent_by: str | None,
) -> GreenhouseInterview:
    """Create the candidate and the assessment, e-mail the invitation and remember where to call back.

    Greenhouse may send the same order twice (a retry, a double click): the same key and callback url
    answer the first order's test instance, and nothing new is created or e-mailed. ``credential`` (the
    key as Greenhouse sent it) is kept sealed for the completion PATCH's Basic auth.
    """
    if partner_test_id not in {v.questionnaire_id for v in catalogue.list_orderable(session)}:
        raise NotFound(UNKNOWN_TEST % {"id": partner_test_id[:64]})
    check_url(callback_url, allow_private=settings.webhook_allow_private, field="url")
    fingerprint = url_fingerprint(callback_url)
    existing = _order(session, client, fingerprint)
    if existing is not None:
        return existing
    interview = GreenhouseInterview(
        api_key_id=client.id,
        partner_test_id=partner_test_id,
        callback_url=callback_url,
        callback_url_hash=fingerprint,
        callback_credential=credentials.seal(settings, credential),
        greenhouse_profile_url=profile_url,
        sent_by=sent_by,
    )
    # The order row is written first, so a concurrent duplicate waits on its unique key and then finds it.
    try:
        with session.begin_nested():
            session.add(interview)
            session.flush()
    except IntegrityError:
        existing = _order(session, client, fingerprint)
        if existing is None:
            raise
        return existing
    actor = actor_of(client)
    candidate = candidates.create(
        session,
        CandidateCreate(
            first_name=applicant.first_name,
            last_name=applicant.last_name,
            preferred_name=applicant.preferred_name,
            email=applicant.email,
            language=settings.ats_language,
        ),
        actor=actor,
    )
    invitation = invitations.invite(
        session,
        settings,
        candidate,
        actor=actor,
        expires_at=invitations.ats_expiry(settings),
        questionnaire_id=partner_test_id,
        send=True,
    )
    interview.assessment_id = invitation.assessment.id
    interview.candidate_id = candidate.id
    session.add(interview)
    session.flush()
    return interview


def get_interview(session: Session, client: ApiKey, interview_id: str) -> GreenhouseInterview:
    """Return a test instance ordered with this key, or NotFound (also for another key's instance)."""
    # Ids we issue are short hex; anything else (too long, a NUL byte PostgreSQL cannot compare) is unknown.
    plausible = len(interview_id) <= 64 and "\x00" not in interview_id
    found = session.get(GreenhouseInterview, interview_id) if plausible else None
    if found is None or found.api_key_id != client.id:
        raise NotFound(UNKNOWN_INTERVIEW % {"id": interview_id[:64]})
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
            "partner_status": str(assessment.status_now),
            "partner_profile_url": None,
            "partner_score": None,
            "metadata": None,
        }
    combined = _combined(session, settings, interview)
    return {
        "partner_status": COMPLETE,
        "partner_profile_url": presenters.report_url(settings, assessment),
        "partner_score": (combined.get("evidence") or {}).get("overall") if combined else result.evidence_overall,
        "metadata": metadata(session, settings, assessment, combined),
    }


def _combined(session: Session, settings: Settings, interview: GreenhouseInterview) -> dict[str, Any] | None:
    """Return the candidate's combined result once it holds more than the ordered test (referee statements
    or an HR assessment), in the organisation's language; None while the test alone is the result."""
    if interview.candidate_id is None:
        return None
    candidate = candidates.get(session, interview.candidate_id)
    if candidate.erased_at is not None:
        return None
    found = reports.combined_result(session, candidate, settings.ats_language)
    if found.hr_assessment is None and not _statements(session, interview.candidate_id):
        return None
    return found.result


def _statements(session: Session, candidate_id: int | None) -> int:
    if candidate_id is None:
        return 0
    return sum(1 for row in referees.list_for(session, candidate_id) if row.status == RefereeStatus.COMPLETED)


def metadata(
    session: Session, settings: Settings, assessment: Assessment, combined: dict[str, Any] | None = None
) -> dict[str, str | float | int | None]:
    """Return the flat metadata Greenhouse shows recruiters, labelled and worded in the organisation's language:
    the combined result (with HR's assessment and the referees' statements) once there is one, else the test's."""
    lang = settings.ats_language
    result = combined or assessments.localised_result(session, assessment, lang) or {}
    completed = assessment.completed_at.strftime("%Y-%m-%d %H:%M") if assessment.completed_at else None

    def _(text: str) -> str:
        return translate(text, lang)

    # The verdict and calibration read as on the HR pages (app.labels: "In balans"), not in the engine's words.
    return {
        translate(VERDICT, lang): labels.label((result.get("verdict") or {}).get("code"), "verdict", _) or None,
        translate(EVIDENCE, lang): (result.get("evidence") or {}).get("overall"),
        translate(CLAIMS, lang): (result.get("claims") or {}).get("index"),
        translate(CALIBRATION, lang): labels.label((result.get("calibration") or {}).get("code"), "calibration", _)
        or None,
        translate(OVERCLAIMING, lang): (result.get("overclaiming") or {}).get("d_prime"),
        translate(COMPLETED_AT, lang): completed,
        translate(REFERENCES, lang): _statements(session, assessment.candidate_id),
    }


def interviews_to_update(session: Session, candidate_id: int, completed: str | None) -> list[GreenhouseInterview]:
    """Return the candidate's completed Greenhouse tests, whose reported result changes with the candidate's
    combined result; not the test ``completed`` just now, whose own completion already sends its PATCH."""
    query = (
        select(GreenhouseInterview)
        .join(Assessment, col(Assessment.id) == col(GreenhouseInterview.assessment_id))
        .where(GreenhouseInterview.candidate_id == candidate_id, Assessment.status == AssessmentStatus.COMPLETED)
    )
    return [i for i in session.exec(query).all() if i.assessment_id != completed]


def record_error(session: Session, client: ApiKey, data: dict[str, Any]) -> GreenhouseResponseError:
    """Keep Greenhouse's report of a malformed response for the admins."""
    errors = data.get("errors")
    entry = GreenhouseResponseError(
        api_key_id=client.id,
        api_call=_short(data.get("api_call"), 200) or "",
        errors=[_message(e) for e in errors][:50] if isinstance(errors, list) else [_message(errors)],
        partner_test_id=_short(data.get("partner_test_id"), 200),
        partner_test_name=_short(data.get("partner_test_name"), 300),
        partner_interview_id=_short(data.get("partner_interview_id"), 200),
        candidate_email=_short(data.get("candidate_email"), 320),
    )
    session.add(entry)
    session.flush()
    return entry


def _message(error: Any) -> str | None:
    """Return one reported error as text: a string, or an object's message (else the object as JSON)."""
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        error = error["message"]
    elif isinstance(error, dict | list):
        error = json.dumps(error, ensure_ascii=False)
    return _short(error, 2000)


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
