"""The candidate page's invitation: a copy button for the link, and the e-mail's real state."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.mail import service as mail
from app.mail.models import MailMessage, MailStatus
from tests.mail.conftest import Inbox, free_port, smtp_server
from tests.web.hr.helpers import csrf_from, sign_in_as

__all__ = ["smtp_server"]


def _candidate(session: Session, first: str) -> Candidate:
    data = {"first_name": first, "last_name": "Jansen", "email": f"{first.lower()}@example.org", "language": "nl"}
    return candidates.create(session, CandidateCreate.model_validate(data), actor="test")


def _smtp(settings: Settings, port: int) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False})


def test_without_a_mail_server_the_page_says_queued_not_sent(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank, "Noor")
    page = client.get(f"/hr/candidates/{candidate.id}?lang=nl")
    created = client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "send": "true", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    shown = client.get(created.headers["location"]).text
    held = "vastgehouden in Uitgaande e-mail — geen mailserver ingesteld"
    assert f"De uitnodiging is gemaakt. De e-mail: {held}." in shown
    assert "onderweg" not in shown and "verzonden" not in shown
    # The link shown once has a copy button (hidden until the script shows it) and stays selectable text.
    assert re.search(r'<input id="new-link" type="text" readonly value="http://testserver/t/', shown)
    assert re.search(r'<button type="button" class="secondary" hidden data-copy="new-link"', shown)
    assert "/static/copy-link.js" in shown and client.get("/static/copy-link.js").status_code == 200


def test_the_page_says_sent_only_when_the_server_accepted_it(
    client: TestClient, bank: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank, "Sanne")
    expires = utcnow() + dt.timedelta(days=7)
    created = invitations.invite(bank, _smtp(settings, port), candidate, actor="t", expires_at=expires, send=True)
    assert "in de wachtrij" in client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    assert mail.deliver_pending(bank, _smtp(settings, port)) == 1 and len(inbox.messages) == 1
    page = client.get(f"/hr/candidates/{candidate.id}?lang=nl&done=resent&invitation={created.assessment.id}").text
    assert "De e-mail: verzonden op" in page


def test_a_revoked_invitations_unsent_mail_is_shown_withdrawn_here_and_in_the_outbox(
    client: TestClient, bank: Session, settings: Settings
) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    candidate = _candidate(bank, "Fenna")
    created = invitations.invite(bank, settings, candidate, actor="t", expires_at=None, send=True)
    assert created.mail is not None
    invitations.revoke(bank, created.assessment, actor="t")
    page = client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    assert "teruggetrokken, niet verzonden: de link erin werkt niet meer" in page
    assert "vastgehouden in Uitgaande e-mail" not in page  # it will never be sent: it is not waiting there
    outbox = client.get("/hr/outbox?status=withdrawn&lang=nl").text
    assert "Teruggetrokken" in outbox and "fenna@example.org" in outbox
    shown = client.get(f"/hr/outbox/{created.mail.id}?lang=nl").text
    assert mail.LINK_WITHDRAWN in shown and created.link not in shown


def test_a_refused_delivery_is_shown_with_its_reason(client: TestClient, bank: Session, settings: Settings) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank, "Mo")
    closed = _smtp(settings, free_port())  # nothing listens there
    expires = utcnow() + dt.timedelta(days=7)
    invitations.invite(bank, closed, candidate, actor="t", expires_at=expires, send=True)
    assert mail.deliver_pending(bank, closed) == 0
    page = client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    assert "opnieuw geprobeerd; de laatste poging mislukte: ConnectionRefusedError" in page
    message = bank.exec(select(MailMessage).where(MailMessage.to_address == "mo@example.org")).one()
    for _ in range(mail.MAX_ATTEMPTS - 1):
        message.next_attempt_at = utcnow()
        bank.add(message)
        bank.flush()
        mail.deliver_pending(bank, closed)
    bank.refresh(message)
    assert message.status == "failed"
    page = client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    assert "mislukt: ConnectionRefusedError" in page and "verzonden" not in page


def test_the_candidate_list_shows_each_invitations_mail_state_in_one_query(
    client: TestClient, bank: Session, settings: Settings
) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    expires = utcnow() + dt.timedelta(days=7)
    people = {first: _candidate(bank, first) for first in ("Held", "Sent", "Failed", "Unmailed", "Uninvited")}
    mails = {
        first: invitations.invite(
            bank, settings, people[first], actor="t", expires_at=expires, send=first != "Unmailed"
        )
        for first in ("Held", "Sent", "Failed", "Unmailed")
    }
    sent, failed = mails["Sent"].mail, mails["Failed"].mail
    assert sent is not None and failed is not None and mails["Unmailed"].mail is None
    sent.status, sent.sent_at = MailStatus.SENT, dt.datetime(2026, 11, 29, 14, 5, tzinfo=dt.UTC)
    failed.status, failed.error = MailStatus.FAILED, "550 mailbox unavailable"
    bank.add_all([sent, failed])
    bank.flush()

    statements: list[str] = []

    def remember(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = bank.get_bind()
    event.listen(engine, "before_cursor_execute", remember)
    try:
        page = client.get("/hr/candidates?lang=nl&sort=name&order=asc")
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert page.status_code == 200
    rows = {
        re.sub(r"<[^>]+>", "", cells[0]).strip(): re.sub(r"<[^>]+>|\s+", " ", cells[-3]).strip()
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", page.text, re.S)
        )
        if cells
    }
    assert '<th scope="col">Uitnodigingsmail</th>' in page.text
    assert rows["Held Jansen"] == "vastgehouden in Uitgaande e-mail — geen mailserver ingesteld"
    assert rows["Sent Jansen"] == "verzonden op 29 november 2026 14:05"
    assert rows["Failed Jansen"] == "mislukt: 550 mailbox unavailable"
    assert rows["Unmailed Jansen"] == "niet gemaild"
    assert rows["Uninvited Jansen"] == ""
    # One query reads the mail of the whole page, however many candidates it lists (no query per row).
    assert len([s for s in statements if "mail_message" in s]) == 1, statements
