"""Idempotency-Key on POST: the stored response for a retry, 422 for another body, 409 while in flight."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, col, func, select

from app.api import idempotency
from app.api.v1.schemas import CandidateIn
from app.apikeys.models import ApiKey, IdempotencyRecord
from app.candidates.models import Candidate
from tests.api.conftest import MakeKey


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Candidate)).one()


def test_same_key_same_body_returns_the_stored_response_without_a_second_row(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "abc-1"}
    body = {"first_name": "Ida", "last_name": "Bakker"}
    before = _count(session)
    first = client.post("/api/v1/candidates", json=body, headers=headers)
    again = client.post("/api/v1/candidates", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(session) == before + 1
    other = client.post("/api/v1/candidates", json={**body, "first_name": "Ivo"}, headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert _count(session) == before + 1


def test_keys_are_per_api_key(client: TestClient, session: Session, make_key: MakeKey) -> None:
    body = {"first_name": "Ida", "last_name": "Bakker"}
    one = client.post("/api/v1/candidates", json=body, headers={**make_key("write"), "Idempotency-Key": "k"})
    two = client.post("/api/v1/candidates", json=body, headers={**make_key("write"), "Idempotency-Key": "k"})
    assert one.json()["id"] != two.json()["id"]


def test_a_request_still_in_flight_is_409(client: TestClient, session: Session, admin_headers: dict[str, str]) -> None:
    key = session.exec(select(ApiKey).order_by(col(ApiKey.id).desc())).first()
    assert key is not None and key.id is not None
    body = {"first_name": "A", "last_name": "B"}
    fingerprint = idempotency.request_hash("POST", "/api/v1/candidates", CandidateIn(**body))
    # What another instance's uncommitted-yet-visible record looks like: in flight, no response yet.
    session.add(IdempotencyRecord(api_key_id=key.id, key="busy", request_hash=fingerprint))
    session.flush()
    before = _count(session)
    response = client.post("/api/v1/candidates", json=body, headers={**admin_headers, "Idempotency-Key": "busy"})
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert _count(session) == before


def test_concurrent_duplicate_on_postgresql_is_409(
    client: TestClient, session: Session, engine: Engine, admin_headers: dict[str, str]
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("advisory locks exist on PostgreSQL; SQLite serialises writers")
    key = session.exec(select(ApiKey).order_by(col(ApiKey.id).desc())).first()
    assert key is not None
    with engine.connect() as other:
        other.begin()
        other.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:n, 0))"), {"n": f"idem:{key.id}:race"})
        response = client.post(
            "/api/v1/candidates",
            json={"first_name": "A", "last_name": "B"},
            headers={**admin_headers, "Idempotency-Key": "race"},
        )
        other.rollback()
    assert response.status_code == 409


def test_stored_responses_are_forgotten_when_the_candidate_is_erased(
    client: TestClient, session: Session, admin_headers: dict[str, str]
) -> None:
    from app.webhooks import delivery

    body = {"first_name": "Eva", "last_name": "Smit", "email": "eva@example.com"}
    created = client.post("/api/v1/candidates", json=body, headers={**admin_headers, "Idempotency-Key": "eva"})
    candidate_id = created.json()["id"]
    stored = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "eva")).one()
    assert stored.candidate_id == candidate_id and "eva@example.com" in str(stored.response_body)
    assert client.delete(f"/api/v1/candidates/{candidate_id}", headers=admin_headers).status_code == 204
    delivery.dispatch(session)  # the worker's fan-out handles candidate.erased
    assert session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "eva")).first() is None
