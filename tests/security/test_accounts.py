"""Accounts: NIST SP 800-63B passwords, changing your own password, the setup token, session-bound CSRF."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import startup
from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.models import User, UserCreate, UserRole, UserSession
from app.accounts.passwords import verify_password
from app.audit.models import AuditEvent
from app.config import Settings
from app.errors import Invalid
from app.web import csrf as csrf_module
from tests.web.hr.helpers import PASSWORD, csrf, csrf_from, login, make_user, sign_in_as

WEAK = ["aaaaaaaaaaaa", "password1234", "qwertyuiop123", "Welkom123456", "123456789012"]
STRONG = "violet tractor harbour mosaic"


@pytest.mark.parametrize("weak", WEAK)
def test_common_and_patterned_passwords_are_refused(weak: str) -> None:
    with pytest.raises(Invalid) as refused:
        accounts.check_password(weak)
    assert refused.value.extra["reason"] == "guessable"
    assert "too common or too easy to guess" in refused.value.detail


def test_length_and_own_address_count_too() -> None:
    with pytest.raises(Invalid) as short:
        accounts.check_password("Kx9!vQ2#")
    assert short.value.extra["reason"] == "short"
    with pytest.raises(Invalid) as own:
        accounts.check_password("marieke.jansen@example.org", user_inputs=["marieke.jansen@example.org"])
    assert own.value.extra["reason"] == "guessable"
    accounts.check_password(STRONG)  # a phrase of unrelated words passes


def test_admin_gets_a_clear_message_in_dutch(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/users")
    response = client.post(
        "/hr/users?lang=nl",
        data={"email": "new@example.org", "role": "viewer", "password": "password1234", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "Dit wachtwoord is te gewoon of te makkelijk te raden" in response.text
    assert session.exec(select(User).where(User.email == "new@example.org")).first() is None


def test_change_own_password_needs_the_current_one_and_ends_other_sessions(
    client: TestClient, session: Session, settings: Settings
) -> None:
    user = sign_in_as(client, session, UserRole.VIEWER)
    other_browser = sessions.start(session, user, settings)
    token = csrf(client, "/hr/account/password")
    wrong = client.post(
        "/hr/account/password?lang=en",
        data={"current_password": "not it at all", "password": STRONG, "password_confirm": STRONG, "csrf_token": token},
    )
    assert wrong.status_code == 422 and "The current password is not right." in wrong.text
    weak = client.post(
        "/hr/account/password?lang=nl",
        data={"current_password": PASSWORD, "password": "aaaaaaaaaaaa", "password_confirm": "aaaaaaaaaaaa",
              "csrf_token": token},
    )  # fmt: skip
    assert weak.status_code == 422 and "te gewoon" in weak.text
    assert verify_password(PASSWORD, user.password_hash)

    done = client.post(
        "/hr/account/password",
        data={"current_password": PASSWORD, "password": STRONG, "password_confirm": STRONG, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.refresh(user)
    assert verify_password(STRONG, user.password_hash) and user.password_changed_at is not None
    # This browser stays signed in; the other one is signed out.
    assert client.get("/hr/account/password").status_code == 200
    assert sessions.resolve(session, other_browser, settings) is None
    assert len(session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()) == 1
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "user.password_changed")).one()
    assert entry.detail == {"other_sessions_ended": 1} and STRONG not in str(entry.detail)


def test_change_password_names_every_problem_at_once_beside_its_field(client: TestClient, session: Session) -> None:
    user = sign_in_as(client, session, UserRole.VIEWER)
    token = csrf(client, "/hr/account/password")
    refused = client.post(
        "/hr/account/password?lang=nl",
        data={"current_password": "not it at all", "password": "kort", "password_confirm": "anders",
              "csrf_token": token},
    )  # fmt: skip
    assert refused.status_code == 422
    page = refused.text
    # A wrong current password, a short new one and a differing confirmation: all three, each beside its field.
    assert '<small id="current-error">Het huidige wachtwoord klopt niet.</small>' in page
    assert '<small id="password-error">Gebruik een wachtwoord van minstens 12 tekens.</small>' in page
    assert '<small id="password-confirm-error">De twee wachtwoorden zijn niet gelijk.</small>' in page
    assert page.count('aria-invalid="true"') == 3 and 'class="notice error-summary"' in page
    # With the current password right, only what is still wrong is named.
    wrong_copy = client.post(
        "/hr/account/password?lang=en",
        data={"current_password": PASSWORD, "password": STRONG, "password_confirm": STRONG + "!", "csrf_token": token},
    )
    assert wrong_copy.status_code == 422 and wrong_copy.text.count('aria-invalid="true"') == 1
    assert '<small id="password-confirm-error">The two passwords differ.</small>' in wrong_copy.text
    session.refresh(user)
    assert verify_password(PASSWORD, user.password_hash)


def test_setup_needs_the_printed_token(client: TestClient, session: Session, settings: Settings) -> None:
    for url in ("/setup", "/setup?token=guessed"):
        refused = client.get(url, headers={"Accept-Language": "nl"})
        assert refused.status_code == 403
        assert "touchstone serve" in refused.text
    page = client.get(startup.setup_url(settings, ""))
    assert page.status_code == 200
    form = {"email": "first@example.org", "password": STRONG, "password_confirm": STRONG,
            "csrf_token": csrf_from(page.text)}  # fmt: skip
    assert client.post("/setup", data={**form, "setup_token": "guessed"}).status_code == 403
    assert session.exec(select(User)).all() == []
    created = client.post("/setup", data={**form, "setup_token": startup.setup_token(settings)}, follow_redirects=False)
    assert created.status_code == 303


def test_the_console_shows_the_setup_address_with_its_token(
    session: Session, settings: Settings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # The test's own connection: a second one would wait for the rolled-back transaction's lock on SQLite.
    startup.announce_setup(session.get_bind(), settings, "http://127.0.0.1:8000")  # type: ignore[arg-type]
    printed = capsys.readouterr().err
    assert f"http://127.0.0.1:8000/setup?token={startup.setup_token(settings)}" in printed
    assert startup.setup_token(settings) not in caplog.text  # the JSON log is collected and shipped: no token


def test_a_planted_csrf_cookie_with_its_token_does_not_work_for_a_signed_in_victim(
    client: TestClient, session: Session
) -> None:
    """The attacker visits the site, keeps their nonce and form token, and plants the nonce in the victim's browser."""
    with TestClient(client.app, base_url="http://testserver") as attacker:
        planted_token = csrf(attacker, "/hr/login")
        planted_nonce = attacker.cookies.get(csrf_module.COOKIE)
    assert planted_nonce
    victim = make_user(session, UserRole.ADMIN, email="victim@example.org")
    assert login(client, victim.email).status_code == 303  # type: ignore[attr-defined]
    client.cookies.delete(csrf_module.COOKIE)
    client.cookies.set(csrf_module.COOKIE, planted_nonce)
    forged = client.post(
        "/hr/users", data={"email": "mole@example.org", "role": "admin", "password": STRONG,
                           "csrf_token": planted_token},
    )  # fmt: skip
    assert forged.status_code == 403
    assert session.exec(select(User).where(User.email == "mole@example.org")).first() is None
    # A form rendered for this very session, with the same nonce, works: the refusal came from the binding.
    fresh = csrf(client, "/hr/users")
    assert client.cookies.get(csrf_module.COOKIE) == planted_nonce and fresh != planted_token
    made = client.post(
        "/hr/users", data={"email": "ok@example.org", "role": "viewer", "password": STRONG, "csrf_token": fresh},
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303


def test_the_cli_refuses_a_common_password(session: Session) -> None:
    with pytest.raises(Invalid):
        accounts.create_user(
            session, UserCreate(email="cli@example.org", password="password1234", role=UserRole.ADMIN), actor="cli"
        )
