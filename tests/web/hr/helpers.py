"""Helpers for HR workspace tests: users of each role and signing in through the real form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import service as accounts
from app.accounts.models import User, UserCreate, UserRole

PASSWORD = "correct horse battery staple"


def make_user(session: Session, role: UserRole = UserRole.ADMIN, email: str | None = None) -> User:
    user = accounts.create_user(
        session, UserCreate(email=email or f"{role}@example.org", password=PASSWORD, role=role), actor="test"
    )
    session.flush()
    return user


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def csrf(client: TestClient, path: str = "/hr/login") -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return csrf_from(response.text)


def login(client: TestClient, email: str, password: str = PASSWORD, **headers: str) -> object:
    token = csrf(client)
    return client.post(
        "/hr/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/hr"},
        headers=headers or None,
        follow_redirects=False,
    )


def sign_in_as(client: TestClient, session: Session, role: UserRole) -> User:
    user = make_user(session, role)
    response = login(client, user.email)
    assert response.status_code == 303, response  # type: ignore[attr-defined]
    return user
