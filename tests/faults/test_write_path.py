"""The write path never stalls: slow request bodies hold nothing, a burst of candidates saving at once gets
no errors, a submit fixes the answer set, a busy database answers 503 with Retry-After, /readyz notices a
stuck writer, and partial API saves keep the valid answers. Run on SQLite and PostgreSQL, on real sockets
where the network is the point. Nothing here measures time: each check is about what happened."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment, AssessmentMode, Result
from app.db import Limits, create_db_engine
from app.errors import Conflict
from app.main import create_app
from app.scoring import engine as scoring
from app.web.candidate import consent
from tests.assessments.conftest import example
from tests.faults.server import Candidate, app_server, csrf_of, invitations, settings_for

pytestmark = pytest.mark.slow


@pytest.fixture
def limited_engine(fresh_url: str) -> Iterator[Engine]:
    """The production engine setup (pool sizes included), with short waits so that a stall shows up fast."""
    engine = create_db_engine(fresh_url, Limits(busy_timeout=2, pool_timeout=2))
    yield engine
    engine.dispose()


def _idle_in_transaction(url: str) -> int:
    """Count this database's sessions that sit in an open transaction doing nothing (PostgreSQL)."""
    admin = create_db_engine(url)
    try:
        with admin.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
            )
    finally:
        admin.dispose()


