"""Queue e-mail in the database and deliver it by SMTP; without SMTP it is held for admins to read."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from babel.dates import format_date
from sqlmodel import Session, col, select

from app import emails, i18n, sealing
from app.assessments.models import Assessment, AssessmentMode
from app.config import Settings, get_settings
from app.db import claims, utcnow
from app.i18n import N_
from app.mail import organisation
from app.mail.models import MailMessage, MailStatus, Organisation
from app.roles.models import Role

logger = logging.getLogger("touchstone.mail")

MAX_ATTEMPTS = 5
# Seconds before attempt 2, 3, ... of a message that failed.
RETRY_AFTER = (10, 60, 300, 1800)
# Messages claimed at a time, and how much longer than sending them may take their lease lasts.
CLAIM = 10
LEASE_MARGIN_SECONDS = 60
KIND_INVITATION = "invitation"
KIND_REMINDER = "invitation-reminder"
# Stands in the stored body for the candidate's link, which is kept sealed beside it (app.sealing).
LINK_PLACEHOLDER = "[[invitation-link]]"
LINK_GONE = "[the link is no longer available: resend the invitation]"
LINK_WITHDRAWN = "[the link stopped working before this message was sent: a newer link was issued, or it was revoked]"


def translate(message: str, language: str) -> str:
    """Translate message into language outside a request (mail is written for its reader, not the sender)."""
    catalogues = i18n.load_translations()
    return catalogues.get(language, catalogues[i18n.DEFAULT]).gettext(message)


def smtp_configured(settings: Settings) -> bool:
    """Tell whether mail can be sent (an SMTP host is set)."""
    return bool(settings.smtp_host)


def queue(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    language: str,
    kind: str,
    assessment_id: str | None = None,
    settings: Settings | None = None,
    link: str | None = None,
) -> MailMessage:
    """Store a message: queued for delivery when SMTP is configured, held in the admins' outbox when not.

    A link (an invitation's) replaces LINK_PLACEHOLDER in the body when the message is sent or read; it is
    stored sealed, never in plain text.
    """
    to = emails.checked(to, "to", problem="is not one e-mail address")
    # Header injection: a subject is one line.
    subject = " ".join(subject.split())[:300]
    settings = settings or get_settings()
    message = MailMessage(
        to_address=to,
        subject=subject,
        body_text=body,
        language=language,
        kind=kind,
        assessment_id=assessment_id,
        status=MailStatus.QUEUED if smtp_configured(settings) else MailStatus.HELD,
        sealed_link=sealing.seal(settings.secret_key, link) if link else None,
    )
    session.add(message)
    session.flush()
    return message


def invitation_link(settings: Settings, token: str) -> str:
    """Return the candidate's link for an invitation token."""
    return f"{settings.base_url}/t/{token}"


def invitation(
    session: Session, settings: Settings, kind: str, *, assessment: Assessment, to: str, name: str, link: str
) -> MailMessage:
    """Queue an invitation or its reminder (kind), in the invitation's language, with its link and expiry."""
    text = compose(session, kind, assessment, name, reader_language(assessment))
    return queue_link(session, settings, assessment, to=to, kind=kind, text=text, link=link)


def queue_link(
    session: Session,
    settings: Settings,
    assessment: Assessment,
    *,
    to: str,
    kind: str,
    text: tuple[str, str],
    link: str,
) -> MailMessage:
    """Queue a message (subject and body) that carries an assessment's personal link, in the reader's language."""
    subject, body = text
    return queue(
        session,
        to=to,
        subject=subject,
        body=body,
        language=reader_language(assessment),
        kind=kind,
        assessment_id=assessment.id,
        settings=settings,
        link=link,
    )


def reader_language(assessment: Assessment) -> str:
    """Return the language of an assessment's reader (its link's holder): the assessment's, when mail exists in it."""
    return assessment.language if assessment.language in i18n.SUPPORTED else i18n.DEFAULT


def compose(
    session: Session,
    kind: str,
    assessment: Assessment | None,
    name: str,
    lang: str,
    *,
    expires_at: dt.datetime | None = None,
    org: Organisation | None = None,
    role_title: str | None = None,
) -> tuple[str, str]:
    """Return the subject and body (LINK_PLACEHOLDER for the link) of an invitation or its reminder.

    They name the organisation, the vacancy and the contact person when an admin set them, and open with
    the organisation's own text in that language when there is one.
    """

    def _(text: str) -> str:
        return translate(text, lang)

    org = org or organisation.get(session)
    if assessment is not None:
        expires_at = assessment.expires_at
    if role_title is None and assessment is not None and assessment.role_id is not None:
        role = session.get(Role, assessment.role_id)
        role_title = role.title if role else None
    names = {"organisation": org.name, "role": role_title or ""}
    own = organisation.text(org, "reminder" if kind == KIND_REMINDER else "invitation", lang)
    lines = [_("Dear %(name)s,") % {"name": name}, ""]
    if kind == KIND_REMINDER:
        lines.append(own or _("A reminder: your link to the assessment works until %(date)s.") % {"date": "{date}"})
    elif own:
        lines.append(own)
    elif org.name and role_title:
        lines.append(_("%(organisation)s invites you to take an assessment for the role %(role)s.") % names)
    elif org.name:
        lines.append(_("%(organisation)s invites you to take an assessment.") % names)
    else:
        lines.append(_("You are invited to take the Touchstone assessment. It takes about 20 to 30 minutes."))
    lines += [
        _("Your answers are saved as you go: you can close the page and continue later with the same link."),
        "",
        LINK_PLACEHOLDER,
        "",
    ]
    if expires_at is not None:
        expiry = format_date(expires_at.date(), format="long", locale=lang)
        lines = [line.replace("{date}", expiry) for line in lines]
        if kind != KIND_REMINDER:
            lines.append(_("The link works until %(date)s.") % {"date": expiry})
    lines.append(_("This link is personal; please do not share it."))
    lines += sign_off(org, lang)
    if kind == KIND_REMINDER:
        subject = (
            _("Reminder: your invitation from %(organisation)s") % names
            if org.name
            else _("Reminder: your invitation to the Touchstone assessment")
        )
    else:
        subject = (
            _("Your invitation from %(organisation)s") % names
            if org.name
            else _("Your invitation to the Touchstone assessment")
        )
    return subject, "\n".join(lines) + "\n"


def sign_off(org: Organisation, lang: str) -> list[str]:
    """Return the closing lines of a message with a link: whom to ask (when an admin set it) and who sends it."""
    lines = []
    if org.contact_name and org.contact_email:
        contact = {"name": org.contact_name, "email": org.contact_email}
        lines += ["", translate("Questions? Contact %(name)s (%(email)s).", lang) % contact]
    lines += ["", translate("Kind regards,", lang), org.contact_name or org.name or "Touchstone"]
    if org.contact_name and org.name:
        lines.append(org.name)
    return lines


def readable_body(message: MailMessage, settings: Settings, *, strict: bool = False) -> str:
    """Return the body as it is (or was) sent: with the link put in while the message still holds it.

    strict (sending): raise ValueError instead of sending a message whose link cannot be read.
    """
    if LINK_PLACEHOLDER not in message.body_text:
        return message.body_text
    if message.status == MailStatus.WITHDRAWN:
        return message.body_text.replace(LINK_PLACEHOLDER, LINK_WITHDRAWN)
    link = sealing.unseal(settings.secret_key, message.sealed_link) if message.sealed_link else None
    if link is None and strict:
        raise ValueError("the invitation link cannot be read (TOUCHSTONE_SECRET_KEY changed?); resend the invitation")
    return message.body_text.replace(LINK_PLACEHOLDER, link or LINK_GONE)


def _build(message: MailMessage, settings: Settings) -> EmailMessage:
    sender = settings.smtp_from or f"touchstone@{settings.smtp_host}"
    email = EmailMessage()
    # set_content first: it replaces every Content-* header set before it.
    email.set_content(readable_body(message, settings, strict=True))
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Content-Language"] = message.language
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return email


def _send(email: EmailMessage, settings: Settings) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(email)


@dataclass(frozen=True)
class Claimed:
    """A message taken by this worker until ``lease``, built and ready to send (or why it cannot be)."""

    id: int
    lease: dt.datetime
    email: EmailMessage | None
    problem: str | None = None


QUEUE = claims.Queue(MailMessage, "status", MailStatus.QUEUED)


def claim_pending(
    session: Session, settings: Settings, *, limit: int = CLAIM, now: dt.datetime | None = None
) -> list[Claimed]:
    """Take up to ``limit`` queued messages until a lease ends that outlasts sending them all; flushed.

    The lease is committed with the claim, so a message claimed by a worker that died is sent by another
    once the lease has run out. Rows another worker is claiming are skipped (SKIP LOCKED on PostgreSQL).
    """
    # An SMTP conversation is a handful of round trips, each bounded by the timeout.
    taken = claims.claim(
        session,
        QUEUE,
        limit=limit,
        now=now,
        lease_seconds=lambda count: count * 4 * settings.smtp_timeout_seconds + LEASE_MARGIN_SECONDS,
    )
    return [_ready(message, taken.lease, settings) for message in taken.rows]


def _ready(message: MailMessage, lease: dt.datetime, settings: Settings) -> Claimed:
    assert message.id is not None
    try:
        return Claimed(message.id, lease, _build(message, settings))
    except ValueError as problem:  # the sealed link cannot be read: fail it like a refused send
        return Claimed(message.id, lease, None, f"{type(problem).__name__}: {problem}")


def record(session: Session, claimed: Claimed, error: str | None) -> bool:
    """Store how sending went: sent, or retried later with backoff; False when the claim was lost."""
    message = claims.reclaim(session, QUEUE, claimed.id, claimed.lease)
    if message is None:
        if error is None:
            _sent_while_withdrawn(session, claimed)
        return False  # the lease ran out and another worker took the message over
    now = utcnow()
    message.attempts += 1
    if error is None:
        message.status = MailStatus.SENT
        message.sent_at = now
        message.error = None
        message.sealed_link = None  # it is in the candidate's mailbox now; no copy stays here
    else:
        message.error = error[:500]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = MailStatus.FAILED
        else:
            message.next_attempt_at = now + dt.timedelta(seconds=RETRY_AFTER[message.attempts - 1])
        logger.warning("mail %s to be retried or failed: %s", message.id, message.error)
    session.add(message)
    session.flush()
    return True


def _sent_while_withdrawn(session: Session, claimed: Claimed) -> None:
    """Record as sent a message withdrawn while this worker was sending it: the outbox must not deny it went out."""
    message = session.get(MailMessage, claimed.id, with_for_update=True, populate_existing=True)
    if message is not None and message.status == MailStatus.WITHDRAWN and message.next_attempt_at == claimed.lease:
        message.status = MailStatus.SENT
        message.attempts += 1
        message.sent_at = utcnow()
        session.add(message)
        session.flush()


def withdraw_unsent(session: Session, assessment: Assessment) -> int:
    """Withdraw the unsent messages that carry an assessment's link, which just stopped working; return how many.

    They stay in the outbox as withdrawn (its history), without their link; a message already sent stays as it was.
    """
    unsent = session.exec(
        select(MailMessage).where(
            MailMessage.assessment_id == assessment.id,
            col(MailMessage.status).in_([MailStatus.QUEUED.value, MailStatus.HELD.value]),
            col(MailMessage.sealed_link).is_not(None),
        )
    ).all()
    for message in unsent:
        message.status = MailStatus.WITHDRAWN
        message.sealed_link = None  # a link that no longer works is not worth keeping, even sealed
        session.add(message)
    session.flush()
    return len(unsent)


def _deliver(session: Session, settings: Settings, claimed: Claimed) -> bool:
    """Send one claimed message (no transaction is open) and record how it went; True when it went out."""
    error = claimed.problem
    try:
        if claimed.email is not None:
            _send(claimed.email, settings)
    except (OSError, smtplib.SMTPException, ValueError) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return record(session, claimed, error) and error is None


def deliver_pending(session: Session, settings: Settings, *, limit: int = 50) -> int:
    """Send up to limit queued messages and return how many went out; a failing one is retried later.

    This owns its transactions (a worker step, app.db.claims.drain): each claim commits at once, every SMTP
    conversation runs with no transaction open, and each outcome is recorded in a short transaction of its own.
    """
    if not smtp_configured(settings):
        return 0
    return claims.drain(
        session,
        lambda room: claim_pending(session, settings, limit=min(CLAIM, room)),
        lambda claimed: _deliver(session, settings, claimed),
        limit=limit,
    )


def list_outbox(
    session: Session, *, status: str | None = None, before_id: int | None = None, limit: int = 50
) -> list[MailMessage]:
    """Return messages newest first, optionally of one status, continuing below before_id."""
    query = select(MailMessage)
    if status:
        query = query.where(MailMessage.status == status)
    if before_id is not None:
        query = query.where(col(MailMessage.id) < before_id)
    return list(session.exec(query.order_by(col(MailMessage.id).desc()).limit(limit)))


def latest_per_assessment(session: Session, assessment_ids: list[str]) -> dict[str, MailMessage]:
    """Return each assessment's newest message (its invitation, resend or reminder), for an honest mail status."""
    if not assessment_ids:
        return {}
    messages = session.exec(
        select(MailMessage).where(col(MailMessage.assessment_id).in_(assessment_ids)).order_by(col(MailMessage.id))
    ).all()
    return {message.assessment_id: message for message in messages if message.assessment_id is not None}


def invitation_mail_per_candidate(session: Session, candidate_ids: list[int]) -> dict[int, MailMessage | None]:
    """Return the newest message of each candidate's latest invitation, in one query (for the candidate list).

    A candidate whose latest invitation was not e-mailed maps to None; one never invited is left out.
    """
    if not candidate_ids:
        return {}
    rows = session.exec(
        select(Assessment.candidate_id, MailMessage)
        .outerjoin(MailMessage, col(MailMessage.assessment_id) == col(Assessment.id))
        .where(
            col(Assessment.candidate_id).in_(candidate_ids),
            Assessment.mode == AssessmentMode.INVITATION.value,
        )
        # Oldest first, so the newest invitation's newest message is the last one seen per candidate.
        .order_by(col(Assessment.created_at), col(Assessment.id), col(MailMessage.id))
    ).all()
    found: dict[int, MailMessage | None] = {}
    for candidate_id, message in rows:
        if candidate_id is not None:
            found[candidate_id] = message
    return found


def retry(session: Session, message: MailMessage) -> None:
    """Put a failed message back in the queue."""
    if message.status == MailStatus.FAILED:
        message.status = MailStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = utcnow()
        session.add(message)
        session.flush()


# Texts of the invitation mail, listed for the catalogue extractor (they are translated per recipient).
_MESSAGES = (
    N_("Dear %(name)s,"),
    N_("You are invited to take the Touchstone assessment. It takes about 20 to 30 minutes."),
    N_("Your answers are saved as you go: you can close the page and continue later with the same link."),
    N_("The link works until %(date)s."),
    N_("This link is personal; please do not share it."),
    N_("Kind regards,"),
    N_("Your invitation to the Touchstone assessment"),
    N_("A reminder: your link to the assessment works until %(date)s."),
    N_("Reminder: your invitation to the Touchstone assessment"),
    N_("%(organisation)s invites you to take an assessment for the role %(role)s."),
    N_("%(organisation)s invites you to take an assessment."),
    N_("Questions? Contact %(name)s (%(email)s)."),
    N_("Reminder: your invitation from %(organisation)s"),
    N_("Your invitation from %(organisation)s"),
)
