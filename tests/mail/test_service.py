"""Mail: queued or held, the invitation in the candidate's language, delivery to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, select

from app.assessments import service as assessments
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.mail import service as mail
from app.mail.models import MailMessage
from tests.dates import dutch_long
from tests.mail.conftest import Inbox, free_port


def _smtp(settings: Settings, port: int, **extra: object) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False, "smtp_from": "hr@example.org"}
        | extra
    )


def test_queue_holds_mail_without_smtp_and_queues_with_it(session: Session, settings: Settings) -> None:
    held = mail.queue(session, to="a@example.org", subject="Hi", body="x", language="en", kind="t", settings=settings)
    assert held.status == "held"
    assert mail.deliver_pending(session, settings) == 0
    queued = mail.queue(
        session,
        to="a@example.org",
        subject="Hi\r\nBcc: x@evil",
        body="x",
        language="en",
        kind="t",
        settings=_smtp(settings, 25),
    )
    assert queued.status == "queued" and "\n" not in queued.subject


def _candidate(session: Session, language: str, email: str = "sanne@example.org") -> object:
    return candidates.create(
        session,
        CandidateCreate(first_name="Sanne", last_name="de Vries", email=email, language=language),
        actor="test",
    )


def test_invitation_is_delivered_in_the_candidates_language_with_a_working_link(
    bank: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = _smtp(settings, port)
    candidate = _candidate(bank, "nl")
    expires = utcnow() + dt.timedelta(days=10)
    created = invitations.invite(bank, smtp, candidate, actor="test", expires_at=expires, send=True)  # type: ignore[arg-type]
    assert created.mail is not None and created.mail.status == "queued"
    assert mail.deliver_pending(bank, smtp) == 1

    ((recipients, message),) = inbox.messages
    assert recipients == ["sanne@example.org"]
    assert message["Subject"] == "Je uitnodiging voor het Touchstone-assessment"
    assert message["Content-Language"] == "nl" and message["From"] == "hr@example.org"
    body = message.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    assert body.startswith("Beste Sanne,")
    link = re.search(r"(http\S+/t/(\S+))", body)
    assert link and link.group(1) == created.link
    # The link in the mail opens this very assessment.
    assert assessments.by_token(bank, link.group(2)).id == created.assessment.id
    assert dutch_long(expires) in body

    stored = bank.exec(select(MailMessage).where(MailMessage.id == created.mail.id)).one()
    assert stored.status == "sent" and stored.sent_at is not None and stored.attempts == 1


def test_english_invitation_and_resend_mails_a_new_link(
    bank: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = _smtp(settings, port)
    candidate = _candidate(bank, "en", "sam@example.org")
    first = invitations.invite(bank, smtp, candidate, actor="test", expires_at=None, send=True)  # type: ignore[arg-type]
    assert mail.deliver_pending(bank, smtp) == 1
    again = invitations.resend(bank, smtp, first.assessment, actor="test", expires_at=None)
    assert mail.deliver_pending(bank, smtp) == 1
    assert first.mail is not None and bank.get(MailMessage, first.mail.id).status == "sent"  # type: ignore[union-attr]
    bodies = [m.get_payload(decode=True).decode() for _, m in inbox.messages]  # type: ignore[union-attr]
    assert inbox.messages[0][1]["Subject"] == "Your invitation to the Touchstone assessment"
    assert first.link in bodies[0] and again.link in bodies[1] and first.link != again.link
    assert "works until" not in bodies[0]  # no expiry, no date


def test_resend_and_revoke_withdraw_unsent_mail_with_the_old_link(bank: Session, settings: Settings) -> None:
    candidate = _candidate(bank, "nl", "kim@example.org")
    first = invitations.invite(bank, settings, candidate, actor="test", expires_at=None, send=True)  # type: ignore[arg-type]
    again = invitations.resend(bank, settings, first.assessment, actor="test", expires_at=None)
    assert first.mail is not None and again.mail is not None
    # The first e-mail is held (no SMTP): it stays in the outbox's history, but as withdrawn, without its link.
    assert first.mail.status == "withdrawn" and first.mail.sealed_link is None
    assert first.link not in mail.readable_body(first.mail, settings)
    assert mail.LINK_WITHDRAWN in mail.readable_body(first.mail, settings)
    assert again.mail.status == "held" and again.link in mail.readable_body(again.mail, settings)
    invitations.revoke(bank, again.assessment, actor="test")
    assert again.mail.status == "withdrawn" and again.mail.sealed_link is None


def test_mail_withdrawn_while_a_worker_sends_it_is_recorded_as_sent(
    bank: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    _, port = smtp_server
    smtp = _smtp(settings, port)
    candidate = _candidate(bank, "en", "lee@example.org")
    invited = invitations.invite(bank, smtp, candidate, actor="test", expires_at=None, send=True)  # type: ignore[arg-type]
    [claimed] = mail.claim_pending(bank, smtp)
    invitations.revoke(bank, invited.assessment, actor="test")  # while the message is on its way
    assert mail.record(bank, claimed, None) is False
    assert invited.mail is not None and invited.mail.status == "sent"  # it went out: the outbox must say so


def test_a_failing_server_is_recorded_and_retried_never_raised(session: Session, settings: Settings) -> None:
    dead = _smtp(settings, free_port(), smtp_timeout_seconds=2.0)
    message = mail.queue(session, to="a@example.org", subject="s", body="b", language="en", kind="t", settings=dead)
    assert mail.deliver_pending(session, dead) == 0
    assert message.status == "queued" and message.attempts == 1 and "Error" in (message.error or "")
    assert message.next_attempt_at > utcnow()  # retried later, not on the worker's next pass
    assert mail.deliver_pending(session, dead) == 0 and message.attempts == 1
    for _ in range(mail.MAX_ATTEMPTS - 1):
        message.next_attempt_at = utcnow() - dt.timedelta(seconds=1)
        session.add(message)
        session.flush()
        mail.deliver_pending(session, dead)
    assert message.status == "failed" and message.attempts == mail.MAX_ATTEMPTS
    mail.retry(session, message)
    assert message.status == "queued" and message.attempts == 0


def test_starttls_is_required_when_configured(
    session: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    tls = _smtp(settings, port, smtp_starttls=True)
    message = mail.queue(session, to="a@example.org", subject="s", body="b", language="en", kind="t", settings=tls)
    assert mail.deliver_pending(session, tls) == 0
    # The test server offers no STARTTLS: the message is not sent in the clear.
    assert inbox.messages == [] and "STARTTLS" in (message.error or "").upper()
