"""Referee reminders: one e-mail before the link expires, in the referee's language, queued once by the worker
with a lease, and skipped when it is no longer needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from app.assessments.models import AssessmentStatus
from app.candidates import reminders
from app.config import Settings, get_settings
from app.db import claims, utcnow
from app.mail import service as mail
from app.mail.models import InvitationReminder, Organisation, ReminderState
from app.privacy import erasure
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import Referee, RefereeCreate
from tests import factories as factory
from tests.mail.conftest import Inbox, smtp_server

__all__ = ["smtp_server"]

DAYS = dt.timedelta(days=1)


def _smtp(port: int = 25) -> Settings:
    update = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False, "smtp_from": "hr@example.org"}
    return get_settings().model_copy(update=update)


def _referee(session: Session, person: Any, settings: Settings, email: str, *, language: str = "nl") -> Referee:
    data = RefereeCreate.model_validate(
        {"name": "Marta Visser", "email": email, "relation": "manager", "period": "2021-2024", "language": language}
    )
    added = referees.add(session, person, data, actor="hr", expires_at=utcnow() + 5 * DAYS)
    referee_mail.send_link(session, settings, added.referee, added.token)
    return added.referee


def _reminder(session: Session, referee: Referee) -> InvitationReminder:
    return session.exec(
        select(InvitationReminder).where(InvitationReminder.assessment_id == referee.assessment_id)
    ).one()


def _ready(session: Session, persona: str = "midlevel") -> Any:
    person = factory.persona(session, persona)
    referees.record_consent(session, person, actor="hr@example.org")
    return person


def test_one_reminder_in_the_referees_language_with_the_same_link(
    bank: Session, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = _smtp(port)
    bank.add(Organisation(id=1, name="Acme Media"))
    referee = _referee(bank, _ready(bank), smtp, "marta@example.org")
    reminder = _reminder(bank, referee)
    assessment = referees.link_assessment(bank, referee)
    assert assessment.expires_at is not None
    assert reminder.next_attempt_at == assessment.expires_at - 2 * DAYS
    later = assessment.expires_at - DAYS
    assert referee_mail.remind_due(bank, smtp) == 0  # not due yet
    assert reminders.remind_due(bank, smtp, now=later) == 0  # the candidates' step leaves referees' links alone
    assert referee_mail.remind_due(bank, smtp, now=later) == 1
    assert referee_mail.remind_due(bank, smtp, now=later + DAYS / 24) == 0  # once per link
    assert mail.deliver_pending(bank, smtp) == 2
    subjects = [message["Subject"] for _, message in inbox.messages]
    assert subjects == [
        "Referentieverzoek voor Midlevel Persona",
        "Herinnering: referentieverzoek voor Midlevel Persona",
    ]
    bodies = [message.get_payload(decode=True).decode("utf-8") for _, message in inbox.messages]  # type: ignore[union-attr]
    link = next(line for line in bodies[0].splitlines() if "/r/" in line)
    assert bodies[1].startswith("Beste Marta Visser,") and "Een herinnering" in bodies[1]
    assert link in bodies[1] and "bij Acme Media" in bodies[1] and "Midlevel Persona" in bodies[1]
    bank.refresh(reminder)
    assert reminder.state == ReminderState.SENT and reminder.sealed_link is None and reminder.mail_id is not None


def test_english_referee_gets_an_english_reminder(bank: Session) -> None:
    smtp = _smtp()
    referee = _referee(bank, _ready(bank), smtp, "marta@example.org", language="en")
    assert referee_mail.remind_due(bank, smtp, now=utcnow() + 4 * DAYS) == 1
    reminder = _reminder(bank, referee)
    message = bank.get(mail.MailMessage, reminder.mail_id)
    assert message is not None and message.kind == referee_mail.KIND_REMINDER and message.language == "en"
    assert message.subject == "Reminder: reference request for Midlevel Persona"
    assert "A reminder: your link to the reference request works until" in message.body_text


def test_no_reminder_once_completed_revoked_renewed_expired_or_erased(bank: Session) -> None:
    smtp = _smtp()
    first, second = _ready(bank, "midlevel"), _ready(bank, "senior")
    done, revoked, renewed = (_referee(bank, first, smtp, f"{name}@example.org") for name in ("done", "gone", "new"))
    late, still_open = (_referee(bank, second, smtp, f"{name}@example.org") for name in ("late", "open"))
    for referee, status in ((done, AssessmentStatus.COMPLETED), (late, AssessmentStatus.EXPIRED)):
        assessment = referees.link_assessment(bank, referee)
        assessment.status = status
        bank.add(assessment)
    referees.revoke(bank, revoked, actor="hr")
    referees.resend(bank, renewed, actor="hr", expires_at=utcnow() + 5 * DAYS)  # a new link, not e-mailed
    for referee in (revoked, renewed):  # the plan and its sealed link are gone at once
        assert (
            bank.exec(
                select(InvitationReminder).where(InvitationReminder.assessment_id == referee.assessment_id)
            ).first()
            is None
        )
    assert referee_mail.remind_due(bank, smtp, now=utcnow() + 4 * DAYS) == 1
    for referee in (done, late, still_open):
        reminder = _reminder(bank, referee)
        bank.refresh(reminder)
        assert reminder.sealed_link is None
        assert reminder.state == (ReminderState.SENT if referee is still_open else ReminderState.SKIPPED)


def test_erasure_drops_the_planned_reminder(bank: Session) -> None:
    person = _ready(bank)
    referee = _referee(bank, person, _smtp(), "marta@example.org")
    erasure.erase_candidate(bank, person, actor="hr")
    assert (
        bank.exec(select(InvitationReminder).where(InvitationReminder.assessment_id == referee.assessment_id)).first()
        is None
    )
    assert referee_mail.remind_due(bank, _smtp(), now=utcnow() + 4 * DAYS) == 0


def test_a_reminder_claimed_by_a_worker_that_died_is_sent_after_its_lease(bank: Session) -> None:
    smtp = _smtp()
    referee = _referee(bank, _ready(bank), smtp, "marta@example.org")
    due = utcnow() + 4 * DAYS
    # A worker claims it and dies before handling it: the claim is committed, nothing else happened.
    dead = claims.claim(bank, reminders.QUEUE, limit=10, now=due, lease_seconds=lambda _count: 120)
    assert [row.id for row in dead.rows] == [_reminder(bank, referee).id]
    assert referee_mail.remind_due(bank, smtp, now=due) == 0  # while the lease lasts, nobody else takes it
    assert referee_mail.remind_due(bank, smtp, now=dead.lease + dt.timedelta(seconds=1)) == 1
    reminder = _reminder(bank, referee)
    bank.refresh(reminder)
    assert reminder.state == ReminderState.SENT


def test_withdrawn_consent_drops_the_planned_reminders(bank: Session) -> None:
    person = _ready(bank)
    referee = _referee(bank, person, _smtp(), "marta@example.org")
    assert referees.withdraw_consent(bank, person, actor="hr") == 1
    planned = select(InvitationReminder).where(InvitationReminder.assessment_id == referee.assessment_id)
    assert bank.exec(planned).first() is None
