"""Startup: the real bank loads and syncs; a broken bank or an old schema stops the process with one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import startup
from app.config import ROOT, Environment, Settings
from app.db import create_db_engine
from app.main import create_app
from app.questionnaires.models import QuestionnaireVersion
from tests.databases import Factory


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(QuestionnaireVersion)).one()


@pytest.fixture
def broken_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", bank)
    first = sorted(bank.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("sections:", "sectoins:", 1), encoding="utf-8")
    return bank


def test_prepare_syncs_the_shipped_bank_once(new_database: Factory, capsys: pytest.CaptureFixture[str]) -> None:
    from app import schema

    url = new_database("sqlite")
    schema.upgrade(url)
    engine = create_db_engine(url)
    settings = Settings(environment=Environment.TEST, database_url=url)
    try:
        startup.prepare(engine, settings)
        count = _count(engine)
        assert count == len(list((ROOT / "questions").glob("*.yaml")))
        startup.prepare(engine, settings)
        assert _count(engine) == count
    finally:
        engine.dispose()
    assert "http://127.0.0.1:8000/setup" in capsys.readouterr().err


def test_setup_address_is_the_configured_public_one(new_database: Factory, capsys: pytest.CaptureFixture[str]) -> None:
    # Behind a proxy, or in production where the host check refuses the listening address, the address
    # the server listens on would not open: the configured TOUCHSTONE_BASE_URL is printed instead.
    from app import schema

    url = new_database("sqlite")
    schema.upgrade(url)
    engine = create_db_engine(url)
    public = Settings(environment=Environment.TEST, database_url=url, base_url="https://touchstone.example.org")
    try:
        startup.prepare(engine, public, listen_url="http://127.0.0.1:8011")
        assert "https://touchstone.example.org/setup?token=" in capsys.readouterr().err
        unset = Settings(environment=Environment.TEST, database_url=url)
        startup.prepare(engine, unset, listen_url="http://127.0.0.1:8011")
        assert "http://127.0.0.1:8011/setup?token=" in capsys.readouterr().err
    finally:
        engine.dispose()


def test_broken_bank_names_the_file(broken_bank: Path) -> None:
    with pytest.raises(startup.StartupError) as caught:
        startup.load_questionnaires(broken_bank)
    message = str(caught.value)
    assert "\n" not in message
    assert ".yaml" in message


def test_app_refuses_to_start_on_an_unmigrated_database(new_database: Factory) -> None:
    app = create_app(Settings(environment=Environment.TEST, database_url=new_database("sqlite")))
    with pytest.raises(startup.StartupError, match="touchstone migrate"), TestClient(app):
        pass


@pytest.mark.slow
def test_serve_refuses_a_broken_bank_with_one_line(broken_bank: Path, new_database: Factory) -> None:
    from app import schema

    url = new_database("sqlite")
    schema.upgrade(url)
    env = {**os.environ, "TOUCHSTONE_DATABASE_URL": url, "TOUCHSTONE_QUESTIONS_DIR": str(broken_bank)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: question bank: ")
    assert str(broken_bank) in lines[0]
