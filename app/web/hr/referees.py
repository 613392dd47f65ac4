"""Referees of a candidate in the HR workspace: consent, add (link shown once), revoke, resend, read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from app.assessments.models import AssessmentStatus
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.errors import Conflict, Invalid
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import RefereeCreate, RefereeStatus
from app.urls import link_settings
from app.web.hr import labels, oncelink
from app.web.hr.common import AssessorHr, CurrentHr, Hr, NewLinkForm, PersonForm, field_errors, validation_errors
from app.web.hr.invitations import SendSoon, _expiry

router = APIRouter(include_in_schema=False)


def _page(
    hr: Hr,
    candidate: Candidate,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    resend: dict[str, Any] | None = None,
) -> Response:
    """Render the referee page; ``resend`` is a refused new link's {referee_id, value, error}, shown in its row."""
    assert candidate.id is not None
    session = hr.session
    rows = referees.list_for(session, candidate.id)
    statements = {
        row.referee.id: referees.statement(session, row.assessment, hr.lang)
        for row in rows
        if row.assessment is not None and row.assessment.status == AssessmentStatus.COMPLETED
    }
    context = {
        "candidate": candidate,
        "consent": referees.consent_of(session, candidate.id),
        # When the candidate (or HR for them) withdrew it: the page says so, with the date, until it is given again.
        "consent_withdrawn_at": referees.consent_withdrawn_at(session, candidate.id),
        "rows": rows,
        "statements": statements,
        "reminders": referee_mail.reminder_states(session, [row.assessment.id for row in rows if row.assessment]),
        "labels": labels,
        "active": sum(1 for row in rows if row.status != RefereeStatus.REVOKED),
        "most": referees.MAX_REFEREES,
        "values": values
        or {"relation": "manager", "language": candidate.language, "expires_in_days": 14, "send": True},
        "errors": errors or {},
        "resend": resend,
        "new_link": oncelink.take(hr.request),
    }
    response = hr.page("hr/referees.html", context, status_code=422 if errors or resend else 200)
    oncelink.forget(hr.request, response)
    return response


@router.get("/hr/candidates/{candidate_id}/referees", name="hr_referees")
def referee_list(hr: CurrentHr, candidate_id: int) -> Response:
    """Show the candidate's referees with their status and statements, and the forms to add one."""
    candidate = candidates.get(hr.session, candidate_id)
    audit.record(hr.session, candidate, actor=hr.actor, action="referees.viewed")
    return _page(hr, candidate)


class ConsentForm(BaseModel):
    """The consent box: ticked once the candidate has agreed that referees are contacted."""

    agreed: bool = False


@router.post("/hr/candidates/{candidate_id}/referees/consent", name="hr_referee_consent")
def referee_consent(hr: AssessorHr, candidate_id: int, form: Annotated[ConsentForm, Form()]) -> Response:
    """Record that the candidate agreed that referees are contacted."""
    candidate = candidates.get(hr.session, candidate_id)
    if not form.agreed:
        errors = {"agreed": "tick the box once the candidate has agreed"}
        return _page(hr, candidate, errors=errors)
    referees.record_consent(hr.session, candidate, actor=hr.actor)
    return hr.see_other("hr_referees", candidate_id=candidate_id)


@router.post("/hr/candidates/{candidate_id}/referees/consent/withdraw", name="hr_referee_consent_withdraw")
def referee_consent_withdraw(hr: AssessorHr, candidate_id: int) -> Response:
    """Record that the candidate withdrew consent; open referee links stop working at once."""
    referees.withdraw_consent(hr.session, candidates.get(hr.session, candidate_id), actor=hr.actor)
    return hr.see_other("hr_referees", candidate_id=candidate_id, query={"withdrawn": "1"})


class RefereeForm(PersonForm, NewLinkForm):
    """The add-a-referee form as entered (RefereeCreate checks the referee's fields) and the new link's terms."""

    relation: str = Field("", max_length=16)
    period: str = Field("", max_length=100)
    language: str = Field("nl", max_length=8)
    send: bool = False


@router.post("/hr/candidates/{candidate_id}/referees", name="hr_referee_add")
def referee_add(hr: AssessorHr, soon: SendSoon, candidate_id: int, form: Annotated[RefereeForm, Form()]) -> Response:
    """Add a referee with a personal link, shown once and optionally e-mailed; the candidate must have agreed."""
    session, settings = hr.session, link_settings(hr.request, hr.settings)
    candidate = candidates.get(session, candidate_id)
    values = form.model_dump()
    try:
        data = RefereeCreate.model_validate(form.model_dump(exclude={"expires_in_days", "send"}))
        added = referees.add(session, candidate, data, actor=hr.actor, expires_at=_expiry(form.expires_in_days))
    except ValidationError as error:
        return _page(hr, candidate, values=values, errors=validation_errors(error))
    except (Invalid, Conflict) as error:
        return _page(hr, candidate, values=values, errors=field_errors(error))
    if form.send:
        referee_mail.send_link(session, settings, added.referee, added.token)
        soon.after_response()
    link = referees.link(settings, added.token)
    query = {"mailed": "1"} if form.send else {}
    return hr.see_other_with_link(link, "hr_referees", candidate_id=candidate_id, query=query)


@router.post("/hr/referees/{referee_id}/revoke", name="hr_referee_revoke")
def referee_revoke(hr: AssessorHr, referee_id: int) -> Response:
    """Withdraw a referee's link; it stops working at once."""
    referee = referees.get(hr.session, referee_id)
    referees.revoke(hr.session, referee, actor=hr.actor)
    return hr.see_other("hr_referees", candidate_id=referee.candidate_id)


@router.post("/hr/referees/{referee_id}/resend", name="hr_referee_resend")
def referee_resend(hr: AssessorHr, soon: SendSoon, referee_id: int, form: Annotated[NewLinkForm, Form()]) -> Response:
    """Give the referee a new link (the old one stops working), e-mail it and show it once."""
    session, settings = hr.session, link_settings(hr.request, hr.settings)
    referee = referees.get(session, referee_id)
    try:
        expires_at = _expiry(form.expires_in_days)
    except Invalid as error:
        # The referee page again, the days as typed in that referee's row with the message beside them.
        refused = {
            "referee_id": referee.id,
            "value": form.expires_in_days,
            "error": field_errors(error)["expires_in_days"],
        }
        return _page(hr, candidates.get(session, referee.candidate_id), resend=refused)
    token = referees.resend(session, referee, actor=hr.actor, expires_at=expires_at)
    referee_mail.send_link(session, settings, referee, token)
    soon.after_response()
    link = referees.link(settings, token)
    return hr.see_other_with_link(link, "hr_referees", candidate_id=referee.candidate_id, query={"mailed": "1"})
