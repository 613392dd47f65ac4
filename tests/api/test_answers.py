"""Answers through the API: save as you go, refuse bad items by name, submit once."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.assessments.models import Result
from tests.api.conftest import MakeKey, example, order_self_test


def test_save_then_submit(client: TestClient, admin_headers: dict[str, str], bank: Session) -> None:
    assessment_id = order_self_test(client, admin_headers)
    answers: dict[str, Any] = example("self-test--guru")
    first_half = dict(list(answers.items())[:10])
    saved = client.put(
        f"/api/v1/assessments/{assessment_id}/answers", json={"answers": first_half}, headers=admin_headers
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["saved"] == 10
    too_early = client.post(f"/api/v1/assessments/{assessment_id}/submit", json={}, headers=admin_headers)
    assert too_early.status_code == 422
    assert "rate_strategy" in too_early.json()["errors"]
    submitted = client.post(
        f"/api/v1/assessments/{assessment_id}/submit", json={"answers": answers}, headers=admin_headers
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["result"]["verdict"]["code"] == "not_recommended"
    again = client.post(f"/api/v1/assessments/{assessment_id}/submit", json={}, headers=admin_headers)
    assert again.json()["result"] == submitted.json()["result"]
    assert len(bank.exec(select(Result).where(Result.assessment_id == assessment_id)).all()) == 1
    late = client.put(
        f"/api/v1/assessments/{assessment_id}/answers", json={"answers": first_half}, headers=admin_headers
    )
    assert late.status_code == 409


def test_bad_answers_are_named_and_good_ones_kept(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    assessment_id = order_self_test(client, admin_headers)
    body = {"answers": {"self_title": "guru", "rate_roi": 9, "nope": 1, "years_in_profession": "over_10"}}
    response = client.put(f"/api/v1/assessments/{assessment_id}/answers", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == {"self_title", "rate_roi", "nope"}
    saved = client.put(f"/api/v1/assessments/{assessment_id}/answers", json={"answers": {}}, headers=admin_headers)
    assert saved.json()["saved"] == 1


def test_read_only_key_cannot_answer(
    client: TestClient, make_key: MakeKey, admin_headers: dict[str, str], bank: Session
) -> None:
    assessment_id = order_self_test(client, admin_headers)
    reader = make_key("read")
    response = client.put(f"/api/v1/assessments/{assessment_id}/answers", json={"answers": {}}, headers=reader)
    assert response.status_code == 403
