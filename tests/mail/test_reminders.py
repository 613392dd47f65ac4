"""Reminders before an invitation link expires: queued once by the worker, delivered to a real SMTP server."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from app.assessments.models import AssessmentStatus
from app.candidates import invitations, reminders
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.mail import service as mail
from app.mail.models import InvitationReminder, ReminderState
from tests.mail.conftest import Inbox


def _smtp(settings: Settings, port: int, **extra: object) -> Settings:
    update = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False, "smtp_from": "hr@example.org"}
    return settings.model_copy(update=update | extra)


def _candidate(session: Session, name: str, language: str = "nl") -> Candidate:
    data = CandidateCreate(first_name=name, last_name="Bakker", email=f"{name.lower()}@example.org", language=language)
    return candidates.create(session, data, actor="test")


def _reminder(session: Session, assessment_id: str) -> InvitationReminder:
    return session.exec(select(InvitationReminder).where(InvitationReminder.assessment_id == assessment_id)).one()


def test_one_reminder_with_the_same_link_is_mailed_before_the_link_expires(
    bank: Session, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    smtp = _smtp(settings, port)
    expires = utcnow() + dt.timedelta(days=5)
    created = invitations.invite(bank, smtp, _candidate(bank, "Sanne"), actor="t", expires_at=expires, send=True)
    reminder = _reminder(bank, created.assessment.id)
    assert reminder.next_attempt_at == expires - dt.timedelta(days=2) and created.link not in str(reminder.sealed_link)
    assert reminders.remind_due(bank, smtp) == 0  # not due yet
    later = expires - dt.timedelta(days=1)
    assert reminders.remind_due(bank, smtp, now=later) == 1
    assert reminders.remind_due(bank, smtp, now=later + dt.timedelta(hours=1)) == 0  # once per invitation
    assert mail.deliver_pending(bank, smtp) == 2
    subjects = [message["Subject"] for _, message in inbox.messages]
    assert subjects == [
        "Je uitnodiging voor het Touchstone-assessment",
        "Herinnering: je uitnodiging voor het Touchstone-assessment",
    ]
    body = inbox.messages[1][1].get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    assert body.startswith("Beste Sanne,") and created.link in body and "Een herinnering" in body
    bank.refresh(reminder)
    assert reminder.state == ReminderState.SENT and reminder.sealed_link is None and reminder.mail_id is not None


def test_no_reminder_for_completed_revoked_expired_or_erased_invitations(bank: Session, settings: Settings) -> None:
    smtp = _smtp(settings, 25)  # nothing is sent here: reminders are only queued
    expires = utcnow() + dt.timedelta(days=5)
    made = {
        name: invitations.invite(bank, smtp, _candidate(bank, name), actor="t", expires_at=expires, send=True)
        for name in ("Done", "Gone", "Late", "Erased", "Open")
    }
    made["Done"].assessment.status = AssessmentStatus.COMPLETED
    made["Late"].assessment.status = AssessmentStatus.EXPIRED
    erased = candidates.get(bank, made["Erased"].assessment.candidate_id)  # type: ignore[arg-type]
    erased.erased_at = utcnow()
    bank.add_all([made["Done"].assessment, made["Late"].assessment, erased])
    invitations.revoke(bank, made["Gone"].assessment, actor="t")
    assert (
        bank.exec(
            select(InvitationReminder).where(InvitationReminder.assessment_id == made["Gone"].assessment.id)
        ).first()
        is None
    )
    assert reminders.remind_due(bank, smtp, now=expires - dt.timedelta(hours=12)) == 1
    states = {name: _reminder(bank, made[name].assessment.id) for name in ("Done", "Late", "Erased", "Open")}
    for name, reminder in states.items():
        bank.refresh(reminder)
        assert reminder.sealed_link is None
        assert reminder.state == (ReminderState.SENT if name == "Open" else ReminderState.SKIPPED), name


def test_reminders_can_be_turned_off_and_a_claimed_one_is_left_alone(bank: Session, settings: Settings) -> None:
    expires = utcnow() + dt.timedelta(days=5)
    off = _smtp(settings, 25, reminder_days_before=0)
    created = invitations.invite(bank, off, _candidate(bank, "Uit"), actor="t", expires_at=expires, send=True)
    assert (
        bank.exec(select(InvitationReminder).where(InvitationReminder.assessment_id == created.assessment.id)).first()
        is None
    )
    assert reminders.remind_due(bank, off, now=expires) == 0

    on = _smtp(settings, 25)
    other = invitations.invite(bank, on, _candidate(bank, "Aan"), actor="t", expires_at=expires, send=True)
    reminder = _reminder(bank, other.assessment.id)
    # Another worker claimed it (its lease runs until tomorrow): this worker does not queue it a second time.
    reminder.next_attempt_at = utcnow() + dt.timedelta(days=1)
    bank.add(reminder)
    bank.flush()
    assert reminders.remind_due(bank, on, now=utcnow()) == 0
    bank.refresh(reminder)
    assert reminder.state == ReminderState.PENDING
