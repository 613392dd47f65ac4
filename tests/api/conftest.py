"""Fixtures for the ATS API tests: keys with scopes, the shipped bank, a way to complete an assessment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.apikeys import service as apikeys
from app.assessments import service as assessments
from app.assessments.models import Assessment, Result
from app.config import Settings
from tests.assessments.conftest import bank, example

__all__ = ["bank", "example"]

MakeKey = Callable[..., dict[str, str]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, with loopback allowed for webhook receivers."""
    return settings.model_copy(update={"webhook_allow_private": True})


@pytest.fixture
def make_key(session: Session) -> MakeKey:
    """Return a function that creates a key with the given scopes and returns its Authorization header."""

    def make(*scopes: str, name: str = "ats") -> dict[str, str]:
        _key, secret = apikeys.create_key(session, name=name, scopes=scopes, actor="test")
        session.flush()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def admin_headers(make_key: MakeKey) -> dict[str, str]:
    return make_key("read", "write")


def complete(session: Session, assessment_id: str, persona: str = "self-test--senior") -> Result:
    """Answer an assessment with a persona's answers and submit it, as the candidate would."""
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    problems = assessments.save_answers(session, assessment, example(persona))
    assert problems == {}
    return assessments.submit(session, assessment, actor="candidate")


def order_self_test(client: TestClient, headers: dict[str, str]) -> str:
    """Order a self-test for a new candidate through the API; return the assessment's id."""
    candidate = client.post(
        "/api/v1/candidates", json={"first_name": "Ria", "last_name": "Bos", "language": "en"}, headers=headers
    ).json()
    created = client.post(
        "/api/v1/assessments", json={"candidate_id": candidate["id"], "questionnaire_id": "self-test"}, headers=headers
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])
