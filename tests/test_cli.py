"""The `touchstone` command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app import schema
from app.accounts.models import User
from app.cli import cli
from app.config import ROOT
from app.db import create_db_engine
from tests.databases import Factory
from tests.live import free_port

runner = CliRunner()
COMMANDS = [
    "serve",
    "migrate",
    "check-questions",
    "create-user",
    "load-questions",
    "score",
    "stats",
    "create-api-key",
    "worker",
    "purge",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_serve_help_shows_its_options() -> None:
    output = runner.invoke(cli, ["serve", "--help"]).output
    for option in ("--host", "--port", "--workers"):
        assert option in output


def test_serve_help_names_the_setting_it_reads() -> None:
    # uvicorn's own FORWARDED_ALLOW_IPS is not read: the help names the variable that is.
    output = " ".join(runner.invoke(cli, ["serve", "--help"], env={"COLUMNS": "300"}).output.split())
    assert "TOUCHSTONE_FORWARDED_ALLOW_IPS" in output


def test_console_script_is_installed() -> None:
    touchstone = Path(sys.executable).parent / "touchstone"
    result = subprocess.run([touchstone, "--help"], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0
    assert "check-questions" in result.stdout


def test_check_questions_accepts_the_shipped_bank() -> None:
    result = runner.invoke(cli, ["check-questions", str(ROOT / "questions")])
    assert result.exit_code == 0, result.output
    assert "questionnaire(s) valid" in result.output


def test_check_questions_reports_a_broken_file(tmp_path: Path) -> None:
    bank = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", bank)
    first = sorted(bank.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("sections:", "sectoins:", 1), encoding="utf-8")
    result = runner.invoke(cli, ["check-questions", str(bank)])
    assert result.exit_code == 1
    assert first.name in result.output


def test_migrate_create_user_and_load_questions(new_database: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    url = new_database("sqlite")
    monkeypatch.setenv("TOUCHSTONE_DATABASE_URL", url)
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    assert "database at revision" in runner.invoke(cli, ["migrate"]).output

    created = runner.invoke(cli, ["create-user", "Lead@Example.org", "--role", "assessor"], input="a long password!\n")
    assert created.exit_code == 0, created.output
    duplicate = runner.invoke(cli, ["create-user", "lead@example.org"], input="a long password!\n")
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    too_short = runner.invoke(cli, ["create-user", "other@example.org"], input="short\n")
    assert too_short.exit_code == 1

    first = runner.invoke(cli, ["load-questions"])
    second = runner.invoke(cli, ["load-questions"])
    assert first.exit_code == second.exit_code == 0
    assert "0 new version(s)" in second.output

    stats = runner.invoke(cli, ["stats", "self-test"])
    assert stats.exit_code == 0, stats.output
    assert "0 completed assessment(s)" in stats.output and "strategy" in stats.output
    assert runner.invoke(cli, ["stats", "nope"]).exit_code == 1

    engine = create_db_engine(url)
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert (user.email, user.role) == ("lead@example.org", "assessor")
    assert schema.pending_reason(create_db_engine(url)) is None


def _example_answers() -> Path | None:
    examples = sorted((ROOT / "questions" / "examples").glob("self-test*.json"))
    return examples[0] if examples else None


def test_score_prints_the_result_json() -> None:
    answers = _example_answers()
    if answers is None:
        pytest.skip("no example answers in questions/examples yet")
    result = subprocess.run(
        [sys.executable, "-m", "app", "score", "self-test", str(answers), "--date", "2026-03-01", "--lang", "nl"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, dict)
    assert result.stdout.startswith("{\n  ")


def test_score_rejects_a_bad_date(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    result = runner.invoke(cli, ["score", "self-test", str(answers), "--date", "01-03-2026"])
    assert result.exit_code == 1
    assert "--date" in result.output


class _FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


@pytest.mark.parametrize(
    ("preset", "expected_env", "expected_calls"), [(None, "2", [(-8, 2)]), ("4", "4", [(-8, 4)]), ("many", "many", [])]
)
def test_serve_caps_malloc_arenas(
    monkeypatch: pytest.MonkeyPatch, preset: str | None, expected_env: str, expected_calls: list[tuple[int, int]]
) -> None:
    from app import cli as cli_module

    monkeypatch.setenv("MALLOC_ARENA_MAX", "placeholder-to-restore")
    if preset is None:
        monkeypatch.delenv("MALLOC_ARENA_MAX")
    else:
        monkeypatch.setenv("MALLOC_ARENA_MAX", preset)
    libc = _FakeLibc()
    monkeypatch.setattr(cli_module.ctypes, "CDLL", lambda _name: libc)
    cli_module.limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == expected_env  # inherited by worker processes
    assert libc.calls == expected_calls  # M_ARENA_MAX for this process; a bad value is left to glibc


def test_score_combines_a_self_test_and_an_hr_assessment() -> None:
    examples = ROOT / "questions" / "examples"
    result = runner.invoke(
        cli,
        [
            "score",
            "self-test",
            str(examples / "self-test--senior.json"),
            "hr-assessment",
            str(examples / "hr-assessment--senior.json"),
            "--lang",
            "nl",
        ],
    )
    assert result.exit_code == 0, result.output
    combined = json.loads(result.output)
    assert [p["id"] for p in combined["parts"]] == ["self-test", "hr-assessment"]
    assert combined["verdict"]["code"] == "ready_to_lead"
    assert set(combined["evidence"]["dimensions"]["strategy"]["sources"]) == {"self", "hr"}


def test_score_says_in_one_line_when_a_file_answers_another_questionnaire(tmp_path: Path) -> None:
    example = ROOT / "questions" / "examples" / "hr-assessment--senior.json"
    result = runner.invoke(cli, ["score", "self-test", str(example)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {example}: these are answers to 'hr-assessment', not to 'self-test'"
    ]
    plain = tmp_path / "answers.json"
    plain.write_text(json.dumps(json.loads(example.read_text())["answers"]), encoding="utf-8")
    result = runner.invoke(cli, ["score", "self-test", str(plain)])
    assert result.exit_code == 1
    assert "they fit 'hr-assessment'" in result.output and len(result.output.strip().splitlines()) == 1


def test_score_refuses_two_self_tests(tmp_path: Path) -> None:
    example = str(ROOT / "questions" / "examples" / "self-test--senior.json")
    result = runner.invoke(cli, ["score", "self-test", example, "self-test", example])
    assert result.exit_code == 1
    assert "one self-test and one HR assessment" in result.output


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_serve_with_worker_runs_the_worker_until_serving_stops(new_database: Factory, tmp_path: Path) -> None:
    """`make run` serves with --with-worker: link expiry (a worker's job) happens with no second command."""
    from app.assessments import service as assessments
    from app.assessments.models import Assessment, AssessmentMode

    url = new_database("sqlite")
    env = {**os.environ, "TOUCHSTONE_DATABASE_URL": url, "TOUCHSTONE_DATA_DIR": str(tmp_path)}
    touchstone = str(Path(sys.executable).parent / "touchstone")
    for step in ("migrate", "load-questions"):
        subprocess.run([touchstone, step], env=env, check=True, capture_output=True, timeout=120)
    engine = create_db_engine(url)
    with Session(engine) as session:
        created = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="en", actor="test"
        )
        created.assessment.expires_at = created.assessment.created_at  # the link ran out long ago
        session.add(created.assessment)
        session.commit()
        assessment_id = created.assessment.id

    def status() -> str:
        with Session(engine) as session:
            found = session.get(Assessment, assessment_id)
            assert found is not None
            return str(found.status)

    log = (tmp_path / "serve.log").open("w")
    command = [touchstone, "serve", "--port", str(free_port()), "--with-worker"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120  # a readiness wait on a loaded machine, not a speed check
        while status() != "expired" and time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        assert status() == "expired", (tmp_path / "serve.log").read_text()
        workers = _children(process.pid)
        assert workers, "the worker runs as a child process of serve"
        process.send_signal(signal.SIGTERM)  # to serve alone: it stops its worker itself
        assert process.wait(timeout=60) == 128 + signal.SIGTERM  # stopped as asked, not killed
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists(), "the worker outlived serve"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        engine.dispose()
