"""Claiming work for a worker: a row is taken by moving its next attempt to the end of the claim's lease.

The lease is committed with the claim, so it survives a crash: when it runs out, the row is due again and
another worker takes it over. The conditional update makes a row claimable once, even where the rows were
read outside the write transaction (SQLite reads take no lock) or by two workers at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session, SQLModel, col


def take(session: Session, table: type[SQLModel], row_id: int, seen: dt.datetime, lease: dt.datetime) -> bool:
    """Move a row's next_attempt_at from ``seen`` to ``lease``; False when another worker took it first."""
    taken = session.execute(
        update(table)
        .where(col(table.id) == row_id, col(table.next_attempt_at) == seen)  # type: ignore[attr-defined]
        .values(next_attempt_at=lease)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]
