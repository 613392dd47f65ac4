"""Invitations from the candidate page: create (link shown once, optional e-mail), revoke, resend."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session

from app.assessments import service as assessments
from app.candidates import bulk, invitations
from app.candidates import service as candidates
from app.config import Settings
from app.db import utcnow
from app.deps import SettingsDep
from app.errors import Conflict, Invalid
from app.i18n import N_
from app.mail import service as mail
from app.roles import service as roles
from app.roles.models import Role
from app.urls import link_settings
from app.web.hr import labels
from app.web.hr.candidates import detail_context
from app.web.hr.common import AssessorHr, Hr, NewLinkForm, field_errors

router = APIRouter(include_in_schema=False)
logger = logging.getLogger("touchstone.mail")

MAX_DAYS = 365


def deliver_soon(engine: Engine, settings: Settings) -> None:
    """Send queued mail right after the request committed; whatever fails is left for the worker."""
    if not mail.smtp_configured(settings):
        return
    try:
        with Session(engine, expire_on_commit=False) as session:
            mail.deliver_pending(session, settings, limit=10)
            session.commit()
    except Exception:  # best effort: the worker retries, the HR user already has their page
        logger.exception("immediate mail delivery failed; the worker will retry")


class MailSoon:
    """Sends the mail a request queued right after its response, once committed (the worker retries failures)."""

    def __init__(self, request: Request, settings: SettingsDep, background: BackgroundTasks) -> None:
        self.engine, self.settings, self.background = request.app.state.engine, settings, background

    def after_response(self) -> None:
        self.background.add_task(deliver_soon, self.engine, self.settings)


SendSoon = Annotated[MailSoon, Depends()]


def _expiry(raw: str) -> dt.datetime:
    """Return when a new link stops working, from the days as typed; Invalid names the field and the value."""
    text = raw.strip()
    if not text:
        raise Invalid("expires_in_days: must not be empty", field="expires_in_days")
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise Invalid(
            f"expires_in_days: {text[:20]!r} is not a whole number; use 1 to {MAX_DAYS}", field="expires_in_days"
        )
    days = int(text)
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"expires_in_days: {days} is out of range; use 1 to {MAX_DAYS}", field="expires_in_days")
    return utcnow() + dt.timedelta(days=days)


class InviteForm(BaseModel):
    """The invitation form as entered (the days as typed: _expiry refuses letters or a number out of range)."""

    expires_in_days: str = Field("14", max_length=20)
    feedback_to_candidate: bool = False
    candidate_names_referees: bool = False
    send: bool = False


@router.post("/hr/candidates/{candidate_id}/invitations", name="hr_invitation_create")
def invitation_create(
    hr: AssessorHr, soon: SendSoon, candidate_id: int, form: Annotated[InviteForm, Form()]
) -> Response:
    """Invite the candidate to the self-test; the link is shown once and optionally e-mailed."""
    candidate = candidates.get(hr.session, candidate_id)
    try:
        created = invitations.invite(
            hr.session,
            link_settings(hr.request, hr.settings),
            candidate,
            actor=hr.actor,
            expires_at=_expiry(form.expires_in_days),
            feedback_to_candidate=form.feedback_to_candidate,
            candidate_names_referees=form.candidate_names_referees,
            send=form.send,
        )
    except (Invalid, Conflict) as error:
        context = detail_context(hr, candidate)
        context["invite_errors"] = field_errors(error)
        context["invite_values"] = form.model_dump()
        return hr.page("hr/candidates/detail.html", context, status_code=422)
    if created.mail is not None:
        soon.after_response()
    flag = "mailed" if created.mail is not None else "invited"
    query = {"done": flag, "invitation": created.assessment.id}
    return hr.see_other_with_link(created.link, "hr_candidate", candidate_id=candidate.id, query=query)


@router.post("/hr/invitations/{assessment_id}/revoke", name="hr_invitation_revoke")
def invitation_revoke(hr: AssessorHr, assessment_id: str) -> Response:
    """Withdraw an invitation; its link stops working at once."""
    assessment = assessments.get_shared(hr.session, assessment_id)
    invitations.revoke(hr.session, assessment, actor=hr.actor)
    if assessment.candidate_id is None:
        return hr.see_other("hr_candidates")
    return hr.see_other("hr_candidate", candidate_id=assessment.candidate_id, query={"done": "revoked"})


@router.post("/hr/invitations/{assessment_id}/resend", name="hr_invitation_resend")
def invitation_resend(
    hr: AssessorHr, soon: SendSoon, assessment_id: str, form: Annotated[NewLinkForm, Form()]
) -> Response:
    """Issue a new link (the old one stops working), e-mail it and show it once."""
    assessment = assessments.get_shared(hr.session, assessment_id)
    candidate = candidates.get(hr.session, assessment.candidate_id) if assessment.candidate_id else None
    try:
        expires_at = _expiry(form.expires_in_days)
    except Invalid as error:
        if candidate is None:
            raise
        # Beside the resend button of that invitation, on the candidate's page, naming the field.
        context = detail_context(hr, candidate)
        context["resend_errors"] = {assessment.id: field_errors(error)["expires_in_days"]}
        return hr.page("hr/candidates/detail.html", context, status_code=error.status)
    created = invitations.resend(
        hr.session,
        link_settings(hr.request, hr.settings),
        assessment,
        actor=hr.actor,
        expires_at=expires_at,
        send=bool(candidate and candidate.email),
    )
    if created.mail is not None:
        soon.after_response()
    assert assessment.candidate_id is not None
    query = {"done": "resent", "invitation": assessment.id}
    return hr.see_other_with_link(created.link, "hr_candidate", candidate_id=assessment.candidate_id, query=query)


FILE_TOO_BIG = N_("The file is larger than 200 kB; split the list.")
FILE_NOT_TEXT = N_("The file is not UTF-8 text; save it as CSV (UTF-8).")
NO_LIST = N_("Paste a list or choose a file.")


class BulkForm(BaseModel):
    """The bulk invitation form: the pasted list (or an uploaded CSV file beside it) and the invitations' terms."""

    text: str = Field("", max_length=200_000)
    language: str = Field("nl", max_length=8)
    expires_in_days: str = Field("14", max_length=20)
    feedback_to_candidate: bool = False
    candidate_names_referees: bool = False


