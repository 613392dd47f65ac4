"""Fixtures for the candidate pages: the shipped bank, a CSRF token, links in every state, persona answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.questionnaires import service as questionnaires
from app.scoring import model as m
from tests.assessments.conftest import bank, example

__all__ = ["bank", "csrf_from", "example", "form_for", "invite", "self_test_questionnaire"]


def csrf_from(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def invite(session: Session, **options: Any) -> str:
    """Create an invitation for the self-test and return its token."""
    created = assessments.create(
        session,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language=options.pop("language", "en"),
        actor="test",
        **options,
    )
    assert created.token
    return created.token


@pytest.fixture
def csrf(client: TestClient) -> str:
    """Return a CSRF token valid for the client's cookie."""
    return csrf_from(client.get("/self-test").text)


def form_for(questionnaire: m.Questionnaire, section_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Return the form fields a browser would send for a section filled in with ``answers``."""
    section = next(s for s in questionnaire.sections if s.id == section_id)
    fields: list[tuple[str, str]] = []
    for item in section.items:
        value = answers.get(item.id)
        if value is None:
            continue
        name = f"q.{item.id}"
        if isinstance(value, list):
            fields.extend((name, str(v)) for v in value)
        elif isinstance(value, dict) and isinstance(item, m.SjtItem):
            fields.extend([(f"{name}.best", value["best"]), (f"{name}.worst", value["worst"])])
        elif isinstance(value, dict):
            fields.extend((f"{name}.{key}", str(v)) for key, v in value.items())
        else:
            fields.append((name, str(value)))
    grouped: dict[str, Any] = {}
    for key, text in fields:
        grouped.setdefault(key, []).append(text)
    return {key: texts if len(texts) > 1 else texts[0] for key, texts in grouped.items()}


def self_test_questionnaire(session: Session) -> m.Questionnaire:
    """Return the stored self-test questionnaire as the pages render it."""
    version = questionnaires.get_current(session, "self-test")
    assert version is not None
    return assessments.compiled_for(version).questionnaire
