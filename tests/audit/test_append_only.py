"""The audit log is append-only: no code path changes or deletes a row, the database refuses it too,
and entries never hold personal data (so erasure never needs to rewrite them)."""

from __future__ import annotations

import ast
import inspect
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.audit import service as audit
from app.audit.models import AppendOnlyError, AuditEvent
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate, CandidateUpdate
from app.cli import cli
from app.config import ROOT, Settings
from app.main import create_app
from app.privacy import service as privacy
from tests.privacy.conftest import EMAIL, FIRST, LAST, REF, bank, take

__all__ = ["bank"]

APP = ROOT / "app"
# The one module allowed to mention changing audit rows: the ORM guard that refuses it.
GUARD = APP / "audit" / "models.py"


def _offences(path: Path) -> list[str]:
    """Return the lines of a module that update or delete audit events."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    mentions_audit = "AuditEvent" in source
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = ast.unparse(node.args[0]) if node.args else ""
            if name in {"delete", "update"} and "AuditEvent" in first:
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
            elif name == "delete" and mentions_audit and isinstance(node.func, ast.Attribute):
                # session.delete(...) in a module that handles audit events: too close to call.
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.lower().split())
            if "update audit_event" in sql or "delete from audit_event" in sql or "truncate audit_event" in sql:
                found.append(f"{path}:{node.lineno}: SQL {node.value[:60]!r}")
    return found


def _modules() -> list[Path]:
    return [p for p in sorted(APP.rglob("*.py")) if p != GUARD]


def test_no_code_updates_or_deletes_audit_events() -> None:
    offences = [line for path in _modules() for line in _offences(path)]
    assert offences == []


def test_the_static_check_catches_offences(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlalchemy import delete\nfrom app.audit.models import AuditEvent\n"
        "def f(s, e):\n    s.execute(delete(AuditEvent))\n    s.delete(e)\n"
        "    s.execute(text('DELETE FROM audit_event'))\n",
        encoding="utf-8",
    )
    assert len(_offences(bad)) == 3


def _endpoints(routes: Iterable[Any]) -> Iterator[Any]:
    for route in routes:
        if getattr(route, "endpoint", None) is not None:
            yield route.endpoint
        # Included routers are nested (FastAPI keeps the original router behind the inclusion).
        nested = getattr(route, "original_router", None) or getattr(route, "router", None)
        if nested is not None and nested is not route:
            yield from _endpoints(getattr(nested, "routes", []))


def test_every_route_and_command_is_covered_by_the_check(settings: Settings) -> None:
    scanned = {str(p) for p in _modules()} | {str(GUARD)}
    app = create_app(settings, run_startup=False)
    endpoints = list(_endpoints(app.routes))
    group = typer.main.get_command(cli)
    commands = [info.callback for info in cli.registered_commands]
    files = {inspect.getsourcefile(f) for f in [*endpoints, *commands] if f is not None and inspect.isfunction(f)}
    in_app = {f for f in files if f and f.startswith(str(APP))}
    assert in_app, "no route or command found"
    assert in_app <= scanned
    route_files = {inspect.getsourcefile(f) for f in endpoints if inspect.isfunction(f)}
    assert str(APP / "web" / "hr" / "privacy.py") in route_files and str(APP / "health.py") in route_files
    assert {"purge", "migrate", "serve"} <= set(group.commands)  # type: ignore[attr-defined]


def test_the_orm_refuses_changes(session: Session) -> None:
    entry = session.get_one(AuditEvent, audit.record(session, actor="test", action="test.event"))
    session.delete(entry)
    with pytest.raises(AppendOnlyError):
        session.flush()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event", "TRUNCATE audit_event"]
)
def test_the_database_refuses_changes(session: Session, statement: str) -> None:
    audit.record(session, actor="test", action="test.event")
    if statement.startswith("TRUNCATE") and session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.connection().execute(text(statement))
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "test.event")).all()


def test_audit_entries_hold_no_personal_data(bank: Session, settings: Settings) -> None:
    candidate = candidates.create(
        bank, CandidateCreate(first_name=FIRST, last_name=LAST, email=EMAIL, external_ref=REF), actor="user:1"
    )
    candidates.update(bank, candidate, CandidateUpdate(last_name=LAST + "-Smith"), actor="user:1")
    candidates.update(bank, candidate, CandidateUpdate(last_name=LAST), actor="user:1")
    take(bank, candidate)
    privacy.record_consent(bank, candidate, settings=settings)
    privacy.close_procedure(bank, candidate, actor="user:1", settings=settings)
    privacy.export_candidate(bank, candidate)
    privacy.erase_candidate(bank, candidate, actor="user:1")
    rows = bank.exec(select(AuditEvent)).all()
    assert {"candidate.created", "candidate.updated", "assessment.submitted", "candidate.erased"} <= {
        r.action for r in rows
    }
    for row in rows:
        dumped = json.dumps(row.model_dump(mode="json")).lower()
        for value in (FIRST, LAST, EMAIL, REF):
            assert value.lower() not in dumped, (row.action, row.detail)
