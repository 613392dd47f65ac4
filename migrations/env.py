"""Alembic environment: the schema is SQLModel.metadata; the URL comes from Touchstone's settings."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import JSON, Connection
from sqlmodel.sql.sqltypes import AutoString

import app.models
from app.config import load_settings
from app.db import UTCDateTimeType, create_db_engine

config = context.config
target_metadata = app.models.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render project types with plain sqlalchemy names so migrations import nothing from the app."""
    if type_ != "type":
        return False
    # Aware-UTC timestamps are a plain TIMESTAMP WITH TIME ZONE in the schema.
    if isinstance(obj, UTCDateTimeType):
        return "sa.DateTime(timezone=True)"
    # sqlmodel's AutoString is a plain VARCHAR.
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    # JSON with a JSONB variant: the default rendering refers to an unimported Text().
    if isinstance(obj, JSON) and "postgresql" in getattr(obj, "_variant_mapping", {}):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
    )


def _url() -> str:
    # Tests and `touchstone migrate` hand the URL in; the plain `alembic` command reads the settings.
    url = config.attributes.get("database_url")
    if not url and config.file_config.has_section(config.config_ini_section):
        url = config.get_main_option("sqlalchemy.url")
    return str(url) if url else load_settings().database_url


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=_url().startswith("sqlite"),
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations copy a table and drop the old one; with foreign keys on, dropping a parent table
        # would cascade-delete its children. The pragma only works outside a transaction, hence the raw driver.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def run_migrations_online() -> None:
    """Run migrations on a connection handed in by a caller, or on a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_online(connection)
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as connection:
            _run_online(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
