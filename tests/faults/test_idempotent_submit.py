"""An API submit with an Idempotency-Key scores with no write transaction open, and duplicates stay one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select
from starlette.requests import Request

from app.api import idempotency
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey, IdempotencyRecord, IdempotencyStatus
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode, Result
from app.events.models import OutboxEvent
from app.roles.models import Role
from tests.assessments.conftest import example
from tests.faults.server import app_server, settings_for


def _write_open(session: Session) -> bool:
    """Tell whether the session's transaction has written (holds SQLite's write lock, a PostgreSQL xid)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SELECT pg_current_xact_id_if_assigned()")).scalar() is not None
    return bool(connection.connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]


def test_the_work_runs_before_anything_is_written_and_the_record_follows_it(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        key, _secret = apikeys.create_key(session, name="ats", scopes=["write"], actor="test")
        session.commit()
    app = FastAPI()
    app.state.settings = settings_for(fresh_url, tmp_path)
    scope = {"type": "http", "method": "POST", "path": "/api/v1/roles", "headers": [], "query_string": b"", "app": app}
    seen: list[bool] = []
    with Session(fresh_engine, expire_on_commit=False) as session:
        client = session.get(ApiKey, key.id)
        assert client is not None

        def produce() -> tuple[int, Any]:
            seen.append(_write_open(session))  # what a submit's scoring would run under
            role = Role(title="Head of PR")
            session.add(role)
            session.flush()
            return 201, {"id": role.id, "title": role.title}

        response = idempotency.run(session, Request(scope), client, "k-1", None, produce)
        assert _write_open(session)
        session.commit()
    assert response.status_code == 201
    assert seen == [False]
    with Session(fresh_engine) as session:
        record = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "k-1")).one()
        assert record.status == IdempotencyStatus.DONE and record.response_status == 201
        assert session.exec(select(func.count()).select_from(Role)).one() == 1


def test_concurrent_duplicate_submits_score_once_and_agree(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        created = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
        )
        _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
        session.commit()
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "submit-once"}
    body = {"answers": example("self-test--senior")}
    count = 6
    barrier = threading.Barrier(count)
    with app_server(fresh_url, fresh_engine, tmp_path) as base:

        def send(_: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60) as http:
                barrier.wait()
                return http.post(f"/api/v1/assessments/{created.assessment.id}/submit", json=body, headers=headers)

        with ThreadPoolExecutor(max_workers=count) as pool:
            responses = list(pool.map(send, range(count)))
    statuses = [r.status_code for r in responses]
    if fresh_url.startswith("sqlite"):
        # One writer at a time: a duplicate waits for the first, then gets its stored response.
        assert statuses == [200] * count, [r.text[:200] for r in responses]
    else:
        # A duplicate that arrives while the first still runs is 409 (the advisory lock); later ones replay.
        assert set(statuses) <= {200, 409} and 200 in statuses, [r.text[:200] for r in responses]
    answered = [r.json() for r in responses if r.status_code == 200]
    assert all(a == answered[0] for a in answered)
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == statuses.count(200) - 1
    with Session(fresh_engine) as session:
        assert session.exec(select(func.count()).select_from(Result)).one() == 1
        records = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "submit-once")).all()
        assert len(records) == 1 and records[0].response_body == answered[0]
        completed = select(func.count()).where(OutboxEvent.event_type == "assessment.completed")
        assert session.exec(completed).one() == 1
