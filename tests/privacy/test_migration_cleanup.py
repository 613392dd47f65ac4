"""The privacy migration cleans what earlier versions stored: plain links, search texts, missing retention dates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa

from app import schema
from app.db import create_db_engine
from tests.databases import Factory

BEFORE = "f1b2c3d4e5f6"  # the revision before 20261129_privacy_boundary
LINK = "https://touchstone.example.com/t/xs7JYgYz73EkQxbZe57QdM8eacC__4UhafFNamfYcVE"
NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def _filler(column: sa.Column[Any]) -> object:
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return NOW
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer | sa.Float | sa.Numeric):
        return 0
    if isinstance(kind, sa.JSON) or "JSON" in type(kind).__name__.upper():
        return {}
    return "x"


def _insert(connection: sa.Connection, table: sa.Table, **values: object) -> int:
    """Insert a row, filling every other required column with a plain value; return its id."""
    for column in table.columns:
        required = not column.nullable and column.server_default is None and column.autoincrement is not True
        if column.name not in values and required and not (column.primary_key and isinstance(column.type, sa.Integer)):
            values[column.name] = _filler(column)
    result = connection.execute(table.insert().values(**values))
    return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


@pytest.fixture(params=["sqlite", "postgresql"])
def old_url(request: pytest.FixtureRequest, new_database: Factory) -> str:
    url = new_database(request.param)
    schema.upgrade(url, BEFORE)
    return url


def test_upgrade_removes_plain_links_and_search_texts_and_starts_clocks(old_url: str) -> None:
    engine = create_db_engine(old_url)
    try:
        tables = sa.MetaData()
        tables.reflect(engine, only=["mail_message", "idempotency_record", "api_key", "audit_event", "candidate"])
        mail, replies, keys = (
            tables.tables["mail_message"],
            tables.tables["idempotency_record"],
            tables.tables["api_key"],
        )
        audit, candidate = tables.tables["audit_event"], tables.tables["candidate"]
        with engine.begin() as connection:
            held = _insert(connection, mail, body_text=f"Dear Sam,\n\n{LINK}\n", status="held", kind="invitation")
            queued = _insert(connection, mail, body_text=f"Dear Eva,\n\n{LINK}\n", status="queued", kind="invitation")
            key = _insert(connection, keys, scopes=["write"])
            reply = _insert(
                connection, replies, api_key_id=key, key="k1", response_body={"id": "a1", "invitation_url": LINK}
            )
            export = _insert(
                connection,
                audit,
                action="candidates.exported",
                detail={"filters": {"q": "sam@example.org", "status": "invited"}},
            )
            person = _insert(connection, candidate, first_name="Sam", last_name="Vries", updated_at=NOW)
        schema.upgrade(old_url)
        with engine.connect() as connection:

            def row(table: sa.Table, row_id: int) -> Any:
                return connection.execute(sa.select(table).where(table.c.id == row_id)).one()

            assert LINK not in row(mail, held).body_text and row(mail, held).status == "held"
            assert LINK not in row(mail, queued).body_text and row(mail, queued).status == "failed"
            body = row(replies, reply).response_body
            body = json.loads(body) if isinstance(body, str) else body
            assert body == {"id": "a1", "invitation_url": None}
            detail = row(audit, export).detail
            detail = json.loads(detail) if isinstance(detail, str) else detail
            assert detail == {"filters": {"status": "invited"}, "searched": True}
            until = row(candidate, person).retention_until
            assert until is not None and until.replace(tzinfo=dt.UTC) == NOW + dt.timedelta(days=90)
        # The audit log is append-only again afterwards.
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as connection:
            connection.execute(audit.update().where(audit.c.id == export).values(action="tampered"))
    finally:
        engine.dispose()
