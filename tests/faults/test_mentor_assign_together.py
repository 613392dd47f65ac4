"""Assignments to a mentor's last place at the same moment: exactly one gets it, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.errors import Conflict
from app.mentors import service as mentors
from app.mentors.models import MentorAssignment, MentorCreate
from tests import factories
from tests.faults.test_concurrency import _run_together

CANDIDATES = 4


def test_only_one_of_several_assignments_at_once_takes_the_last_place(fresh_engine: Engine) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        mentor = mentors.create(
            session,
            MentorCreate(
                name="Anna de Vries",
                email="anna@example.org",
                discipline="pr",
                years_experience=20,
                languages=["nl"],
                capacity=1,
            ),
            actor="test",
        )
        people = [factories.candidate(session, f"Kandidaat{n}", "Jansen") for n in range(CANDIDATES)]
        session.commit()
    mentor_id, candidate_ids = mentor.id, [c.id for c in people]

    def assign(n: int) -> str:
        # One request: its own session and transaction.
        with Session(fresh_engine) as session:
            mentors.assign(
                session, mentor_id=mentor_id, candidate_id=candidate_ids[n], plan={}, user_id=None, actor="test"
            )
            session.commit()
            return "assigned"

    outcomes = _run_together(CANDIDATES, assign)
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert outcomes.count("assigned") == 1, outcomes
    assert len(refused) == CANDIDATES - 1
    assert all(error.extra["reason"] == "capacity" for error in refused)
    with Session(fresh_engine) as session:
        assert session.exec(select(func.count()).select_from(MentorAssignment)).one() == 1
