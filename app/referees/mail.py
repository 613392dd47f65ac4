"""The e-mails that bring a referee their personal link, and the reminder before it expires, in their language.

A referee's link is planned a reminder when it is e-mailed, like a candidate's invitation: the same table,
setting (TOUCHSTONE_REMINDER_DAYS_BEFORE) and claim loop (app.candidates.reminders); the worker's
``remind_due`` here picks the referees' links and writes their message. A reminder that falls due after the
statement was completed, or the link was revoked, renewed without e-mail, expired or erased, is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date
from sqlmodel import Session, col, select

from app.assessments.models import Assessment, AssessmentMode
from app.candidates import reminders
from app.candidates import service as candidates
from app.config import Settings
from app.mail import organisation
from app.mail import service as mail
from app.mail.models import InvitationReminder, MailMessage, ReminderState
from app.referees import service as referees
from app.referees.models import Referee

KIND = "referee_invitation"
KIND_REMINDER = "referee_reminder"


def compose(
    session: Session, referee: Referee, assessment: Assessment, candidate_name: str, *, reminder: bool = False
) -> tuple[str, str]:
    """Return the subject and body (mail.LINK_PLACEHOLDER for the link) of a referee's invitation or reminder.

    Both name the candidate, and the organisation that asks when an admin set its name.
    """
    lang = mail.reader_language(assessment)

    def _(text: str) -> str:
        return mail.translate(text, lang)

    org = organisation.get(session)
    names = {"candidate": candidate_name, "organisation": org.name}
    expiry = format_date(assessment.expires_at.date(), format="long", locale=lang) if assessment.expires_at else None
    lines = [_("Dear %(name)s,") % {"name": referee.name}, ""]
    if reminder:
        lines.append(
            _("A reminder: your link to the reference request works until %(date)s.") % {"date": expiry}
            if expiry
            else _("A reminder: we would still like to hear from you.")
        )
    asked = (
        _(
            "%(candidate)s named you as a referee for a role at %(organisation)s. "
            "Would you tell us what you saw of their work?"
        )
        if org.name
        else _("%(candidate)s named you as a referee. Would you tell us what you saw of their work?")
    )
    lines += [
        asked % names,
        _("It takes about 10 minutes."),
        _("The link first shows what the candidate stated and how we handle your answers."),
        "",
        mail.LINK_PLACEHOLDER,
        "",
    ]
    if expiry and not reminder:
        lines.append(_("The link works until %(date)s.") % {"date": expiry})
    lines.append(_("This link is personal; please do not share it."))
    lines += mail.sign_off(org, lang)
    subject = (
        _("Reminder: reference request for %(candidate)s") if reminder else _("Reference request for %(candidate)s")
    )
    return subject % names, "\n".join(lines) + "\n"


def invite(
    session: Session, settings: Settings, referee: Referee, assessment: Assessment, token: str, *, candidate_name: str
) -> MailMessage:
    """Queue the referee's invitation with their link (stored sealed) and its expiry."""
    text = compose(session, referee, assessment, candidate_name)
    link = referees.link(settings, token)
    return mail.queue_link(session, settings, assessment, to=referee.email, kind=KIND, text=text, link=link)


def remind(session: Session, settings: Settings, referee: Referee, assessment: Assessment, link: str) -> MailMessage:
    """Queue the reminder of a referee's open link (the link is the one their invitation carried)."""
    text = compose(session, referee, assessment, _candidate_name(session, referee), reminder=True)
    return mail.queue_link(session, settings, assessment, to=referee.email, kind=KIND_REMINDER, text=text, link=link)


def _candidate_name(session: Session, referee: Referee) -> str:
    candidate = candidates.get(session, referee.candidate_id)
    return f"{candidate.first_name} {candidate.last_name}"


def send_link(session: Session, settings: Settings, referee: Referee, token: str) -> MailMessage:
    """Queue a referee's invitation with their current link, naming the candidate who asked, and plan its reminder."""
    assessment = referees.link_assessment(session, referee)
    message = invite(session, settings, referee, assessment, token, candidate_name=_candidate_name(session, referee))
    reminders.schedule(session, settings, assessment, referees.link(settings, token))
    return message


def _reminder_of(session: Session, settings: Settings, assessment: Assessment, link: str) -> int | None:
    referee = session.exec(select(Referee).where(Referee.assessment_id == assessment.id)).first()
    if referee is None or referee.erased_at is not None:
        return None
    candidate = candidates.get(session, referee.candidate_id)
    if candidate.erased_at is not None:
        return None
    return remind(session, settings, referee, assessment, link).id


def remind_due(session: Session, settings: Settings, *, now: dt.datetime | None = None) -> int:
    """Queue the due reminders of referees' links and return how many were queued (a worker step)."""
    return reminders.remind_due(session, settings, now=now, mode=AssessmentMode.REFEREE, compose=_reminder_of)


@dataclass(frozen=True)
class ReminderShown:
    """A referee link's reminder as HR sees it: planned for a date, or its e-mail (queued, sent or failed)."""

    due: dt.datetime | None
    message: MailMessage | None


def reminder_states(session: Session, assessment_ids: list[str]) -> dict[str, ReminderShown]:
    """Return the reminder of each link that has one planned or queued (a skipped one is not shown)."""
    rows = session.exec(
        select(InvitationReminder, MailMessage)
        .outerjoin(MailMessage, col(MailMessage.id) == col(InvitationReminder.mail_id))
        .where(
            col(InvitationReminder.assessment_id).in_(assessment_ids),
            InvitationReminder.state != ReminderState.SKIPPED,
        )
    ).all()
    return {
        reminder.assessment_id: ReminderShown(reminder.next_attempt_at if message is None else None, message)
        for reminder, message in rows
        if message is not None or reminder.state == ReminderState.PENDING
    }
