"""Invitations: a candidate's personal link to a questionnaire, with expiry, e-mail, revoke and resend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.audit import service as audit
from app.candidates import reminders
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, Invalid
from app.i18n import N_
from app.mail import service as mail
from app.mail.models import MailMessage

SELF_TEST = "self-test"
# A fixed text of a refusal: problem documents translate it (app.problems.localised).
NO_EMAIL = N_("the candidate has no e-mail address to send the invitation to")


@dataclass(frozen=True)
class Invitation:
    assessment: Assessment
    link: str
    """The candidate's link: shown to HR once, never stored in readable form."""
    mail: MailMessage | None


def _mail(session: Session, settings: Settings, candidate: Candidate, assessment: Assessment, link: str) -> MailMessage:
    """Queue the invitation e-mail with its link and plan its reminder."""
    if not candidate.email:
        raise Invalid(f"email: {NO_EMAIL}", field="email")
    message = mail.invitation(
        session,
        settings,
        mail.KIND_INVITATION,
        assessment=assessment,
        to=candidate.email,
        name=candidate.addressed_as,
        link=link,
    )
    reminders.schedule(session, settings, assessment, link)
    return message


def ats_expiry(settings: Settings, expires_at: dt.datetime | None = None) -> dt.datetime:
    """Return when a link an ATS orders (through the API or Greenhouse) expires: as asked, or after the ATS
    invitation period (TOUCHSTONE_API_INVITATION_DAYS) from now."""
    return expires_at or utcnow() + dt.timedelta(days=settings.api_invitation_days)


def invite(
    session: Session,
    settings: Settings,
    candidate: Candidate,
    *,
    actor: str,
    expires_at: dt.datetime | None,
    feedback_to_candidate: bool = True,
    questionnaire_id: str = SELF_TEST,
    send: bool = False,
    candidate_names_referees: bool = False,
) -> Invitation:
    """Create an invitation for the candidate (in their language) and optionally queue the e-mail.

    ``candidate_names_referees``: after submitting, the candidate may name their own referees on the link.
    """
    candidates.ensure_not_erased(candidate)
    if send and not candidate.email:
        # Checked before anything is written: the caller may show the form again and commit.
        raise Invalid(f"send: {NO_EMAIL}", field="send")
    created = assessments.create(
        session,
        questionnaire_id=questionnaire_id,
        mode=AssessmentMode.INVITATION,
        language=candidate.language,
        actor=actor,
        candidate_id=candidate.id,
        role_id=candidate.role_id,
        expires_at=expires_at,
        feedback_to_candidate=feedback_to_candidate,
        candidate_names_referees=candidate_names_referees,
    )
    assert created.token is not None  # invitations always get a link
    link = mail.invitation_link(settings, created.token)
    message = _mail(session, settings, candidate, created.assessment, link) if send else None
    audit.record(
        session,
        created.assessment,
        actor=actor,
        action="invitation.created",
        detail={
            "candidate_id": candidate.id,
            "mailed": message is not None,
            "candidate_names_referees": candidate_names_referees,
        },
    )
    candidates.refresh_summary(session, candidate.id)
    return Invitation(created.assessment, link, message)


def revoke(session: Session, assessment: Assessment, *, actor: str) -> None:
    """Withdraw an invitation: its link stops working at once, and e-mail still carrying it is withdrawn."""
    assessments.cancel(session, assessment, actor=actor)
    reminders.cancel(session, assessment)
    mail.withdraw_unsent(session, assessment)
    candidates.refresh_summary(session, assessment.candidate_id)


def resend(
    session: Session,
    settings: Settings,
    assessment: Assessment,
    *,
    actor: str,
    expires_at: dt.datetime | None,
    send: bool = True,
) -> Invitation:
    """Issue a new link (the old one stops working) with a new expiry and mail it to the candidate."""
    if assessment.candidate_id is None:
        raise Conflict("this assessment belongs to no candidate")
    candidate = candidates.get(session, assessment.candidate_id)
    token = assessments.reissue(session, assessment, actor=actor, expires_at=expires_at)
    # Unsent e-mail with the old link would reach the candidate with a link that no longer works.
    mail.withdraw_unsent(session, assessment)
    link = mail.invitation_link(settings, token)
    message = _mail(session, settings, candidate, assessment, link) if send else None
    if message is None:
        # The old link's reminder would carry a link that no longer works (a mailed new link plans its own).
        reminders.cancel(session, assessment)
    candidates.refresh_summary(session, candidate.id)
    return Invitation(assessment, link, message)
