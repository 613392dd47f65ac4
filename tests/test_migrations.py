"""Migrations: empty to head, down to base and up again, and no drift between models and migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import app.models
from app import schema
from app.db import create_db_engine
from tests.databases import Factory

TABLES = {
    "answer",
    "assessment",
    "audit_event",
    "candidate",
    "questionnaire_version",
    "result",
    "role",
    "user_account",
    "user_session",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, new_database: Factory) -> str:
    return new_database(request.param)


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    engine = create_db_engine(empty_url)
    try:
        assert schema.current_revisions(engine) == set()
        assert schema.pending_reason(engine) is not None

        schema.upgrade(empty_url)
        assert TABLES <= set(inspect(engine).get_table_names())
        assert schema.current_revisions(engine) == schema.head_revisions()
        assert schema.pending_reason(engine) is None

        schema.downgrade(empty_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        schema.upgrade(empty_url)
        schema.upgrade(empty_url)  # a second run is a no-op, not "table exists"
        assert schema.pending_reason(engine) is None
    finally:
        engine.dispose()


def test_head_revisions_are_alembics() -> None:
    # The serving process reads the heads without importing Alembic; they must be the ones Alembic finds.
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()
    assert schema.head_revisions() == set(heads)
    assert len(heads) == 1


def test_models_and_migrations_agree(empty_url: str) -> None:
    schema.upgrade(empty_url)
    engine = create_db_engine(empty_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            diff = compare_metadata(context, app.models.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models differ from the migrations; run alembic revision --autogenerate: {diff}"


def test_constraint_names_follow_the_convention() -> None:
    table = app.models.metadata.tables["answer"]
    names = {c.name for c in table.constraints}
    assert "uq_answer_assessment_id_item_id" in names
    assert "fk_answer_assessment_id_assessment" in names
    assert "pk_answer" in names
