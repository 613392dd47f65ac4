"""Fixtures for the security suite: the shipped question bank, and one real object of every kind."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from tests.assessments.conftest import bank
from tests.security.world import World, build
from tests.web.hr.helpers import csrf, sign_in_as

__all__ = ["bank"]


@pytest.fixture
def world(client: TestClient, bank: Session) -> World:
    """Sign the client in as an administrator (CSRF cookie set) and create one object of every kind."""
    sign_in_as(client, bank, UserRole.ADMIN)
    csrf(client, "/hr/roles")
    return build(bank)
