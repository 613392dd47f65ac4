"""API keys: Bearer only, hashed, revocable, scoped; 401 with WWW-Authenticate, 403 without the scope."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from tests.api.conftest import MakeKey


def test_the_secret_is_stored_only_as_a_hash(session: Session) -> None:
    key, secret = apikeys.create_key(session, name="ats", scopes=["read"], actor="test")
    stored = session.exec(select(ApiKey).where(ApiKey.id == key.id)).one()
    assert secret.split("_", 2)[2] not in (stored.secret_hash, stored.prefix)
    assert apikeys.authenticate(session, secret) is not None
    assert apikeys.authenticate(session, secret + "x") is None
    assert len(secret) < 171


def test_missing_wrong_or_revoked_key_is_401_with_a_challenge(
    client: TestClient, session: Session, bank: Session
) -> None:
    missing = client.get("/api/v1/questionnaires")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = client.get("/api/v1/questionnaires", headers={"Authorization": "Bearer tsk_0000_nope"})
    assert wrong.status_code == 401
    key, secret = apikeys.create_key(session, name="old", scopes=["read"], actor="test")
    assert client.get("/api/v1/questionnaires", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    apikeys.revoke(session, key, actor="test")
    revoked = client.get("/api/v1/questionnaires", headers={"Authorization": f"Bearer {secret}"})
    assert revoked.status_code == 401
    assert "WWW-Authenticate" in revoked.headers


def test_a_key_in_the_query_string_is_ignored(client: TestClient, session: Session, bank: Session) -> None:
    _key, secret = apikeys.create_key(session, name="q", scopes=["read"], actor="test")
    for name in ("api_key", "key", "access_token"):
        assert client.get(f"/api/v1/questionnaires?{name}={secret}").status_code == 401


def test_last_used_time_is_recorded(client: TestClient, session: Session, bank: Session) -> None:
    key, secret = apikeys.create_key(session, name="used", scopes=["read"], actor="test")
    assert key.last_used_at is None
    client.get("/api/v1/questionnaires", headers={"Authorization": f"Bearer {secret}"})
    session.refresh(key)
    assert key.last_used_at is not None


def test_scopes_hold(client: TestClient, make_key: MakeKey, bank: Session) -> None:
    read = make_key("read")
    write = make_key("write")
    greenhouse = make_key("greenhouse")
    role = {"title": "Social media lead"}
    assert client.post("/api/v1/roles", json=role, headers=read).status_code == 403
    created = client.post("/api/v1/roles", json=role, headers=write)
    assert created.status_code == 201
    assert client.get(f"/api/v1/roles/{created.json()['id']}", headers=write).status_code == 403
    assert client.get(f"/api/v1/roles/{created.json()['id']}", headers=read).status_code == 200
    denied = client.get("/api/v1/questionnaires", headers=greenhouse)
    assert denied.status_code == 403
    assert denied.json()["required_scope"] == "read"
    # Greenhouse documents only 401 for a refused key: a key without the greenhouse scope gets it too.
    basic = client.get("/integrations/greenhouse/list_tests", auth=(read["Authorization"][7:], ""))
    assert basic.status_code == 401


def test_rate_limit_answers_429_with_retry_after(client: TestClient, make_key: MakeKey, bank: Session) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"api_rate_limit_per_minute": 3})  # type: ignore[attr-defined]
    headers = make_key("read")
    statuses = [client.get("/api/v1/questionnaires", headers=headers).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    limited = client.get("/api/v1/questionnaires", headers=headers)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # Another key has its own window.
    assert client.get("/api/v1/questionnaires", headers=make_key("read")).status_code == 200
