"""The mentor registry: capacity, assignments and suggestions."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.errors import Conflict, Invalid
from app.mentors import service as mentors
from app.mentors.models import Mentor, MentorCreate
from app.scoring.model import Discipline
from tests import factories as factory


def _mentor(session: Session, name: str = "Maria Mentor", **fields: object) -> Mentor:
    data = {
        "name": name,
        "email": f"{name.split()[0].lower()}@example.org",
        "discipline": Discipline.COMMUNICATION,
        "years_experience": 20,
        "languages": ["nl", "en"],
        "capacity": 1,
    } | fields
    return mentors.create(session, MentorCreate.model_validate(data), actor="hr@example.org")


def test_capacity_is_respected_and_ending_frees_a_place(session: Session) -> None:
    mentor = _mentor(session, capacity=1)
    first, second = factory.candidate(session, "Ann"), factory.candidate(session, "Bob")
    plan = {"discipline": "communication", "focus": []}
    assignment = mentors.assign(
        session,
        mentor_id=mentor.id,
        candidate_id=first.id,
        plan=plan,
        user_id=None,
        actor="hr",  # type: ignore[arg-type]
    )
    with pytest.raises(Conflict) as full:
        mentors.assign(session, mentor_id=mentor.id, candidate_id=second.id, plan=plan, user_id=None, actor="hr")  # type: ignore[arg-type]
    assert full.value.status == 409 and full.value.extra["reason"] == "capacity"
    assert "1 of 1 places taken" in full.value.detail
    mentors.end_assignment(session, assignment.id, user_id=None, actor="hr")  # type: ignore[arg-type]
    mentors.end_assignment(session, assignment.id, user_id=None, actor="hr")  # type: ignore[arg-type]
    again = mentors.assign(session, mentor_id=mentor.id, candidate_id=second.id, plan=plan, user_id=None, actor="hr")  # type: ignore[arg-type]
    assert again.ended_at is None
    assert [r.active_assignments for r in mentors.registry(session)] == [1]
    actions = [e.action for e in session.exec(select(AuditEvent)).all() if e.action.startswith("mentor.")]
    assert actions.count("mentor.assigned") == 2 and actions.count("mentor.assignment_ended") == 1


def test_inactive_mentor_and_double_assignment_are_refused(session: Session) -> None:
    mentor = _mentor(session, capacity=3)
    person = factory.candidate(session)
    mentors.assign(session, mentor_id=mentor.id, candidate_id=person.id, plan={}, user_id=None, actor="hr")  # type: ignore[arg-type]
    with pytest.raises(Conflict) as twice:
        mentors.assign(session, mentor_id=mentor.id, candidate_id=person.id, plan={}, user_id=None, actor="hr")  # type: ignore[arg-type]
    assert twice.value.extra["reason"] == "already_assigned"
    mentors.set_active(session, mentor, False, actor="hr")
    other = factory.candidate(session, "Other")
    with pytest.raises(Conflict) as inactive:
        mentors.assign(session, mentor_id=mentor.id, candidate_id=other.id, plan={}, user_id=None, actor="hr")  # type: ignore[arg-type]
    assert inactive.value.extra["reason"] == "inactive"


def test_suggest_prefers_discipline_language_and_free_places(session: Session) -> None:
    _mentor(session, "Piet Pr", discipline=Discipline.PR, capacity=5, languages=["nl"])
    english = _mentor(session, "Emma English", capacity=2, languages=["en"])
    dutch = _mentor(session, "Dirk Dutch", capacity=2, languages=["nl"])
    assert mentors.suggest(session, "communication", "nl").mentor.id == dutch.id  # type: ignore[union-attr]
    assert mentors.suggest(session, "communication", "en").mentor.id == english.id  # type: ignore[union-attr]
    assert mentors.suggest(session, "marketing", "nl") is None
    assert mentors.suggest(session, None, "nl") is None
    # Full mentors are never suggested.
    for name in ("A", "B"):
        person = factory.candidate(session, name)
        mentors.assign(session, mentor_id=dutch.id, candidate_id=person.id, plan={}, user_id=None, actor="hr")  # type: ignore[arg-type]
    assert mentors.suggest(session, "communication", "nl").mentor.id == english.id  # type: ignore[union-attr]


def test_registry_counts_running_assignments(session: Session) -> None:
    mentor = _mentor(session, capacity=3)
    person = factory.candidate(session)
    mentors.assign(session, mentor_id=mentor.id, candidate_id=person.id, plan={}, user_id=None, actor="hr")  # type: ignore[arg-type]
    row = next(r for r in mentors.registry(session) if r.mentor.id == mentor.id)
    assert (row.active_assignments, row.free) == (1, 2)
    assert [(m.id, c.id) for _, m, c in mentors.running_assignments(session)] == [(mentor.id, person.id)]


@pytest.mark.parametrize(("field", "value"), [("email", "not-an-address"), ("languages", ["de"]), ("languages", [])])
def test_bad_mentor_data_is_refused(session: Session, field: str, value: object) -> None:
    with pytest.raises(Invalid) as raised:
        _mentor(session, **{field: value})
    assert raised.value.extra["field"] == field