def _stall(base: str, path: str, *, announced: int = 87, sent: int = 10) -> socket.socket:
    """Send a request whose body stops after ``sent`` of ``announced`` bytes, and keep the connection open."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {announced}\r\n\r\n"
    )
    sock.sendall(head.encode() + b"x" * sent)
    return sock


def _answers(engine: Engine, token: str) -> dict[str, Any]:
    with Session(engine) as session:
        return assessments.answers_of(session, assessments.by_token(session, token))


# --- slow bodies -----------------------------------------------------------------------------------------


def test_stalled_bodies_hold_no_connection_and_change_nothing_for_others(
    fresh_url: str, limited_engine: Engine, tmp_path: Path
) -> None:
    """16 autosaves whose bodies stop after 10 of 87 bytes: no pooled connection, lock or transaction is
    taken for them, and another candidate saves, signs in and is served as usual."""
    slow_token, other_token = invitations(limited_engine, 2)
    with app_server(fresh_url, limited_engine, tmp_path, body_timeout_seconds=120) as base:
        slow = Candidate(base, slow_token)
        slow.start()
        stalled = [_stall(base, f"/t/{slow_token}/s/about_you/autosave") for _ in range(16)]
        try:
            other = Candidate(base, other_token)
            other.start()
            saved = other.autosave("self_title", "pr_professional")
            assert saved.status_code == 200, saved.text
            assert other.client.get("/readyz").status_code == 200
            assert other.client.get("/self-test").status_code == 200
            # The stalled requests are waiting for their bodies, and hold nothing while they wait.
            assert limited_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            if fresh_url.startswith("postgresql"):
                assert _idle_in_transaction(fresh_url) == 0
            other.close()
        finally:
            for sock in stalled:
                sock.close()
        slow.close()
    assert _answers(limited_engine, other_token) == {"self_title": "pr_professional"}
    assert _answers(limited_engine, slow_token) == {}


def test_a_stalled_body_is_answered_408_and_touches_nothing(
    fresh_url: str, limited_engine: Engine, tmp_path: Path
) -> None:
    (token,) = invitations(limited_engine, 1)
    with app_server(fresh_url, limited_engine, tmp_path, body_timeout_seconds=0.5) as base:
        candidate = Candidate(base, token)
        candidate.start()
        sock = _stall(base, f"/t/{token}/s/about_you/autosave")
        sock.settimeout(60)
        received = b""
        while chunk := sock.recv(65536):  # the server answers, then closes the connection
            received += chunk
        sock.close()
        candidate.close()
    head = received.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 408"), head
    assert "connection: close" in head.lower()
    assert b"TOUCHSTONE_BODY_TIMEOUT_SECONDS" in received
    assert _answers(limited_engine, token) == {}


# --- bursts ----------------------------------------------------------------------------------------------


def test_a_burst_of_120_candidates_saving_at_once_has_no_errors(
    fresh_url: str, limited_engine: Engine, tmp_path: Path
) -> None:
    """120 candidates answer at the same moment, 20 of them submit at that moment too: every request succeeds."""
    count, submitting = 120, 20
    tokens = invitations(limited_engine, count)
    complete = example("self-test--senior")
    with Session(limited_engine) as session:
        for n, token in enumerate(tokens):
            assessment = assessments.by_token(session, token)
            consent.record(session, assessment)
            if n < submitting:
                assessments.save_answers(session, assessment, complete, section=assessments.REVIEW)
        session.commit()
    # Production waits (the default busy timeout), on a real server: only the clients are many.
    engine = create_db_engine(fresh_url)
    try:
        with app_server(fresh_url, engine, tmp_path) as base:
            people = [Candidate(base, token) for token in tokens]
            barrier = threading.Barrier(count)

            def act(n: int) -> int:
                person = people[n]
                if n < submitting:
                    review = person.client.get(f"/t/{person.token}/review")
                    assert review.status_code == 200, review.text[:300]
                    barrier.wait()
                    return person.client.post(
                        f"/t/{person.token}/review", data={"csrf_token": csrf_of(review.text)}
                    ).status_code
                page = person.client.get(f"/t/{person.token}/s/about_you")
                person.csrf = csrf_of(page.text)
                barrier.wait()
                return person.autosave("profile_title", f"Head of PR {n}").status_code

            with ThreadPoolExecutor(max_workers=count) as pool:
                statuses = list(pool.map(act, range(count)))
            for person in people:
                person.close()
    finally:
        engine.dispose()
    assert statuses == [303] * submitting + [200] * (count - submitting)
    with Session(limited_engine) as session:
        assert session.exec(select(func.count()).select_from(Result)).one() == submitting
        saved = session.exec(select(func.count()).where(Answer.item_id == "profile_title")).one()
        assert saved == count


# --- a submit fixes the answer set -----------------------------------------------------------------------


def test_an_autosave_during_a_submit_is_either_scored_or_refused(limited_engine: Engine) -> None:
    """Rounds of a submit and an autosave at the same moment: the stored answers are always exactly the
    ones scored; an autosave that lost the race is refused with Conflict and stored nowhere."""
    complete = example("self-test--senior")
    changed = {"roi_campaign": 5000}  # moves the evidence score: a result without it is told apart
    outcomes = []
    for _ in range(15):
        with Session(limited_engine, expire_on_commit=False) as session:
            created = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
            )
            assessments.save_answers(session, created.assessment, complete)
            session.commit()
            assessment_id = created.assessment.id
        outcome = _race_submit_and_autosave(limited_engine, assessment_id, changed)
        outcomes.append(outcome)
        with Session(limited_engine) as session:
            assessment = assessments.get(session, assessment_id)
            stored = assessments.answers_of(session, assessment)
            result = session.exec(select(Result).where(Result.assessment_id == assessment_id)).one()
            rescored = scoring.score(
                assessments.compiled_of(session, assessment), stored, at=assessment.assessment_date, lang="en"
            )
            latest = session.exec(select(func.max(Answer.updated_at)).where(Answer.assessment_id == assessment_id))
            assert latest.one() <= result.scored_at  # nothing stored after the result
        assert result.result == rescored  # the result is the one of exactly the stored answers
        assert stored["roi_campaign"] == (5000 if outcome == "saved" else complete["roi_campaign"])
    assert set(outcomes) <= {"saved", "refused"}


def _race_submit_and_autosave(engine: Engine, assessment_id: str, changed: dict[str, Any]) -> str:
    """Release a submit and an autosave of one assessment at the same moment; return the autosave's fate."""
    barrier = threading.Barrier(2)

    def submit() -> str:
        with Session(engine) as session:
            barrier.wait()
            assessments.submit(session, assessments.get(session, assessment_id), actor="candidate")
            session.commit()
        return "submitted"

    def autosave() -> str:
        with Session(engine) as session:
            barrier.wait()
            try:
                assessments.save_answers(session, assessments.get(session, assessment_id), changed)
            except Conflict:
                return "refused"
            session.commit()
        return "saved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        submitted, saved = pool.submit(submit), pool.submit(autosave)
        assert submitted.result() == "submitted"
        return saved.result()


