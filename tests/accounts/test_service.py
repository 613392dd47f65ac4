"""Accounts: creating users."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts import service
from app.accounts.models import UserCreate, UserRole
from app.errors import Conflict, Invalid

PASSWORD = "a long enough password"


def test_create_user_lowercases_and_refuses_duplicates(session: Session) -> None:
    user = service.create_user(session, UserCreate(email=" HR@Example.org ", password=PASSWORD), actor="test")
    assert user.email == "hr@example.org"
    assert user.role == UserRole.VIEWER
    assert service.count_users(session) == 1
    assert service.get_by_email(session, "Hr@example.ORG") == user
    with pytest.raises(Conflict, match="already exists"):
        service.create_user(session, UserCreate(email="hr@EXAMPLE.org", password=PASSWORD), actor="test")


def test_check_password_names_the_problem() -> None:
    with pytest.raises(Invalid, match="at least 12"):
        service.check_password("short")
    with pytest.raises(Invalid, match="differ"):
        service.check_password(PASSWORD, PASSWORD + "!")
