"""Links an API client is given follow the pages' rule: the configured base URL, else the request's address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.mail import service as mail
from app.mail.models import MailMessage
from tests.api.conftest import complete
from tests.api.test_referees import MARTA

DEV = "localhost:8001"  # `make run PORT=8001`, opened as localhost
GH = "/integrations/greenhouse"


@pytest.fixture
def configured(client: TestClient) -> Iterator[str]:
    """Configure TOUCHSTONE_BASE_URL on the running app for one test."""
    app_settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = app_settings.model_copy(update={"base_url": "http://hr.example.org"})  # type: ignore[attr-defined]
    assert client.app.state.settings.base_url_configured  # type: ignore[attr-defined]
    yield "http://hr.example.org"
    client.app.state.settings = app_settings  # type: ignore[attr-defined]


def _order(client: TestClient, headers: dict[str, str], host: str) -> tuple[dict[str, Any], dict[str, Any]]:
    headers = {**headers, "host": host}
    body = {"first_name": "Sam", "last_name": "de Vries", "email": "sam@example.com", "language": "en"}
    candidate = client.post("/api/v1/candidates", json=body, headers=headers).json()
    created = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate["id"], "questionnaire_id": "self-test", "send_invitation": True},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    return candidate, created.json()


def _links_of(
    client: TestClient, session: Session, headers: dict[str, str], host: str
) -> tuple[dict[str, Any], list[str]]:
    """Order an assessment, complete it and return the candidate and every link the API gave out."""
    headers = {**headers, "host": host}
    candidate, created = _order(client, headers, host)
    links = [created["invitation_url"], created["report_url"]]
    links.append(client.get(f"/api/v1/assessments/{created['id']}", headers=headers).json()["report_url"])
    listed = client.get("/api/v1/assessments", params={"candidate_id": candidate["id"]}, headers=headers).json()
    links.append(listed["items"][0]["report_url"])
    complete(session, created["id"])
    links.append(client.get(f"/api/v1/assessments/{created['id']}/result", headers=headers).json()["report_url"])
    links.append(client.get(f"/api/v1/candidates/{candidate['id']}/result", headers=headers).json()["report_url"])
    consent = {"agreed": True}
    client.post(f"/api/v1/candidates/{candidate['id']}/reference-consent", json=consent, headers=headers)
    referee = client.post(f"/api/v1/candidates/{candidate['id']}/referees", json=MARTA, headers=headers)
    assert referee.status_code == 201, referee.text
    links.append(referee.json()["invitation_url"])
    resent = client.post(f"/api/v1/referees/{referee.json()['id']}/resend", json={}, headers=headers)
    assert resent.status_code == 200, resent.text
    links.append(resent.json()["invitation_url"])
    return candidate, links


def test_in_development_every_api_link_uses_the_requests_address(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate, links = _links_of(client, session, admin_headers, DEV)
    assert len(links) == 8
    assert all(link.startswith(f"http://{DEV}/") for link in links), links
    assert links[0].startswith(f"http://{DEV}/t/")
    assert links[1] == f"http://{DEV}/hr/candidates/{candidate['id']}/report"
    # The invitation e-mail (sent later by the worker, without a request) carries the same address.
    held = session.exec(select(MailMessage).where(MailMessage.to_address == "sam@example.com")).one()
    assert f"http://{DEV}/t/" in mail.readable_body(held, client.app.state.settings)  # type: ignore[attr-defined]


def test_a_configured_base_url_wins_over_the_requests_address(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session, configured: str
) -> None:
    _candidate, links = _links_of(client, session, admin_headers, DEV)
    assert all(link.startswith(f"{configured}/") for link in links), links


def test_greenhouse_links_use_the_requests_address(client: TestClient, session: Session, bank: Session) -> None:
    _key, secret = apikeys.create_key(session, name="greenhouse", scopes=("greenhouse",), actor="t")
    auth, host = (secret, ""), {"host": DEV}
    order = {
        "partner_test_id": "self-test",
        "candidate": {"first_name": "Harold", "last_name": "Potter", "email": "hpotter@example.com"},
        "url": "https://harvest.greenhouse.io/v1/partner/tests/1/complete",
    }
    sent = client.post(f"{GH}/send_test", auth=auth, json=order, headers=host)
    assert sent.status_code == 200, sent.text
    interview_id = sent.json()["partner_interview_id"]
    held = session.exec(select(MailMessage).where(MailMessage.to_address == "hpotter@example.com")).one()
    assert f"http://{DEV}/t/" in mail.readable_body(held, client.app.state.settings)  # type: ignore[attr-defined]
    assessment_id = held.assessment_id
    assert assessment_id is not None
    complete(session, assessment_id)
    status = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth, headers=host)
    assert status.json()["partner_profile_url"].startswith(f"http://{DEV}/hr/candidates/")
