"""Test builders, one module for every area: users, roles, candidates, assessments (opened, or completed from the
shipped persona answer files)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from app.accounts.models import User, UserRole
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.candidates.models import Candidate
from app.roles.models import Role
from tests.assessments.conftest import example


def user(session: Session, email: str = "hr@example.org", role: UserRole = UserRole.ASSESSOR) -> User:
    found = User(email=email, role=role, password_hash="not-a-real-hash")
    session.add(found)
    session.flush()
    return found


def role(session: Session, title: str = "Social media lead") -> Role:
    found = Role(title=title)
    session.add(found)
    session.flush()
    return found


def candidate(session: Session, first: str = "Nick", last: str = "Nephew", *, role_id: int | None = None) -> Candidate:
    found = Candidate(first_name=first, last_name=last, role_id=role_id, email=f"{first.lower()}@example.org")
    session.add(found)
    session.flush()
    return found


def opened(
    session: Session,
    questionnaire_id: str = "self-test",
    *,
    candidate_id: int | None = None,
    role_id: int | None = None,
    language: str = "en",
    actor: str = "test",
) -> Assessment:
    """Open an assessment: a candidate's invitation for the self-test, an HR form for the others."""
    mode = AssessmentMode.INVITATION if questionnaire_id == "self-test" else AssessmentMode.HR
    return assessments.create(
        session,
        questionnaire_id=questionnaire_id,
        mode=mode,
        language=language,
        actor=actor,
        candidate_id=candidate_id,
        role_id=role_id,
    ).assessment


def completed(
    session: Session,
    questionnaire_id: str,
    persona: str,
    *,
    candidate_id: int | None = None,
    role_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> Assessment:
    """Create, fill in from questions/examples and submit one assessment."""
    assessment = opened(session, questionnaire_id, candidate_id=candidate_id, role_id=role_id)
    answers = example(f"{questionnaire_id}--{persona}") | (changes or {})
    problems = assessments.save_answers(session, assessment, answers)
    assert not {k: v for k, v in problems.items() if answers.get(k) not in ("", None)}, problems
    assessments.submit(session, assessment, actor="test")
    return assessment


def persona(session: Session, name: str, *, role_id: int | None = None, **changes: Any) -> Candidate:
    """A candidate with a completed self-test and HR assessment of the same persona."""
    person = candidate(session, name.capitalize(), "Persona", role_id=role_id)
    completed(session, "self-test", name, candidate_id=person.id, changes=changes or None)
    completed(session, "hr-assessment", name, candidate_id=person.id)
    return person


def naming_link(
    session: Session, name: str = "midlevel", *, allowed: bool = True, expires_at: dt.datetime | None = None
) -> tuple[Candidate, Assessment, str]:
    """A candidate who submitted the self-test through an invitation that lets them name referees (or not):
    the candidate, the link's assessment and its token."""
    person = candidate(session, name.capitalize(), "Persona")
    created = assessments.create(
        session,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language="en",
        actor="test",
        candidate_id=person.id,
        expires_at=expires_at,
        candidate_names_referees=allowed,
    )
    assessments.save_answers(session, created.assessment, example(f"self-test--{name}"))
    assessments.submit(session, created.assessment, actor="test")
    assert created.token is not None
    return person, created.assessment, created.token
