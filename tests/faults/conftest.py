"""Fault tests use their own databases: they commit from many threads and processes, which the shared,
rolled-back test database must never see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import schema
from app.db import create_db_engine
from app.questionnaires import service as questionnaires
from tests.assessments.conftest import shipped_bank
from tests.databases import Factory


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, new_database: Factory) -> str:
    """Return the URL of a new database migrated to the head with the shipped questionnaires stored."""
    url = new_database(request.param)
    schema.upgrade(url)
    engine = create_db_engine(url)
    with Session(engine) as session:
        questionnaires.sync_bank(session, shipped_bank())
        session.commit()
    engine.dispose()
    return url


@pytest.fixture
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    engine = create_db_engine(fresh_url, pool_size=30, max_overflow=10)
    yield engine
    engine.dispose()
