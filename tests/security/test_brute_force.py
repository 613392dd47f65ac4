"""Brute force: sign-in is throttled per e-mail+address, per account and per address, and guessing
candidate links is rate limited. The counters live in the database, so every instance shares them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts import login as login_service
from app.accounts.models import LoginThrottle, UserRole
from app.config import Settings
from app.errors import Unauthorized
from app.ratelimit.models import RateLimitHit
from app.web.candidate import guessing
from tests.web.candidate.conftest import invite
from tests.web.hr.helpers import PASSWORD, login, make_user


@pytest.fixture
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip argon2 for the long loops: what is counted here does not depend on the hash."""
    monkeypatch.setattr(login_service, "verify_password", lambda password, _hash: password == PASSWORD)


def _fail(session: Session, settings: Settings, email: str, ip: str) -> None:
    with pytest.raises(Unauthorized):
        login_service.authenticate(session, email, "bad password!!", ip=ip, settings=settings)


def test_throttling_answers_429_with_retry_after_per_email_and_ip(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.ADMIN)
    for _ in range(5):
        assert login(client, "admin@example.org", "bad password!!").status_code == 401  # type: ignore[attr-defined]
    locked = login(client, "admin@example.org", PASSWORD)
    assert locked.status_code == 429  # type: ignore[attr-defined]
    retry_after = int(locked.headers["retry-after"])  # type: ignore[attr-defined]
    assert 0 < retry_after <= 15 * 60
    # The state lives in the database (shared by every instance), keyed by hashes, not addresses.
    rows = session.exec(select(LoginThrottle)).all()
    assert len(rows) == 3 and all("admin" not in row.key and "testclient" not in row.key for row in rows)
    assert sorted(row.failures for row in rows) == [5, 5, 5]
    # Another account from the same client is not locked.
    make_user(session, UserRole.VIEWER)
    assert login(client, "viewer@example.org").status_code == 303  # type: ignore[attr-defined]


def test_throttle_window_passes_and_success_clears_this_address_only(session: Session, settings: Settings) -> None:
    user = make_user(session, UserRole.ADMIN)
    for _ in range(4):
        _fail(session, settings, user.email, "10.0.0.1")
    assert login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings) == user
    assert session.get(LoginThrottle, login_service._key(user.email, "10.0.0.1")) is None
    assert len(session.exec(select(LoginThrottle)).all()) == 2  # the account's and the address's counts stay
    for _ in range(5):
        _fail(session, settings, user.email, "10.0.0.1")
    with pytest.raises(login_service.Throttled):
        login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings)
    for row in session.exec(select(LoginThrottle)).all():
        row.locked_until = row.first_failure_at = row.first_failure_at - dt.timedelta(hours=1)
        session.add(row)
    session.flush()
    assert login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings) == user


@pytest.mark.usefixtures("fast_hashes")
@pytest.mark.parametrize("email", ["admin@example.org", "nobody@example.org"])
def test_one_account_tried_from_many_addresses_is_locked(session: Session, settings: Settings, email: str) -> None:
    make_user(session, UserRole.ADMIN)
    limit = settings.login_max_failures * login_service.ACCOUNT_FACTOR
    for n in range(limit):
        _fail(session, settings, email, f"198.51.100.{n}")  # a new address each time: no pair ever locks
    with pytest.raises(login_service.Throttled):
        login_service.authenticate(session, email, PASSWORD, ip="203.0.113.99", settings=settings)
    # Other accounts are not locked by it.
    make_user(session, UserRole.VIEWER)
    login_service.authenticate(session, "viewer@example.org", PASSWORD, ip="203.0.113.99", settings=settings)


@pytest.mark.usefixtures("fast_hashes")
def test_one_address_trying_many_accounts_is_locked(session: Session, settings: Settings) -> None:
    user = make_user(session, UserRole.ADMIN)
    limit = settings.login_max_failures * login_service.IP_FACTOR
    for n in range(limit):
        _fail(session, settings, f"person{n}@example.org", "198.51.100.7")  # password spraying
    with pytest.raises(login_service.Throttled):
        login_service.authenticate(session, user.email, PASSWORD, ip="198.51.100.7", settings=settings)
    assert login_service.authenticate(session, user.email, PASSWORD, ip="198.51.100.8", settings=settings) == user


def test_guessing_candidate_links_is_rate_limited(client: TestClient, bank: Session) -> None:
    token = invite(bank)
    for _ in range(3):
        assert client.get(f"/t/{token}").status_code == 200  # opening a real link costs nothing
    for n in range(guessing.MISSES_PER_WINDOW):
        assert client.get(f"/t/guess-{n:04d}").status_code == 404
    refused = client.get(f"/t/guess-{guessing.MISSES_PER_WINDOW}")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= guessing.WINDOW.total_seconds()
    # While refused, a right guess looks the same as a wrong one.
    for path in (f"/t/{token}", f"/t/{token}/review", f"/t/{token}/s/about_you"):
        assert client.get(path).status_code == 429, path
    assert client.post(f"/t/{token}", data={}).status_code == 429
    hits = bank.exec(select(RateLimitHit).where(RateLimitHit.bucket == guessing.BUCKET)).all()
    assert len(hits) == guessing.MISSES_PER_WINDOW and all("testclient" not in h.key_hash for h in hits)
    # Another address is not affected.
    with TestClient(client.app, client=("203.0.113.5", 1234)) as other:
        assert other.get(f"/t/{token}").status_code == 200
    # The window passes.
    for hit in hits:
        hit.created_at -= guessing.WINDOW
        bank.add(hit)
    bank.flush()
    assert client.get(f"/t/{token}").status_code == 200
