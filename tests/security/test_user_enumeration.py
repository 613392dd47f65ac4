"""User enumeration: nothing a visitor can do tells a known HR e-mail address from an unknown one.

Sign-in answers the same for a wrong password, an unknown address and a deactivated account — status,
page, cookies, lockout — and does the same work: one argon2 verification each, counted (not timed), so
skipping the hash for unknown addresses would show. There is no password-reset or "is this address
taken" route for visitors; the walk below fails when one appears, so it gets the same tests.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import login as login_service
from app.accounts import service as accounts
from app.accounts.models import UserRole
from app.config import Settings
from tests.security.routes import all_routes
from tests.web.hr.helpers import PASSWORD, login, make_user

KNOWN = "admin@example.org"
ANSWERS = re.compile(r"reset|forgot|recover|exists|available|lookup|check[-_]?e?mail|verify", re.IGNORECASE)


@pytest.fixture
def hash_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count every password verification sign-in does (the hashes it verified against)."""
    calls: list[str] = []
    real = login_service.verify_password

    def counting(password: str, password_hash: str) -> bool:
        calls.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(login_service, "verify_password", counting)
    return calls


def _attempt(client: TestClient, email: str, password: str, calls: list[str]) -> tuple[int, str, list[str], int]:
    before = len(calls)
    response = login(client, email, password)
    cookies = sorted(h.split("=", 1)[0] for h in response.headers.get_list("set-cookie"))  # type: ignore[attr-defined]
    body = response.text.replace(email, "EMAIL")  # type: ignore[attr-defined]
    return response.status_code, body, cookies, len(calls) - before  # type: ignore[attr-defined]


def test_sign_in_answers_the_same_for_known_unknown_and_inactive(
    client: TestClient, session: Session, hash_calls: list[str]
) -> None:
    make_user(session, UserRole.ADMIN)
    inactive = make_user(session, UserRole.VIEWER, email="left@example.org")
    accounts.set_active(session, inactive, False, actor="test")
    session.flush()
    answers = {
        "wrong password": _attempt(client, KNOWN, "wrong password here", hash_calls),
        "unknown address": _attempt(client, "nobody@example.org", "wrong password here", hash_calls),
        "deactivated, right password": _attempt(client, "left@example.org", PASSWORD, hash_calls),
        "deactivated, wrong password": _attempt(client, "left@example.org", "wrong password here", hash_calls),
    }
    reference = answers["wrong password"]
    assert reference[0] == 401 and "The e-mail address or password is not right." in reference[1]
    for case, answer in answers.items():
        assert answer[0] == reference[0], f"{case}: status {answer[0]}"
        assert answer[1] == reference[1], f"{case}: the page differs"
        assert answer[2] == reference[2] and "touchstone_session" not in answer[2], f"{case}: cookies {answer[2]}"
        assert answer[3] == 1, f"{case}: {answer[3]} password verifications instead of 1"
    assert all(h.startswith("$argon2id$") for h in hash_calls), "an unknown address skipped the real hash function"


def test_unknown_address_is_verified_against_a_hash_as_costly_as_a_real_one(
    session: Session, settings: Settings, hash_calls: list[str]
) -> None:
    user = make_user(session, UserRole.ADMIN)
    for email in (user.email, "ghost@example.org", "  "):
        with pytest.raises(login_service.Unauthorized):
            login_service.authenticate(session, email, "whatever", ip="1.2.3.4", settings=settings)
    real, dummy, blank = hash_calls
    # Same algorithm and parameters ($argon2id$v=19$m=...,t=...,p=...$): the same work for each.
    assert dummy.rsplit("$", 2)[0] == real.rsplit("$", 2)[0] == blank.rsplit("$", 2)[0]


def test_lockout_does_not_tell_known_from_unknown(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.ADMIN)
    locked = {}
    for email in (KNOWN, "nobody@example.org"):
        for _ in range(5):
            assert login(client, email, "bad password!!").status_code == 401  # type: ignore[attr-defined]
        response = login(client, email, PASSWORD)
        assert response.status_code == 429 and response.headers["retry-after"]  # type: ignore[attr-defined]
        locked[email] = response.text.replace(email, "EMAIL")  # type: ignore[attr-defined]
    assert locked[KNOWN] == locked["nobody@example.org"]


def test_no_route_answers_whether_an_address_exists() -> None:
    """Password reset or address checks would need the tests above; none exists for visitors today."""
    found = [f"{m} {p} ({n})" for m, p, n in all_routes() if ANSWERS.search(p) or ANSWERS.search(n)]
    assert not found, f"cover these in test_user_enumeration.py, then list them here: {found}"


def test_setup_is_closed_the_same_way_for_any_address(client: TestClient, session: Session) -> None:
    """Once an administrator exists, /setup answers 404 whatever address is sent: it cannot be asked."""
    make_user(session, UserRole.ADMIN)
    assert client.get("/setup").status_code == 404
