"""app/scoring is pure: it imports nothing that does I/O and never reads the clock."""

from __future__ import annotations

import ast
from pathlib import Path

SCORING = Path(__file__).resolve().parents[2] / "app" / "scoring"
FORBIDDEN = {
    "fastapi",
    "starlette",
    "sqlmodel",
    "sqlalchemy",
    "alembic",
    "httpx",
    "requests",
    "urllib",
    "socket",
    "os",
    "io",
    "pathlib",
    "shutil",
    "subprocess",
    "sqlite3",
    "psycopg",
    "yaml",
    "jinja2",
    "logging",
    "time",
    "random",
    "asyncio",
    "threading",
    "app.db",
    "app.config",
    "app.main",
}
FORBIDDEN_CALLS = {"open", "now", "today", "utcnow", "input", "print"}


def _modules() -> list[Path]:
    files = sorted(SCORING.glob("*.py"))
    assert len(files) > 5
    return files


def test_scoring_imports_no_io() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root not in FORBIDDEN and name not in FORBIDDEN, f"{path.name} imports {name}"
                if root == "app":
                    assert name.startswith("app.scoring"), f"{path.name} imports {name} from outside app.scoring"


def test_scoring_calls_no_clock_or_files() -> None:
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"
