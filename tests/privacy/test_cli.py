"""`touchstone purge` erases candidates past retention in a real, committed database."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session
from typer.testing import CliRunner

from app import schema
from app.candidates.models import Candidate
from app.cli import cli
from app.db import create_db_engine
from app.privacy import service as privacy
from tests.databases import Factory


def test_purge_command_erases_and_reports(new_database: Factory) -> None:
    url = new_database("sqlite")
    schema.upgrade(url)
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            due = Candidate(first_name="Ada", last_name="Lovelace", email="ada@example.org")
            kept = Candidate(first_name="Grace", last_name="Hopper", email="grace@example.org")
            session.add_all([due, kept])
            session.flush()
            privacy.close_procedure(session, due, actor="test", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            session.commit()
            due_id, kept_id = due.id, kept.id

        result = CliRunner().invoke(cli, ["purge"], env={"TOUCHSTONE_DATABASE_URL": url})
        assert result.exit_code == 0, result.output
        assert "1 candidate(s) past retention erased" in result.output

        with Session(engine) as session:
            erased, untouched = session.get(Candidate, due_id), session.get(Candidate, kept_id)
            assert erased is not None and erased.erased_at is not None and erased.email is None
            assert untouched is not None and untouched.erased_at is None
    finally:
        engine.dispose()


def test_purge_command_reports_an_unmigrated_database(new_database: Factory) -> None:
    url = new_database("sqlite")
    result = CliRunner().invoke(cli, ["purge"], env={"TOUCHSTONE_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "touchstone migrate" in result.output
