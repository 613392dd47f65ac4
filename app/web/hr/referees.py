"""Referees of a candidate in the HR workspace: consent, add (link shown once), revoke, resend, read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app import i18n
from app.accounts.deps import AssessorUser, CurrentUser
from app.accounts.models import User
from app.assessments.models import AssessmentStatus
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Invalid
from app.i18n import N_
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import NamedBy, Referee, RefereeCreate, RefereeStatus, Relation
from app.web.hr import oncelink
from app.web.hr.common import actor, field_errors, page, see_other, validation_errors
from app.web.hr.invitations import _expiry, deliver_soon

router = APIRouter(include_in_schema=False)

RELATION_LABELS = {Relation.MANAGER: N_("Manager"), Relation.COLLEAGUE: N_("Colleague"), Relation.CLIENT: N_("Client")}
STATUS_LABELS = {
    RefereeStatus.INVITED: N_("invited"),
    RefereeStatus.STARTED: N_("started"),
    RefereeStatus.COMPLETED: N_("completed"),
    RefereeStatus.EXPIRED: N_("expired"),
    RefereeStatus.REVOKED: N_("revoked"),
}
NAMED_BY_LABELS = {NamedBy.HR: N_("HR"), NamedBy.CANDIDATE: N_("the candidate")}
Text200 = Annotated[str, Form(max_length=200)]


def _page(
    request: Request,
    session: SessionDep,
    user: User,
    candidate: Candidate,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    assert candidate.id is not None
    lang = i18n.negotiate(request)
    rows = referees.list_for(session, candidate.id)
    statements = {
        row.referee.id: referees.statement(session, row.assessment, lang)
        for row in rows
        if row.assessment is not None and row.assessment.status == AssessmentStatus.COMPLETED
    }
    context = {
        "candidate": candidate,
        "consent": referees.consent_of(session, candidate.id),
        "rows": rows,
        "statements": statements,
        "active": sum(1 for row in rows if row.status != RefereeStatus.REVOKED),
        "most": referees.MAX_REFEREES,
        "relation_labels": RELATION_LABELS,
        "status_labels": STATUS_LABELS,
        "named_by_labels": NAMED_BY_LABELS,
        "values": values
        or {"relation": "manager", "language": candidate.language, "expires_in_days": 14, "send": True},
        "errors": errors or {},
        "new_link": oncelink.take(request),
    }
    response = page(request, user, "hr/referees.html", context, status_code=422 if errors else 200)
    oncelink.forget(request, response)
    return response


@router.get("/hr/candidates/{candidate_id}/referees", name="hr_referees")
def referee_list(request: Request, session: SessionDep, user: CurrentUser, candidate_id: int) -> Response:
    """Show the candidate's referees with their status and statements, and the forms to add one."""
    candidate = candidates.get(session, candidate_id)
    audit.record(session, actor=actor(user), action="referees.viewed", object_type="candidate", object_id=candidate_id)
    return _page(request, session, user, candidate)


@router.post("/hr/candidates/{candidate_id}/referees/consent", name="hr_referee_consent")
def referee_consent(
    request: Request,
    session: SessionDep,
    user: AssessorUser,
    candidate_id: int,
    agreed: Annotated[bool, Form()] = False,
) -> Response:
    """Record that the candidate agreed that referees are contacted."""
    candidate = candidates.get(session, candidate_id)
    if not agreed:
        errors = {"agreed": "tick the box once the candidate has agreed"}
        return _page(request, session, user, candidate, errors=errors)
    referees.record_consent(session, candidate, actor=actor(user))
    return see_other(request, "hr_referees", candidate_id=candidate_id)


@router.post("/hr/candidates/{candidate_id}/referees/consent/withdraw", name="hr_referee_consent_withdraw")
def referee_consent_withdraw(request: Request, session: SessionDep, user: AssessorUser, candidate_id: int) -> Response:
    """Record that the candidate withdrew consent; open referee links stop working at once."""
    referees.withdraw_consent(session, candidates.get(session, candidate_id), actor=actor(user))
    return see_other(request, "hr_referees", candidate_id=candidate_id, query={"withdrawn": "1"})


def _link_path(request: Request, candidate_id: int) -> str:
    return request.url_for("hr_referees", candidate_id=candidate_id).path


@router.post("/hr/candidates/{candidate_id}/referees", name="hr_referee_add")
def referee_add(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: AssessorUser,
    background: BackgroundTasks,
    candidate_id: int,
    name: Text200 = "",
    email: Annotated[str, Form(max_length=320)] = "",
    relation: Annotated[str, Form(max_length=16)] = "",
    period: Annotated[str, Form(max_length=100)] = "",
    language: Annotated[str, Form(max_length=8)] = "nl",
    expires_in_days: Annotated[int, Form(ge=-10_000, le=10_000)] = 14,
    send: Annotated[bool, Form()] = False,
) -> Response:
    """Add a referee with a personal link, shown once and optionally e-mailed; the candidate must have agreed."""
    candidate = candidates.get(session, candidate_id)
    values = {
        "name": name,
        "email": email,
        "relation": relation,
        "period": period,
        "language": language,
        "expires_in_days": expires_in_days,
        "send": send,
    }
    try:
        data = RefereeCreate.model_validate({k: v for k, v in values.items() if k not in ("expires_in_days", "send")})
        added = referees.add(session, candidate, data, actor=actor(user), expires_at=_expiry(expires_in_days))
    except ValidationError as error:
        return _page(request, session, user, candidate, values=values, errors=validation_errors(error))
    except (Invalid, Conflict) as error:
        return _page(request, session, user, candidate, values=values, errors=field_errors(error))
    if send:
        _mail(request, session, settings, background, added.referee, added.token)
    response = see_other(request, "hr_referees", candidate_id=candidate_id, query={"mailed": "1"} if send else {})
    oncelink.give(request, response, referees.link(settings, added.token), path=_link_path(request, candidate_id))
    return response


def _mail(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    referee: Referee,
    token: str,
) -> None:
    referee_mail.send_link(session, settings, referee, token)
    background.add_task(deliver_soon, request.app.state.engine, settings)


@router.post("/hr/referees/{referee_id}/revoke", name="hr_referee_revoke")
def referee_revoke(request: Request, session: SessionDep, user: AssessorUser, referee_id: int) -> Response:
    """Withdraw a referee's link; it stops working at once."""
    referee = referees.get(session, referee_id)
    referees.revoke(session, referee, actor=actor(user))
    return see_other(request, "hr_referees", candidate_id=referee.candidate_id)


@router.post("/hr/referees/{referee_id}/resend", name="hr_referee_resend")
def referee_resend(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: AssessorUser,
    background: BackgroundTasks,
    referee_id: int,
    expires_in_days: Annotated[int, Form(ge=-10_000, le=10_000)] = 14,
) -> Response:
    """Give the referee a new link (the old one stops working), e-mail it and show it once."""
    referee = referees.get(session, referee_id)
    token = referees.resend(session, referee, actor=actor(user), expires_at=_expiry(expires_in_days))
    _mail(request, session, settings, background, referee, token)
    response = see_other(request, "hr_referees", candidate_id=referee.candidate_id, query={"mailed": "1"})
    oncelink.give(request, response, referees.link(settings, token), path=_link_path(request, referee.candidate_id))
    return response