def _bulk_page(
    hr: Hr,
    role: Role,
    values: dict[str, object],
    *,
    report: bulk.Report | None = None,
    errors: dict[str, str] | None = None,
    mail_states: Mapping[str, object] | None = None,
) -> Response:
    context = {
        "role": role,
        "values": values,
        "report": report,
        "errors": errors or {},
        "labels": labels,
        "mail_states": mail_states or {},
        "max_lines": bulk.MAX_LINES,
        # Without a mail server nothing is sent: the page says so before the list goes, and shows the links after.
        "mail_configured": mail.smtp_configured(hr.settings),
    }
    return hr.page("hr/candidates/bulk_invite.html", context, status_code=422 if errors else 200)


@router.get("/hr/roles/{role_id}/invite-list", name="hr_bulk_invite")
def bulk_invite_form(hr: AssessorHr, role_id: int) -> Response:
    """The form to invite a list of candidates for a role."""
    role = roles.get(hr.session, role_id)
    values = {"text": "", "language": role.language, "expires_in_days": 14, "feedback_to_candidate": True}
    return _bulk_page(hr, role, values)


@router.post("/hr/roles/{role_id}/invite-list", name="hr_bulk_invite_create")
def bulk_invite_create(
    hr: AssessorHr,
    soon: SendSoon,
    role_id: int,
    form: Annotated[BulkForm, Form()],
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Invite everyone on the pasted or uploaded list; report every line that was not invited and why."""
    role = roles.get(hr.session, role_id)
    text = form.text
    if upload is not None and upload.filename:
        raw = upload.file.read(bulk.MAX_FILE_BYTES + 1)
        problem = FILE_TOO_BIG if len(raw) > bulk.MAX_FILE_BYTES else None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            problem = problem or FILE_NOT_TEXT
        if problem is not None:
            return _bulk_page(hr, role, form.model_dump(), errors={"upload": problem})
    if not text.strip():
        return _bulk_page(hr, role, form.model_dump(), errors={"text": NO_LIST})
    try:
        report = bulk.invite_list(
            hr.session,
            link_settings(hr.request, hr.settings),
            role,
            text,
            actor=hr.actor,
            language=form.language,
            expires_at=_expiry(form.expires_in_days),
            feedback_to_candidate=form.feedback_to_candidate,
            candidate_names_referees=form.candidate_names_referees,
        )
    except Invalid as error:
        return _bulk_page(hr, role, form.model_dump(), errors=field_errors(error))
    if report.invited:
        soon.after_response()
    states = {invitation.assessment.id: invitation.mail for _person, invitation in report.invited}
    return _bulk_page(hr, role, form.model_dump() | {"text": ""}, report=report, mail_states=states)
