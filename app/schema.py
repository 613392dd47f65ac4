"""Run Alembic from code and tell whether a database is at the migration head.

Alembic is imported only to migrate: it takes about 12 MB, and a serving worker only needs to know the
head revisions (read once from the migration scripts) and the database's own (one SELECT).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Select, String, column, inspect, select, table

from app.config import ROOT

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = ROOT / "migrations"
VERSION_TABLE = "alembic_version"
_CURRENT: Select[str] = select(column("version_num", String)).select_from(table(VERSION_TABLE))


def alembic_config(database_url: str | None = None, connection: Connection | None = None) -> Config:
    """Return the project's Alembic config ([tool.alembic] in pyproject.toml) aimed at one database."""
    from alembic.config import Config

    config = Config(toml_file=ROOT / "pyproject.toml")
    config.set_main_option("script_location", str(MIGRATIONS))
    if database_url:
        config.attributes["database_url"] = database_url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database to revision (the head by default)."""
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Migrate the database down to revision (empty by default)."""
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


@functools.cache
def head_revisions() -> frozenset[str]:
    """Return the head revision(s) of the migration scripts: those no other script revises.

    Read from each script's ``revision`` and ``down_revision`` assignments, the two names Alembic itself
    reads (tests/test_migrations.py checks the answer against Alembic's); the scripts do not change while
    the process runs.
    """
    revised: set[str] = set()
    revisions: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        names = _assignments(path)
        revision = names.get("revision")
        if isinstance(revision, str):
            revisions.add(revision)
        down = names.get("down_revision")
        if isinstance(down, str):
            revised.add(down)
        elif isinstance(down, tuple | list):
            revised |= {str(d) for d in down}
    return frozenset(revisions - revised)


def _assignments(path: Path) -> dict[str, object]:
    """Return the literal values of a script's top-level ``revision`` and ``down_revision``."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and value is not None:
            found[target.id] = ast.literal_eval(value)
    return found


def current_revisions(engine: Engine) -> set[str]:
    """Return the revision(s) the database is at; empty for a database never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return set()
        return set(connection.execute(_CURRENT).scalars())


def pending_reason(engine: Engine) -> str | None:
    """Return why the database is not at the head, or None when it is."""
    current, heads = current_revisions(engine), head_revisions()
    if current == heads:
        return None
    if not current:
        return "the database has no schema yet; run `touchstone migrate`"
    return (
        f"the database is at revision {', '.join(sorted(current))}, the code expects "
        f"{', '.join(sorted(heads))}; run `touchstone migrate`"
    )
