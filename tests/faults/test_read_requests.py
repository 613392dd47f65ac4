"""Requests that only read: on SQLite they never queue for the write lock, and their few writes commit aside.

These run the real request session (no shared test session), so a GET's transaction is the deferred,
read-only one production uses.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from app.accounts import sessions
from app.accounts.models import User, UserRole, UserSession
from app.accounts.passwords import hash_password
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from app.config import ROOT, Environment, Settings
from app.db import utcnow
from app.main import create_app
from tests.assessments.conftest import example
from tests.conftest import TEST_SECRET


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment=Environment.TEST,
        database_url=url,
        secret_key=TEST_SECRET,
        questions_dir=ROOT / "questions",
        data_dir=tmp_path,
    )


def _client(url: str, engine: Engine, tmp_path: Path) -> TestClient:
    app = create_app(_settings(url, tmp_path), engine=engine, run_startup=False)
    return TestClient(app, base_url="http://testserver", raise_server_exceptions=False)


def _completed_with_key(engine: Engine) -> tuple[str, str]:
    with Session(engine, expire_on_commit=False) as session:
        _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
        created = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
        )
        assessments.save_answers(session, created.assessment, example("self-test--senior"))
        assessments.submit(session, created.assessment, actor="test")
        session.commit()
        return created.assessment.id, secret


@contextmanager
def _write_lock_held_elsewhere(url: str) -> Iterator[None]:
    """Hold SQLite's write lock from a connection of its own, as another process's writer would."""
    other = sqlite3.connect(make_url(url).database or "", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_result_is_read_while_another_process_holds_the_write_lock(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fresh_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock; PostgreSQL readers never wait for writers")
    # The request counter would otherwise sync to the database (a write) once a second.
    monkeypatch.setattr(apikeys, "RATE_SYNC_SECONDS", 3600.0)
    assessment_id, secret = _completed_with_key(fresh_engine)
    headers = {"Authorization": f"Bearer {secret}"}
    with _client(fresh_url, fresh_engine, tmp_path) as client:
        first = client.get(f"/api/v1/assessments/{assessment_id}/result", headers=headers)
        assert first.status_code == 200  # records last_used_at and the first count: writes
        with _write_lock_held_elsewhere(fresh_url):
            # A GET that began BEGIN IMMEDIATE would wait the whole busy timeout and then fail (503).
            read = client.get(f"/api/v1/assessments/{assessment_id}/result", headers=headers)
            assert read.status_code == 200, read.text
            assert read.json()["result"] == first.json()["result"]


def test_the_writes_of_a_get_commit_in_a_transaction_of_their_own(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    assessment_id, secret = _completed_with_key(fresh_engine)
    with Session(fresh_engine) as session:
        user = User(email="hr@example.org", role=UserRole.ADMIN, password_hash=hash_password("a long password!"))
        session.add(user)
        session.flush()
        cookie = sessions.start(session, user, _settings(fresh_url, tmp_path))
        # Seen long enough ago that this request records the time again.
        stored = session.get(UserSession, sessions.hash_token(cookie))
        assert stored is not None
        stored.last_seen_at = utcnow() - dt.timedelta(minutes=5)
        session.add(stored)
        candidate = Candidate(first_name="Anna", last_name="de Vries", email="anna@example.org", language="nl")
        session.add(candidate)
        session.flush()
        candidate_id = candidate.id
        session.commit()
    with _client(fresh_url, fresh_engine, tmp_path) as client:
        api = client.get(f"/api/v1/assessments/{assessment_id}/result", headers={"Authorization": f"Bearer {secret}"})
        assert api.status_code == 200
        client.cookies.set(sessions.COOKIE, cookie)
        assert client.get("/hr/assessments").status_code == 200
        assert client.get(f"/hr/candidates/{candidate_id}").status_code == 200
    with Session(fresh_engine) as session:
        key = session.exec(select(ApiKey)).one()
        assert key.last_used_at is not None
        seen = session.get(UserSession, sessions.hash_token(cookie))
        assert seen is not None and utcnow() - seen.last_seen_at < dt.timedelta(minutes=1)
        views = select(func.count()).where(AuditEvent.action == "candidate.viewed")
        assert session.exec(views).one() == 1
