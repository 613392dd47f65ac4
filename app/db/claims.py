"""Claiming work for a worker: a row is taken by moving its next attempt to the end of the claim's lease.

The lease is committed with the claim, so it survives a crash: when it runs out, the row is due again and
another worker takes it over. The conditional update makes a row claimable once, even where the rows were
read outside the write transaction (SQLite reads take no lock) or by two workers at once.

Every queue of work (mail, webhook deliveries, reminders) runs the same loop, ``drain``: claim a few due
rows and commit at once, then handle each one (sending with no transaction open, where it sends) and
record its outcome in a short transaction of its own, after checking with ``reclaim`` that the claim is
still this worker's. What a row needs and what its outcome means stay in its own domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, SQLModel, col, select

from app.db.types import utcnow

Row = TypeVar("Row", bound=SQLModel)
Work = TypeVar("Work")


@dataclass(frozen=True)
class Queue(Generic[Row]):
    """A table of work: rows whose ``state`` column is ``waiting`` are due from their ``next_attempt_at``."""

    table: type[Row]
    state: str
    waiting: str

    def waits(self, row: Row) -> bool:
        """Tell whether a row still waits to be handled."""
        return bool(getattr(row, self.state) == self.waiting)


@dataclass(frozen=True)
class Claim(Generic[Row]):
    """Rows this worker took, each until ``lease``."""

    rows: list[Row]
    lease: dt.datetime


def take(session: Session, table: type[SQLModel], row_id: int, seen: dt.datetime, lease: dt.datetime) -> bool:
    """Move a row's next_attempt_at from ``seen`` to ``lease``; False when another worker took it first."""
    taken = session.execute(
        update(table)
        .where(col(table.id) == row_id, col(table.next_attempt_at) == seen)  # type: ignore[attr-defined]
        .values(next_attempt_at=lease)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def claim(
    session: Session,
    queue: Queue[Row],
    *where: ColumnElement[bool],
    limit: int,
    lease_seconds: Callable[[int], float],
    now: dt.datetime | None = None,
    keep: Callable[[Row], bool] | None = None,
) -> Claim[Row]:
    """Take up to ``limit`` due rows (oldest first, matching ``where``) until a lease that outlasts handling them.

    ``lease_seconds`` gets how many rows were read; ``keep`` may settle a row without taking it (False).
    Rows another worker is claiming are skipped (SKIP LOCKED on PostgreSQL). Flushed, not committed.
    """
    now = now or utcnow()
    table: Any = queue.table
    due = session.exec(
        select(queue.table)
        .where(getattr(table, queue.state) == queue.waiting, col(table.next_attempt_at) <= now, *where)
        .order_by(col(table.next_attempt_at), col(table.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    lease = now + dt.timedelta(seconds=lease_seconds(len(due)))
    taken = [
        row
        for row in due
        if (keep is None or keep(row)) and take(session, queue.table, row.id, row.next_attempt_at, lease)  # type: ignore[attr-defined]
    ]
    session.flush()
    return Claim(taken, lease)


def reclaim(session: Session, queue: Queue[Row], row_id: int, lease: dt.datetime) -> Row | None:
    """Lock and return a claimed row to record its outcome; None when the lease ran out and another worker
    took it over (its outcome counts, not this one)."""
    row = session.get(queue.table, row_id, with_for_update=True, populate_existing=True)
    if row is None or not queue.waits(row) or row.next_attempt_at != lease:  # type: ignore[attr-defined]
        return None
    return row


def drain(
    session: Session, claim_some: Callable[[int], Sequence[Work]], handle: Callable[[Work], bool], *, limit: int
) -> int:
    """Claim work (committed at once) and handle it one by one, each in its own commit, until ``limit`` were
    claimed or nothing is due; return how many ``handle`` calls said True. A worker step: it owns its commits."""
    done = attempted = 0
    while attempted < limit:
        claimed = claim_some(limit - attempted)
        session.commit()
        if not claimed:
            break
        for one in claimed:
            done += handle(one)
            session.commit()
        attempted += len(claimed)
    return done
