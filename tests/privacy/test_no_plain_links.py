"""Invitation links are stored hashed: no table holds a readable link, yet mail and replays still carry it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from app.apikeys import service as apikeys
from app.apikeys.models import IdempotencyRecord
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Settings
from app.mail import service as mail
from app.mail.models import MailMessage
from app.web.hr import oncelink


def _everything_stored(session: Session) -> str:
    """Return every value of every row of every table as one text."""
    session.flush()
    parts = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def _token(link: str) -> str:
    return link.rsplit("/t/", 1)[1]


def test_mail_keeps_the_link_sealed_and_sends_it(bank: Session, settings: Settings) -> None:
    session = bank
    candidate = candidates.create(
        session, CandidateCreate(first_name="Lia", last_name="Link", email="lia@example.org"), actor="test"
    )
    invitation = invitations.invite(session, settings, candidate, actor="test", expires_at=None, send=True)
    token = _token(invitation.link)
    assert token not in _everything_stored(session)
    message = invitation.mail
    assert message is not None and message.sealed_link
    assert invitation.link in mail.readable_body(message, settings)
    assert invitation.link in mail._build(message, settings).get_content()
    # Another secret key cannot read it: such a message fails instead of going out without a link.
    other = settings.model_copy(update={"secret_key": "another-secret-" + "y" * 40})
    assert invitation.link not in mail.readable_body(message, other)


def test_sent_mail_drops_its_sealed_link(bank: Session, settings: Settings, monkeypatch: object) -> None:
    session = bank
    candidate = candidates.create(
        session, CandidateCreate(first_name="Sid", last_name="Sent", email="sid@example.org"), actor="test"
    )
    smtp = settings.model_copy(update={"smtp_host": "127.0.0.1"})
    invitation = invitations.invite(session, smtp, candidate, actor="test", expires_at=None, send=True)
    sent: list[str] = []
    # The worker builds the e-mail (link put in) when it claims the message, and sends it with no transaction open.
    monkeypatch.setattr(mail, "_send", lambda email, s: sent.append(email.get_content()))  # type: ignore[attr-defined]
    assert mail.deliver_pending(session, smtp) == 1
    assert invitation.link in sent[0]
    message = session.get(MailMessage, invitation.mail.id if invitation.mail else None)
    assert message is not None and message.sealed_link is None and message.status == "sent"


def test_idempotent_reply_replays_the_link_without_storing_it(client: TestClient, bank: Session) -> None:
    session = bank
    _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "order-1"}
    candidate = client.post("/api/v1/candidates", json={"first_name": "Ida", "last_name": "Em"}, headers=headers)
    body = {"candidate_id": candidate.json()["id"], "questionnaire_id": "self-test"}
    headers["Idempotency-Key"] = "order-2"
    first = client.post("/api/v1/assessments", json=body, headers=headers)
    assert first.status_code == 201
    link = first.json()["invitation_url"]
    assert _token(link) not in _everything_stored(session)
    record = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "order-2")).scalar_one()
    assert record.response_body["invitation_url"] is None and record.sealed_link

    replay = client.post("/api/v1/assessments", json=body, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()


def test_the_once_shown_link_cookie_is_sealed(client: TestClient, bank: Session, settings: Settings) -> None:
    session = bank
    from app.accounts.models import UserRole
    from tests.web.hr.helpers import csrf_from, sign_in_as

    sign_in_as(client, session, UserRole.ASSESSOR)
    candidate = candidates.create(session, CandidateCreate(first_name="Coo", last_name="Kie"), actor="test")
    token = csrf_from(client.get(f"/hr/candidates/{candidate.id}").text)
    created = client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "csrf_token": token},
        follow_redirects=False,
    )
    assert created.status_code == 303
    cookie = created.cookies.get(oncelink.COOKIE) or ""
    assert cookie and "/t/" not in cookie
    shown = client.get(created.headers["location"]).text
    link = re.search(r'value="(http://[^"]+/t/[^"]+)"', shown)
    assert link and _token(link.group(1)) not in cookie
    assert _token(link.group(1)) not in _everything_stored(session)
