"""Reminders: one e-mail per invitation link a few days before it expires, queued by the worker.

An invitation e-mailed to the candidate gets a reminder row with its link sealed (app.sealing), due
TOUCHSTONE_REMINDER_DAYS_BEFORE days before the link expires (0 turns reminders off). A worker claims due
rows with a lease (app.db.claims), so each is handled once even with several workers; it queues the
reminder in the mail outbox in a short transaction, and mail.deliver_pending sends it with no transaction
open. A reminder that falls due after the invitation was completed, revoked, expired or erased is skipped,
and its sealed link dropped. A referee's link (an assessment too) is planned and claimed the same way; its
message and its worker step are the referees' own (app.referees.mail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select

from app import sealing
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.candidates.models import Candidate
from app.config import Settings
from app.db import claims, utcnow
from app.mail import service as mail
from app.mail.models import InvitationReminder, ReminderState

KIND_REMINDER = mail.KIND_REMINDER
CLAIM = 20
LEASE_SECONDS = 120
QUEUE = claims.Queue(InvitationReminder, "state", ReminderState.PENDING)


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


Compose = Callable[[Session, Settings, Assessment, str], int | None]
"""Queue the reminder of an open link (the link given) and return its mail id; None when nobody is left to remind."""


def _invitation(session: Session, settings: Settings, assessment: Assessment, link: str) -> int | None:
    candidate = session.get(Candidate, assessment.candidate_id) if assessment.candidate_id else None
    if candidate is None or candidate.erased_at is not None or not candidate.email:
        return None
    message = mail.invitation(
        session,
        settings,
        KIND_REMINDER,
        assessment=assessment,
        to=candidate.email,
        name=candidate.addressed_as,
        link=link,
    )
    return message.id


def _handle(session: Session, settings: Settings, reminder_id: int, lease: dt.datetime, compose: Compose) -> bool:
    """Queue or skip one claimed reminder; True when its e-mail was queued. False too when the claim was lost."""
    reminder = claims.reclaim(session, QUEUE, reminder_id, lease)
    if reminder is None:
        return False  # the lease ran out and another worker took it over
    assessment = session.get(Assessment, reminder.assessment_id)
    link = sealing.unseal(settings.secret_key, reminder.sealed_link) if reminder.sealed_link else None
    reminder.sealed_link = None
    reminder.mail_id = (
        compose(session, settings, assessment, link)
        if assessment is not None
        and assessment.status in assessments.OPEN
        and assessment.expires_at is not None
        and assessment.expires_at > utcnow()
        and link is not None
        else None
    )
    reminder.state = ReminderState.SENT if reminder.mail_id is not None else ReminderState.SKIPPED
    session.add(reminder)
    session.flush()
    return reminder.mail_id is not None


def remind_due(
    session: Session,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
    mode: AssessmentMode = AssessmentMode.INVITATION,
    compose: Compose = _invitation,
) -> int:
    """Queue the due reminders of one mode's links and return how many were queued (a worker step; owns its
    commits). Candidates' invitations by default; referees' links pass their own mode and message."""
    if settings.reminder_days_before == 0:
        return 0
    theirs = col(InvitationReminder.assessment_id).in_(select(Assessment.id).where(Assessment.mode == mode))

    def claim_some(room: int) -> list[tuple[int, dt.datetime]]:
        taken = claims.claim(
            session, QUEUE, theirs, limit=min(CLAIM, room), now=now, lease_seconds=lambda _count: LEASE_SECONDS
        )
        return [(reminder.id, taken.lease) for reminder in taken.rows if reminder.id is not None]

    return claims.drain(session, claim_some, lambda one: _handle(session, settings, *one, compose), limit=limit)
