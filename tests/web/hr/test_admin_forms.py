"""The admin forms for webhooks and API keys: a refused form keeps what was typed and speaks the reader's language."""

from __future__ import annotations

import re
import socket

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.webhooks.models import WebhookEndpoint
from tests.web.hr.helpers import csrf, sign_in_as


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve intern.test to a private address, public.test to a public one, and no other name."""

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if host == "intern.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]
        if host == "public.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.mark.usefixtures("dns")
def test_refused_webhook_form_keeps_what_was_typed_and_speaks_dutch(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    client.cookies.set("lang", "nl")
    token = csrf(client, "/hr/admin/webhooks")
    data = {"url": "ftp://niet goed", "description": "Ons ATS", "events": ["assessment.completed"], "csrf_token": token}
    refused = client.post("/hr/admin/webhooks", data=data)
    assert refused.status_code == 422
    assert 'value="ftp://niet goed"' in refused.text and 'value="Ons ATS"' in refused.text
    assert re.search(r'value="assessment.completed" checked', refused.text)
    assert not re.search(r'value="assessment.started" checked', refused.text)
    assert "is geen webadres dat begint met http:// of https://" in refused.text

    unknown = client.post("/hr/admin/webhooks", data=data | {"url": "https://nergens.invalid/hook"})
    assert unknown.status_code == 422 and 'value="https://nergens.invalid/hook"' in unknown.text
    assert "nergens.invalid&#39; is niet te vinden: controleer het adres." in unknown.text
    assert "cannot be resolved" not in unknown.text
    private = client.post("/hr/admin/webhooks", data=data | {"url": "https://intern.test/hook"})
    assert private.status_code == 422
    assert "verwijst naar het privé- of lokale adres 10.0.0.7" in private.text
    no_events = client.post("/hr/admin/webhooks", data=data | {"url": "https://public.test/hook", "events": []})
    assert no_events.status_code == 422 and "Kies een of meer gebeurtenissen." in no_events.text
    assert session.exec(select(WebhookEndpoint)).all() == []


def test_refused_key_form_keeps_its_scopes_and_speaks_dutch(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    client.cookies.set("lang", "nl")
    token = csrf(client, "/hr/admin/api-keys")
    refused = client.post("/hr/admin/api-keys", data={"name": " ", "scopes": ["write"], "csrf_token": token})
    assert refused.status_code == 422
    assert "Geef een naam van 1 tot en met 200 tekens." in refused.text and "give a name" not in refused.text
    assert re.search(r'value="write" checked', refused.text) and not re.search(r'value="read" checked', refused.text)
    no_scope = client.post("/hr/admin/api-keys", data={"name": "Ons ATS", "csrf_token": token})
    assert no_scope.status_code == 422 and 'value="Ons ATS"' in no_scope.text
    # Once the key is made, the form is empty again.
    made = client.post("/hr/admin/api-keys", data={"name": "Ons ATS", "scopes": ["read"], "csrf_token": token})
    assert made.status_code == 200 and 'value="Ons ATS"' not in made.text and " checked" not in made.text
