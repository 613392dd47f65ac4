"""Lock a row for the rest of the transaction, so check-then-write work on it runs one at a time, on both
databases."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from app.db.sqlite import GatedConnection


def lock_row(session: Session, table: type[SQLModel], row_id: object) -> None:
    """Hold the row of table with id row_id until the session's transaction ends.

    PostgreSQL locks the row (SELECT ... FOR UPDATE): a second transaction that locks it waits. SQLite has no
    row locks, and its reads take none (a write transaction begins at the first write, app.db.sqlite), so a
    check read before the first write could be overtaken; here the write transaction begins now, and the
    reads that follow already hold the database's write lock.
    """
    dbapi = session.connection().connection.dbapi_connection
    if isinstance(dbapi, GatedConnection):
        if not dbapi.in_transaction:
            try:
                dbapi.begin_write()
            except sqlite3.OperationalError as error:  # answered with 503, like any "database is locked"
                raise OperationalError("BEGIN IMMEDIATE", None, error) from error
        return
    session.get(table, row_id, with_for_update=True)
