"""Fixtures for lifecycle tests: the shipped bank stored in the test database, and example answers."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from sqlmodel import Session

from app.config import ROOT
from app.questionnaires import service as questionnaires
from app.questionnaires.loader import LoadedQuestionnaire, load_bank


@cache
def shipped_bank() -> list[LoadedQuestionnaire]:
    return load_bank(ROOT / "questions")


def example(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ROOT / "questions" / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    return doc["answers"]  # type: ignore[no-any-return]


@pytest.fixture
def bank(session: Session) -> Session:
    """Store the shipped questionnaires in the (rolled-back) test database and return the session."""
    questionnaires.sync_bank(session, shipped_bank())
    return session
