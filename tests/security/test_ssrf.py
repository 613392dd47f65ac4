"""SSRF: webhook and Greenhouse callback URLs can only reach public addresses.

Refused: loopback, private ranges, link-local (169.254.169.254, the cloud metadata service), carrier-grade
NAT, IPv6 loopback and unspecified, IPv4 addresses inside IPv6 (mapped, 6to4, NAT64), odd spellings of
127.0.0.1, DNS names that resolve to any of those (checked at save, before each delivery, and again when
the connection opens, against DNS rebinding), non-http schemes, credentials in the URL, and redirects
(never followed). Names are resolved by a stand-in for getaddrinfo, so no test needs the internet.
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import outbound
from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from app.config import Settings
from app.errors import Invalid
from app.webhooks import delivery
from app.webhooks import service as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.web.hr.helpers import csrf, sign_in_as
from tests.webhooks.receivers import receiver
from tests.webhooks.test_delivery import _completed

PUBLIC_IP = "93.184.216.34"
REFUSED = [
    "http://127.0.0.1/x",
    "http://127.1/x",
    "http://2130706433/x",
    "http://0x7f000001/x",
    "http://0.0.0.0/x",
    "http://localhost:8000/x",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",  # deprecated IPv6 site-local: is_global says True before Python 3.13
    "http://[fec0::1]:8443/hook",
    "http://[2001:db8::1]/",  # documentation
    "http://240.0.0.1/",  # reserved
    "http://sitelocal.test/",
    "http://[2002:7f00:1::]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://224.0.0.1/",
    "http://metadata.test/latest",
    "http://loopback6.test/",
    "http://mixed.test/",
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://example.com/",
    "javascript:alert(1)",
    "//example.com/hook",
    "https://user:secret@public.test/hook",
    "https://public.test:99999/hook",
]
NAMES = {
    "metadata.test": ["169.254.169.254"],
    "loopback6.test": ["::1"],
    "sitelocal.test": ["fec0::1:2"],
    "mixed.test": [PUBLIC_IP, "10.0.0.1"],  # one private answer is enough to refuse
    "public.test": [PUBLIC_IP],
}

Resolver = Callable[[str], list[str] | None]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Callable[[Resolver], None]:
    """Return a function that installs a resolver for test names (other names resolve as usual)."""
    real = socket.getaddrinfo

    def install(resolve: Resolver) -> None:
        def fake(host: str, port: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
            answers = resolve(str(host))
            if answers is None:
                return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
            family = {4: socket.AF_INET, 6: socket.AF_INET6}
            return [(family[6 if ":" in a else 4], socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

        monkeypatch.setattr(socket, "getaddrinfo", fake)

    install(NAMES.get)
    return install


@pytest.mark.usefixtures("dns")
@pytest.mark.parametrize("url", REFUSED)
def test_non_public_targets_are_refused(url: str) -> None:
    with pytest.raises(Invalid):
        outbound.check_url(url, allow_private=False)


@pytest.mark.usefixtures("dns")
def test_public_targets_pass() -> None:
    assert outbound.check_url("https://public.test/hook", allow_private=False) == "https://public.test/hook"
    assert outbound.check_url(f"http://{PUBLIC_IP}:8080/hook", allow_private=False)
    assert outbound.check_url("http://[64:ff9b::5db8:d822]/hook", allow_private=False)  # NAT64 of the public address


@pytest.mark.usefixtures("dns")
def test_the_hr_form_refuses_a_private_url(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/admin/webhooks")
    for url in ("http://169.254.169.254/latest/meta-data", "http://metadata.test/", "file:///etc/passwd"):
        data = {"url": url, "events": ["assessment.completed"], "csrf_token": token}
        response = client.post("/hr/admin/webhooks", data=data)
        assert response.status_code == 422, url
    assert session.exec(select(WebhookEndpoint)).all() == []


@pytest.mark.usefixtures("dns")
def test_greenhouse_refuses_a_private_callback_url(client: TestClient, session: Session, bank: Session) -> None:
    _key, secret = apikeys.create_key(session, name="gh", scopes=["greenhouse"], actor="test")
    session.flush()
    auth = {"Authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
    person = {"first_name": "Ann", "last_name": "Bee", "email": "ann@example.org"}
    for url in ("http://127.0.0.1:9/callback", "http://metadata.test/latest", "http://[::ffff:10.0.0.1]/"):
        body = {"partner_test_id": "self-test", "candidate": person, "url": url}
        response = client.post("/integrations/greenhouse/send_test", json=body, headers=auth)
        assert response.status_code == 422, (url, response.text)


@pytest.fixture
def hook() -> Iterator[object]:
    with receiver() as running:
        yield running


def _port(hook: object) -> int:
    return int(hook.url.split(":")[2].split("/")[0])  # type: ignore[attr-defined]


def test_a_name_that_turns_private_after_saving_is_refused_at_delivery(
    session: Session, settings: Settings, bank: Session, dns: Callable[[Resolver], None], hook: object
) -> None:
    settings = settings.model_copy(update={"webhook_allow_private": False})
    dns(lambda host: [PUBLIC_IP] if host == "moving.test" else None)
    webhooks.create_endpoint(
        session,
        settings,
        url=f"http://moving.test:{_port(hook)}/hook",
        events=["assessment.completed"],
        description=None,
        actor="t",
    )
    dns(lambda host: ["127.0.0.1"] if host == "moving.test" else None)
    _completed(session)
    delivery.dispatch(session)
    with delivery.http_client(settings) as http:
        delivery.deliver_due(session, settings, http)
    row = session.exec(select(WebhookDelivery)).one()
    assert row.status == DeliveryStatus.PENDING and "private or local address 127.0.0.1" in (row.last_error or "")
    assert hook.requests == []  # type: ignore[attr-defined]


def test_dns_rebinding_between_check_and_connect_is_refused(
    settings: Settings, dns: Callable[[Resolver], None], hook: object
) -> None:
    """The check sees a public address, the connection would get 127.0.0.1: the transport refuses it."""
    settings = settings.model_copy(update={"webhook_allow_private": False})
    answers = iter([[PUBLIC_IP]])
    dns(lambda host: next(answers, ["127.0.0.1"]) if host == "rebind.test" else None)
    url = f"http://rebind.test:{_port(hook)}/hook"
    assert outbound.check_url(url, allow_private=False) == url
    with delivery.http_client(settings) as http, pytest.raises(httpx.ConnectError, match="private or local"):
        http.post(url, content=b"{}")
    assert hook.requests == []  # type: ignore[attr-defined]


def test_the_transport_connects_to_the_address_it_checked(
    settings: Settings, dns: Callable[[Resolver], None], hook: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counterpart of the test above: with loopback counted as public, the same request arrives (Host kept)."""
    settings = settings.model_copy(update={"webhook_allow_private": False})
    dns(lambda host: ["127.0.0.1"] if host == "hooks.test" else None)
    monkeypatch.setattr(outbound, "is_public", lambda address: address == "127.0.0.1")
    with delivery.http_client(settings) as http:
        assert http.post(f"http://hooks.test:{_port(hook)}/hook", content=b"{}").status_code == 200
    assert hook.requests[0].headers["host"] == f"hooks.test:{_port(hook)}"  # type: ignore[attr-defined]


def test_redirects_are_never_followed(session: Session, settings: Settings, bank: Session, hook: object) -> None:
    """A public receiver answering 302 to 169.254.169.254 gets no second request: redirects are not followed."""
    settings = settings.model_copy(update={"webhook_allow_private": True})  # the receiver is on loopback
    hook.statuses = [302]  # type: ignore[attr-defined]
    webhooks.create_endpoint(
        session,
        settings,
        url=hook.url,
        events=["assessment.completed"],
        description=None,
        actor="t",  # type: ignore[attr-defined]
    )
    _completed(session)
    delivery.dispatch(session)
    with delivery.http_client(settings) as http:
        delivery.deliver_due(session, settings, http)
    row = session.exec(select(WebhookDelivery)).one()
    assert row.status == DeliveryStatus.PENDING and row.last_status_code == 302
    assert len(hook.requests) == 1  # type: ignore[attr-defined]
    for allow in (True, False):
        with delivery.http_client(settings.model_copy(update={"webhook_allow_private": allow})) as http:
            assert http.follow_redirects is False
