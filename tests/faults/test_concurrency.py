"""Many writers at once: one result per assessment, and no "database is locked" on SQLite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus, Result
from app.events.models import OutboxEvent
from tests.assessments.conftest import example

THREADS = 20
SAVES = 20


def _create(engine: Engine, answers: dict[str, Any] | None = None, count: int = 1) -> list[str]:
    with Session(engine, expire_on_commit=False) as session:
        created = [
            assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
            ).assessment
            for _ in range(count)
        ]
        for assessment in created:
            if answers:
                assessments.save_answers(session, assessment, answers)
        session.commit()
        return [a.id for a in created]


def _run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(i) in count threads released at the same moment; return results or the exceptions raised."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait()
        try:
            return work(i)
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_submits_make_exactly_one_result(fresh_engine: Engine) -> None:
    (assessment_id,) = _create(fresh_engine, example("self-test--senior"))

    def submit(_: int) -> int | None:
        with Session(fresh_engine, expire_on_commit=False) as session:
            result = assessments.submit(session, assessments.get(session, assessment_id), actor="candidate")
            session.commit()
            return result.id

    outcomes = _run_together(8, submit)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == [], errors
    assert len(set(outcomes)) == 1
    with Session(fresh_engine) as session:
        assert session.exec(select(func.count()).select_from(Result)).one() == 1
        assert session.exec(select(Assessment.status).where(Assessment.id == assessment_id)).one() == "completed"
        completed = select(func.count()).where(OutboxEvent.event_type == "assessment.completed")
        assert session.exec(completed).one() == 1


def test_many_candidates_answering_at_once(fresh_engine: Engine) -> None:
    ids = _create(fresh_engine, count=THREADS)
    scale = ("marketing_professional", "communication_professional", "pr_professional")

    def answer(i: int) -> int:
        for n in range(SAVES):
            # Each save is its own request: its own session and transaction, read first, then written.
            with Session(fresh_engine) as session:
                assessment = assessments.get(session, ids[i])
                problems = assessments.save_answers(
                    session,
                    assessment,
                    {"self_title": scale[n % len(scale)], "profile_title": f"title {i}-{n}"},
                    section="about_you",
                )
                assert problems == {}
                session.commit()
        return SAVES

    outcomes = _run_together(THREADS, answer)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == [], errors[:3]
    with Session(fresh_engine) as session:
        for i, assessment_id in enumerate(ids):
            saved = assessments.answers_of(session, assessments.get(session, assessment_id))
            assert saved["profile_title"] == f"title {i}-{SAVES - 1}"
        started = session.exec(select(func.count()).where(Assessment.status == AssessmentStatus.STARTED.value)).one()
        assert started == THREADS
