"""Consent before the first question: recorded in the audit log and as the place to resume."""

from __future__ import annotations

from sqlmodel import Session

from app.assessments import conduct
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentStatus
from app.audit import service as audit
from app.candidates.models import Candidate
from app.privacy import service as privacy

ACTOR = "candidate"


def given(assessment: Assessment) -> bool:
    """Tell whether the person has already agreed and started (a resume point exists)."""
    return assessment.current_section is not None or assessment.status == AssessmentStatus.STARTED


def record(session: Session, assessment: Assessment, *, keep_longer: bool = False) -> None:
    """Record that the person read the notice and started; the first section becomes the resume point.

    ``keep_longer`` is the invited candidate's optional consent to keep their data up to a year.
    """
    if keep_longer and assessment.candidate_id is not None:
        candidate = session.get(Candidate, assessment.candidate_id)
        if candidate is not None and candidate.erased_at is None:
            privacy.record_consent(session, candidate)
    if given(assessment):
        return
    if assessment.option_seed is None:
        # From the first question on, the pages show this person's own option order (app.assessments.conduct).
        # Answers given only through the API keep None: the ATS showed the questions in the file's order.
        assessment.option_seed = conduct.new_option_seed()
        session.add(assessment)
    questionnaire = assessments.compiled_of(session, assessment).questionnaire
    assessments.save_answers(session, assessment, {}, section=questionnaire.sections[0].id)
    audit.record(
        session, assessment, actor=ACTOR, action="assessment.consent_given", detail={"mode": str(assessment.mode)}
    )
