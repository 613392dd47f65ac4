"""Run Alembic from code and tell whether a database is at the migration head."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from app.config import ROOT


def alembic_config(database_url: str | None = None, connection: Connection | None = None) -> Config:
    """Return the project's Alembic config ([tool.alembic] in pyproject.toml) aimed at one database."""
    config = Config(toml_file=ROOT / "pyproject.toml")
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if database_url:
        config.attributes["database_url"] = database_url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database to revision (the head by default)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Migrate the database down to revision (empty by default)."""
    command.downgrade(alembic_config(database_url), revision)


def head_revisions() -> set[str]:
    """Return the head revision(s) of the migration scripts."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    """Return the revision(s) the database is at; empty for a database never migrated."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


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
