"""The candidate names their own referees on their link (/t/{token}/referees), when HR allowed it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from app import i18n
from app.assessments.models import Assessment, AssessmentStatus
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict
from app.form_messages import detail_message, pydantic_message
from app.i18n import N_, translate
from app.referees import mail as referee_mail
from app.referees import named
from app.referees.models import RefereeCreate, RefereeStatus
from app.urls import link_settings, url_for
from app.web import csrf
from app.web.candidate import guessing
from app.web.candidate.http import PrivatePageRoute
from app.web.hr.invitations import deliver_soon
from app.web.templating import render

router = APIRouter(
    include_in_schema=False, route_class=PrivatePageRoute, dependencies=[Depends(guessing.guard), csrf.Protected]
)

Token = Annotated[str, Path()]

STATUS_LABELS = {
    RefereeStatus.INVITED: N_("invited, not answered yet"),
    RefereeStatus.STARTED: N_("started, not finished yet"),
    RefereeStatus.COMPLETED: N_("answered"),
    RefereeStatus.EXPIRED: N_("link expired"),
    RefereeStatus.REVOKED: N_("withdrawn: their link no longer works"),
}
OVERTAKEN = N_(
    "Your list changed after this form was shown (a second click, or another window). Check the list above and"
    " send the form again if this person is not on it."
)


CONFIRM_CONSENT = N_("Tick the box to confirm that you withdraw your consent.")
CONFIRM_REVOKE = N_("Tick the box to confirm that you withdraw this referee.")
ANSWERED = N_(
    "This referee has answered already, so there is no link left to withdraw. Their statement stays with the"
    " organisation."
)


class RefereeForm(BaseModel):
    """One referee as the candidate typed them; RefereeCreate checks every field and names the wrong one."""

    name: str = ""
    email: str = ""
    relation: str = ""
    period: str = ""
    language: str = "nl"
    agreed: bool = False
    form_key: int = Field(0, ge=0)


class ConfirmForm(BaseModel):
    """A withdrawal's confirmation box: nothing is withdrawn until it is ticked."""

    confirmed: bool = False


def _errors(error: ValidationError | Conflict) -> dict[str, str]:
    if isinstance(error, Conflict):
        field = str(error.extra.get("field") or "form")
        return {field: detail_message(error.detail.removeprefix(f"{field}: "))}
    found: dict[str, str] = {}
    for item in error.errors():
        found.setdefault(str(item["loc"][0]) if item.get("loc") else "form", pydantic_message(item))
    return found


def _page(
    request: Request,
    session: SessionDep,
    assessment: Assessment,
    token: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    withdraw_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    seen = named.naming(session, assessment)
    context = {
        "token": token,
        "assessment": assessment,
        "naming": seen,
        "status_labels": STATUS_LABELS,
        "revocable": named.REVOCABLE,
        "values": values or {"relation": "manager", "language": i18n.negotiate(request)},
        "errors": errors or {},
        "withdraw_errors": withdraw_errors or {},
    }
    return render(request, "candidate/referees.html", context, status_code=status_code)


def _found(request: Request, session: SessionDep, token: str) -> Assessment | Response:
    assessment = guessing.by_token(request, session, token)
    if assessment.status != AssessmentStatus.COMPLETED:
        # Referees are named after submitting: until then the link leads to the test itself.
        return RedirectResponse(url_for(request, "candidate_link", token=token), status_code=303)
    return assessment


@router.get("/t/{token}/referees", name="candidate_referees")
def referee_page(request: Request, session: SessionDep, token: Token) -> Response:
    """Show the referees the candidate named, their status (never their answers) and the form to name one."""
    found = _found(request, session, token)
    if isinstance(found, Response):
        return found
    return _page(request, session, found, token)


@router.post("/t/{token}/referees", name="candidate_referee_add")
def referee_add(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    token: Token,
    form: Annotated[RefereeForm, Form()],
) -> Response:
    """Name one referee: they get their personal link by e-mail; a form sent twice adds them once."""
    found = _found(request, session, token)
    if isinstance(found, Response):
        return found
    values = form.model_dump(exclude={"form_key"})
    try:
        data = RefereeCreate.model_validate(form.model_dump(exclude={"agreed", "form_key"}))
        added = named.name(session, found, data, agreed=form.agreed, form_key=form.form_key)
    except (ValidationError, Conflict) as error:
        errors = _errors(error)
        if not form.agreed and named.naming(session, found).consent is None:
            errors.setdefault("consent", detail_message(named.NO_CONSENT))  # every problem at once
        return _page(request, session, found, token, values=values, errors=errors, status_code=422)
    saved = url_for(request, "candidate_referees", token=token).include_query_params(saved="1")
    if added is None:
        if named.already_named(session, found, data.email):
            return RedirectResponse(saved, status_code=303)
        return _page(
            request, session, found, token, values=values, errors={"form": translate(OVERTAKEN)}, status_code=409
        )
    # The link in the mail follows the same address rule as every other link (app.urls.link_settings).
    referee_mail.send_link(session, link_settings(request, settings), added.referee, added.token)
    background.add_task(deliver_soon, request.app.state.engine, settings)
    return RedirectResponse(saved, status_code=303)


@router.post("/t/{token}/referees/consent/withdraw", name="candidate_referee_consent_withdraw")
def consent_withdraw(
    request: Request, session: SessionDep, token: Token, form: Annotated[ConfirmForm, Form()]
) -> Response:
    """Withdraw the consent that referees are contacted: every open referee link stops working."""
    found = _found(request, session, token)
    if isinstance(found, Response):
        return found
    if not form.confirmed:
        errors = {"consent": translate(CONFIRM_CONSENT)}
        return _page(request, session, found, token, withdraw_errors=errors, status_code=422)
    named.withdraw_consent(session, found)
    done = url_for(request, "candidate_referees", token=token).include_query_params(withdrawn="consent")
    return RedirectResponse(done, status_code=303)


@router.post("/t/{token}/referees/{referee_id}/withdraw", name="candidate_referee_withdraw")
def referee_withdraw(
    request: Request,
    session: SessionDep,
    token: Token,
    referee_id: Annotated[int, Path()],
    form: Annotated[ConfirmForm, Form()],
) -> Response:
    """Withdraw the link of a referee the candidate named; a second click changes nothing."""
    found = _found(request, session, token)
    if isinstance(found, Response):
        return found
    key = str(referee_id)
    if not form.confirmed:
        named.own(named.naming(session, found), referee_id)  # someone else's referee: 404, not a form error
        errors = {key: translate(CONFIRM_REVOKE)}
        return _page(request, session, found, token, withdraw_errors=errors, status_code=422)
    try:
        named.revoke(session, found, referee_id)
    except Conflict:
        return _page(request, session, found, token, withdraw_errors={key: translate(ANSWERED)}, status_code=409)
    done = url_for(request, "candidate_referees", token=token).include_query_params(withdrawn="referee")
    return RedirectResponse(done, status_code=303)
