"""Reminders: one e-mail per invitation link a few days before it expires, queued by the worker.

An invitation e-mailed to the candidate gets a reminder row with its link sealed (app.sealing), due
TOUCHSTONE_REMINDER_DAYS_BEFORE days before the link expires (0 turns reminders off). A worker claims due
rows with a lease (app.db.claims), so each is handled once even with several workers; it queues the
reminder in the mail outbox in a short transaction, and mail.deliver_pending sends it with no transaction
open. A reminder that falls due after the invitation was completed, revoked, expired or erased is skipped,
and its sealed link dropped.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from app import i18n, sealing
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.candidates.models import Candidate
from app.config import Settings
from app.db import claims, utcnow
from app.mail import service as mail
from app.mail.models import InvitationReminder, ReminderState

KIND_REMINDER = mail.KIND_REMINDER
CLAIM = 20
LEASE_SECONDS = 120
OPEN = (AssessmentStatus.INVITED, AssessmentStatus.STARTED)
QUEUE = claims.Queue(InvitationReminder, "state", ReminderState.PENDING)
# The reminders of candidates' invitations; a referee's link has its own (app.referees.reminders).
THEIRS = (
    col(InvitationReminder.assessment_id).in_(
        select(Assessment.id).where(Assessment.mode == AssessmentMode.INVITATION)
    ),
)


def schedule(session: Session, settings: Settings, assessment: Assessment, link: str) -> InvitationReminder | None:
    """Plan the reminder of an e-mailed invitation link (a new link replaces the plan of the old one)."""
    existing = session.exec(
        select(InvitationReminder).where(InvitationReminder.assessment_id == assessment.id)
    ).one_or_none()
    due = (
        assessment.expires_at - dt.timedelta(days=settings.reminder_days_before)
        if assessment.expires_at is not None and settings.reminder_days_before > 0
        else None
    )
    if due is None or due <= utcnow():
        cancel(session, assessment)
        return None
    reminder = existing or InvitationReminder(assessment_id=assessment.id, next_attempt_at=due)
    reminder.next_attempt_at = due
    reminder.state = ReminderState.PENDING
    reminder.sealed_link = sealing.seal(settings.secret_key, link)
    reminder.mail_id = None
    session.add(reminder)
    session.flush()
    return reminder


def cancel(session: Session, assessment: Assessment) -> None:
    """Drop the invitation's planned reminder (and its sealed link), if any."""
    existing = session.exec(
        select(InvitationReminder).where(InvitationReminder.assessment_id == assessment.id)
    ).one_or_none()
    if existing is not None and existing.state == ReminderState.PENDING:
        session.delete(existing)
        session.flush()


def _message(
    session: Session, settings: Settings, assessment: Assessment, candidate: Candidate, link: str
) -> int | None:
    lang = assessment.language if assessment.language in i18n.SUPPORTED else i18n.DEFAULT
    assert candidate.email
    subject, body = mail.compose(
        session, KIND_REMINDER, assessment, candidate.preferred_name or candidate.first_name, lang
    )
    message = mail.queue(
        session,
        to=candidate.email,
        subject=subject,
        body=body,
        language=lang,
        kind=KIND_REMINDER,
        assessment_id=assessment.id,
        settings=settings,
        link=link,
    )
    return message.id


def _handle(session: Session, settings: Settings, reminder_id: int, lease: dt.datetime) -> bool:
    """Queue or skip one claimed reminder; True when its e-mail was queued. False too when the claim was lost."""
    reminder = claims.reclaim(session, QUEUE, reminder_id, lease)
    if reminder is None:
        return False  # the lease ran out and another worker took it over
    assessment = session.get(Assessment, reminder.assessment_id)
    candidate = session.get(Candidate, assessment.candidate_id) if assessment and assessment.candidate_id else None
    link = sealing.unseal(settings.secret_key, reminder.sealed_link) if reminder.sealed_link else None
    usable = (
        assessment is not None
        and assessment.status in OPEN
        and assessment.expires_at is not None
        and assessment.expires_at > utcnow()
        and candidate is not None
        and candidate.erased_at is None
        and bool(candidate.email)
        and link is not None
    )
    reminder.sealed_link = None
    if usable:
        assert assessment is not None and candidate is not None and link is not None
        reminder.mail_id = _message(session, settings, assessment, candidate, link)
        reminder.state = ReminderState.SENT
    else:
        reminder.state = ReminderState.SKIPPED
    session.add(reminder)
    session.flush()
    return usable


def remind_due(session: Session, settings: Settings, *, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Queue the reminders that are due and return how many were queued (a worker step; owns its commits)."""
    if settings.reminder_days_before == 0:
        return 0

    def claim_some(room: int) -> list[tuple[int, dt.datetime]]:
        taken = claims.claim(
            session, QUEUE, *THEIRS, limit=min(CLAIM, room), now=now, lease_seconds=lambda _count: LEASE_SECONDS
        )
        return [(reminder.id, taken.lease) for reminder in taken.rows if reminder.id is not None]

    return claims.drain(session, claim_some, lambda one: _handle(session, settings, *one), limit=limit)
