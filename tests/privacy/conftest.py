"""Fixtures for privacy tests: the shipped bank and a candidate who took the self-test by invitation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.candidates.models import Candidate
from tests import factories
from tests.assessments.conftest import bank, example

__all__ = ["bank", "example"]

FIRST, LAST, EMAIL, REF = "Zebedeus", "Quackenbush", "zebedeus.q@example.org", "ats-ref-77123"


@dataclass
class Taken:
    candidate: Candidate
    self_test: Assessment
    hr: Assessment


def make_candidate(session: Session, **extra: object) -> Candidate:
    fields: dict[str, object] = {
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
        "external_ref": REF,
        "language": "nl",
        **extra,
    }
    candidate = Candidate(**fields)  # type: ignore[arg-type]
    session.add(candidate)
    session.flush()
    return candidate


def take(session: Session, candidate: Candidate) -> Taken:
    """Let the candidate complete the self-test (guru persona, with free text) and HR fill in its form."""
    invited = assessments.create(
        session,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language="en",
        actor="test",
        candidate_id=candidate.id,
    )
    assessments.save_answers(session, invited.assessment, example("self-test--guru"))
    assessments.submit(session, invited.assessment, actor="candidate")
    hr = factories.opened(session, "hr-assessment", candidate_id=candidate.id, actor="user:1")
    assessments.save_answers(session, hr, example("hr-assessment--guru"))
    assessments.submit(session, hr, actor="user:1")
    return Taken(candidate, invited.assessment, hr)


@pytest.fixture
def taken(bank: Session) -> Taken:
    return take(bank, make_candidate(bank))
