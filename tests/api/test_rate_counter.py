"""The per-process request counter: batched into the shared database count, enforced, bounded overshoot."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey, RateWindow

NOW = dt.datetime(2026, 11, 28, 12, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def key(session: Session) -> ApiKey:
    created, _secret = apikeys.create_key(session, name="ats", scopes=["read"], actor="test")
    return created


@pytest.fixture(autouse=True)
def _no_timed_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    # Syncs happen by count in these tests, never because a second passed on a slow machine.
    monkeypatch.setattr(apikeys, "RATE_SYNC_SECONDS", 3600.0)


def _stored(session: Session, key: ApiKey, now: dt.datetime = NOW) -> int:
    window = int(now.timestamp()) // apikeys.RATE_WINDOW_SECONDS
    row = session.exec(select(RateWindow).where(RateWindow.api_key_id == key.id, RateWindow.window == window)).first()
    if row is None:
        return 0
    session.refresh(row)
    return row.count


def test_hits_reach_the_database_in_batches(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    counter = apikeys.RequestCounter()
    limit = 1000  # each process may run ahead of the database by 2% of it: 20 requests
    assert counter.hit(session, key.id, limit, NOW) is None
    assert _stored(session, key) == 1  # a process's first request syncs
    for _ in range(20):
        assert counter.hit(session, key.id, limit, NOW) is None
    assert _stored(session, key) == 1
    assert counter.hit(session, key.id, limit, NOW) is None
    assert _stored(session, key) == 22


def test_a_small_limit_is_counted_exactly(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    counter = apikeys.RequestCounter()
    outcomes = [counter.hit(session, key.id, 3, NOW) for _ in range(5)]
    assert outcomes[:3] == [None, None, None]
    assert outcomes[3] is not None and 1 <= outcomes[3] <= 60
    assert _stored(session, key) == 5


def test_processes_sharing_a_database_overshoot_by_at_most_their_allowance(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    processes = [apikeys.RequestCounter() for _ in range(3)]
    limit = 500
    slack = int(limit * apikeys.RATE_SLACK)
    admitted = 0
    for turn in range(2 * limit):
        if processes[turn % 3].hit(session, key.id, limit, NOW) is None:
            admitted += 1
        elif turn >= limit + 3 * slack:
            break
    assert limit <= admitted <= limit + 3 * slack
    # Once over, every process refuses: the database total decides near the limit.
    assert all(p.hit(session, key.id, limit, NOW) is not None for p in processes)


def test_a_new_window_starts_from_zero(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    counter = apikeys.RequestCounter()
    for _ in range(4):
        counter.hit(session, key.id, 3, NOW)
    later = NOW + dt.timedelta(seconds=apikeys.RATE_WINDOW_SECONDS)
    assert counter.hit(session, key.id, 3, later) is None
    assert _stored(session, key, later) == 1


def test_admit_counts_in_memory_only_within_the_allowance(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    counter = apikeys.RequestCounter()
    limit = 1000  # an allowance of 20 requests per process between syncs
    assert counter.admit(key.id, limit, NOW) is False  # nothing known yet: the first request must sync
    assert counter.hit(session, key.id, limit, NOW) is None
    assert [counter.admit(key.id, limit, NOW) for _ in range(21)] == [True] * 20 + [False]
    assert _stored(session, key) == 1
    # The refused one was not counted: hit() counts it and syncs the 20 admitted with it.
    assert counter.hit(session, key.id, limit, NOW) is None
    assert _stored(session, key) == 22


def test_admit_refuses_a_new_window(session: Session, key: ApiKey) -> None:
    assert key.id is not None
    counter = apikeys.RequestCounter()
    assert counter.hit(session, key.id, 1000, NOW) is None
    later = NOW + dt.timedelta(seconds=apikeys.RATE_WINDOW_SECONDS)
    assert counter.admit(key.id, 1000, later) is False


def test_a_key_checked_moments_ago_needs_no_database(session: Session) -> None:
    created, secret = apikeys.create_key(session, name="ats", scopes=["read"], actor="test")
    now = dt.datetime.now(dt.UTC)
    assert apikeys.recently_checked(secret, now) is None  # not checked in this process yet
    found = apikeys.authenticate(session, secret, now)
    assert found is not None and found.id == created.id
    again = apikeys.recently_checked(secret, now)
    assert again is not None and again.id == created.id
    assert apikeys.recently_checked(secret[:-1] + ("A" if secret[-1] != "A" else "B"), now) is None
    # Its last use is due to be recorded again a minute on: that takes the database.
    assert apikeys.recently_checked(secret, now + apikeys.LAST_USED_RESOLUTION) is None
    apikeys.revoke(session, created, actor="test")
    assert apikeys.recently_checked(secret, now) is None
