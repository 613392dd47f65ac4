"""The candidate names their own referees on their link (/t/{token}/referees), when HR allowed it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

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


@dataclass(frozen=True, slots=True)
class RefereesPage:
    """One request on the candidate's referee page (/t/{token}/referees): the request, the session and the token.

    Routes declare it as Page instead of the three one by one.
    """

    request: Request
    session: Session
    token: str

    def found(self) -> Assessment | Response:
        """Return the link's assessment, or the way back to the test while it is not submitted."""
        assessment = guessing.by_token(self.request, self.session, self.token)
        if assessment.status != AssessmentStatus.COMPLETED:
            # Referees are named after submitting: until then the link leads to the test itself.
            return RedirectResponse(url_for(self.request, "candidate_link", token=self.token), status_code=303)
        return assessment

    def show(
        self,
        assessment: Assessment,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        withdraw_errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        """Render the page: the referees named, their status and the form to name one."""
        seen = named.naming(self.session, assessment)
        context = {
            "token": self.token,
            "assessment": assessment,
            "naming": seen,
            "status_labels": STATUS_LABELS,
            "revocable": named.REVOCABLE,
            "values": values or {"relation": "manager", "language": i18n.negotiate(self.request)},
            "errors": errors or {},
            "withdraw_errors": withdraw_errors or {},
        }
        return render(self.request, "candidate/referees.html", context, status_code=status_code)

    def back(self, **query: str) -> Response:
        """Return to the page after a POST (303), with query saying what was done."""
        done = url_for(self.request, "candidate_referees", token=self.token).include_query_params(**query)
        return RedirectResponse(done, status_code=303)


def _referees_page(request: Request, session: SessionDep, token: Token) -> RefereesPage:
    return RefereesPage(request, session, token)


Page = Annotated[RefereesPage, Depends(_referees_page)]


@router.get("/t/{token}/referees", name="candidate_referees")
def referee_page(page: Page) -> Response:
    """Show the referees the candidate named, their status (never their answers) and the form to name one."""
    found = page.found()
    if isinstance(found, Response):
        return found
    return page.show(found)


@router.post("/t/{token}/referees", name="candidate_referee_add")
def referee_add(
    page: Page, settings: SettingsDep, background: BackgroundTasks, form: Annotated[RefereeForm, Form()]
) -> Response:
    """Name one referee: they get their personal link by e-mail; a form sent twice adds them once."""
    request, session = page.request, page.session
    found = page.found()
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
        return page.show(found, values=values, errors=errors, status_code=422)
    if added is None:
        if named.already_named(session, found, data.email):
            return page.back(saved="1")
        return page.show(found, values=values, errors={"form": translate(OVERTAKEN)}, status_code=409)
    # The link in the mail follows the same address rule as every other link (app.urls.link_settings).
    referee_mail.send_link(session, link_settings(request, settings), added.referee, added.token)
    background.add_task(deliver_soon, request.app.state.engine, settings)
    return page.back(saved="1")


@router.post("/t/{token}/referees/consent/withdraw", name="candidate_referee_consent_withdraw")
def consent_withdraw(page: Page, form: Annotated[ConfirmForm, Form()]) -> Response:
    """Withdraw the consent that referees are contacted: every open referee link stops working."""
    found = page.found()
    if isinstance(found, Response):
        return found
    if not form.confirmed:
        errors = {"consent": translate(CONFIRM_CONSENT)}
        return page.show(found, withdraw_errors=errors, status_code=422)
    named.withdraw_consent(page.session, found)
    return page.back(withdrawn="consent")


@router.post("/t/{token}/referees/{referee_id}/withdraw", name="candidate_referee_withdraw")
def referee_withdraw(page: Page, referee_id: Annotated[int, Path()], form: Annotated[ConfirmForm, Form()]) -> Response:
    """Withdraw the link of a referee the candidate named; a second click changes nothing."""
    found = page.found()
    if isinstance(found, Response):
        return found
    key = str(referee_id)
    if not form.confirmed:
        named.own(named.naming(page.session, found), referee_id)  # someone else's referee: 404, not a form error
        errors = {key: translate(CONFIRM_REVOKE)}
        return page.show(found, withdraw_errors=errors, status_code=422)
    try:
        named.revoke(page.session, found, referee_id)
    except Conflict:
        return page.show(found, withdraw_errors={key: translate(ANSWERED)}, status_code=409)
    return page.back(withdrawn="referee")