def test_an_autosave_after_a_submit_gets_409_and_is_not_stored(
    fresh_url: str, limited_engine: Engine, tmp_path: Path
) -> None:
    (token,) = invitations(limited_engine, 1)
    with Session(limited_engine) as session:
        assessment = assessments.by_token(session, token)
        consent.record(session, assessment)
        assessments.save_answers(session, assessment, example("self-test--senior"))
        session.commit()
    with app_server(fresh_url, limited_engine, tmp_path) as base:
        person = Candidate(base, token)
        person.csrf = csrf_of(person.client.get(f"/t/{token}/s/about_you").text)
        review = person.client.get(f"/t/{token}/review")
        assert person.client.post(f"/t/{token}/review", data={"csrf_token": csrf_of(review.text)}).status_code == 303
        late = person.autosave("profile_title", "Changed after submitting")
        assert late.status_code == 409
        assert "Already submitted" in late.text
        person.close()
    assert _answers(limited_engine, token)["profile_title"] == example("self-test--senior")["profile_title"]


# --- bounded waits ---------------------------------------------------------------------------------------


@contextmanager
def _database_held(url: str, assessment_id: str) -> Iterator[None]:
    """Hold the write lock (SQLite) or the assessment's row lock (PostgreSQL) from another connection."""
    if url.startswith("sqlite"):
        other = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    holder = create_db_engine(url)
    try:
        with holder.connect() as connection:
            connection.execute(text("SELECT id FROM assessment WHERE id = :id FOR UPDATE"), {"id": assessment_id})
            yield
            connection.rollback()
    finally:
        holder.dispose()


def test_a_busy_database_answers_503_with_retry_after_and_readyz_notices_a_stuck_sqlite_writer(
    fresh_url: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_url, Limits(busy_timeout=0.5))
    try:
        with Session(engine, expire_on_commit=False) as session:
            _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
            created = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
            )
            session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        path = f"/api/v1/assessments/{created.assessment.id}/answers"
        app = create_app(settings_for(fresh_url, tmp_path, db_busy_timeout_seconds=0.5), engine=engine)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.put(path, json={"answers": {}}, headers=headers).status_code == 200
            with _database_held(fresh_url, created.assessment.id):
                busy = client.put(path, json={"answers": {"self_title": "pr_professional"}}, headers=headers)
                ready = client.get("/readyz")
            assert busy.status_code == 503, busy.text
            assert busy.json()["title"] == "Database busy"
            assert busy.headers["retry-after"] == "2"
            if fresh_url.startswith("sqlite"):
                assert ready.status_code == 503
                assert "held the database's write lock" in ready.json()["detail"]
            assert client.get("/readyz").status_code == 200
            again = client.put(path, json={"answers": {"self_title": "pr_professional"}}, headers=headers)
            assert again.status_code == 200, again.text
    finally:
        engine.dispose()


# --- partial saves ---------------------------------------------------------------------------------------


def test_a_half_bad_batch_keeps_the_good_half(fresh_url: str, limited_engine: Engine, tmp_path: Path) -> None:
    """The real request session (no shared test session): the valid answers are committed with the 422."""
    with Session(limited_engine, expire_on_commit=False) as session:
        _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
        created = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
        )
        session.commit()
    app = create_app(settings_for(fresh_url, tmp_path), engine=limited_engine, run_startup=False)
    body = {"answers": {"self_title": "pr_professional", "roi_campaign": 65, "years_in_profession": "forever"}}
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.put(
            f"/api/v1/assessments/{created.assessment.id}/answers",
            json=body,
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert set(problem["errors"]) == {"years_in_profession"}
    assert "forever" in problem["errors"]["years_in_profession"]
    assert problem["kept"] == ["self_title", "roi_campaign"] and problem["saved"] == 2
    with Session(limited_engine) as session:
        assessment = session.get(Assessment, created.assessment.id)
        assert assessment is not None
        assert assessments.answers_of(session, assessment) == {"self_title": "pr_professional", "roi_campaign": 65}
        assert assessment.status == "started" and assessment.started_at is not None
