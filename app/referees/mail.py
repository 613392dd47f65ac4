"""The e-mail that brings a referee their personal link, in the referee's language."""

from __future__ import annotations

from babel.dates import format_date
from sqlmodel import Session

from app import i18n
from app.assessments.models import Assessment
from app.candidates import service as candidates
from app.config import Settings
from app.mail import service as mail
from app.mail.models import MailMessage
from app.referees import service as referees
from app.referees.models import Referee

KIND = "referee_invitation"


def invite(
    session: Session, settings: Settings, referee: Referee, assessment: Assessment, token: str, *, candidate_name: str
) -> MailMessage:
    """Queue the referee's invitation with their link (stored sealed) and its expiry."""
    lang = referee.language if referee.language in i18n.SUPPORTED else i18n.DEFAULT

    def _(text: str) -> str:
        return mail.translate(text, lang)

    lines = [
        _("Dear %(name)s,") % {"name": referee.name},
        "",
        _("%(candidate)s named you as a referee. Would you tell us what you saw of their work?")
        % {"candidate": candidate_name},
        _("It takes about 10 minutes."),
        _("The link first shows what the candidate stated and how we handle your answers."),
        "",
        mail.LINK_PLACEHOLDER,
        "",
    ]
    if assessment.expires_at is not None:
        expiry = format_date(assessment.expires_at.date(), format="long", locale=lang)
        lines.append(_("The link works until %(date)s.") % {"date": expiry})
    lines += [_("This link is personal; please do not share it."), "", _("Kind regards,"), "Touchstone"]
    return mail.queue(
        session,
        to=referee.email,
        subject=_("Reference request for %(candidate)s") % {"candidate": candidate_name},
        body="\n".join(lines) + "\n",
        language=lang,
        kind=KIND,
        assessment_id=assessment.id,
        settings=settings,
        link=referees.link(settings, token),
    )


def send_link(session: Session, settings: Settings, referee: Referee, token: str) -> MailMessage:
    """Queue a referee's invitation with their current link, naming the candidate who asked."""
    candidate = candidates.get(session, referee.candidate_id)
    assessment = referees.link_assessment(session, referee)
    name = f"{candidate.first_name} {candidate.last_name}"
    return invite(session, settings, referee, assessment, token, candidate_name=name)
