"""The one-time setup page that creates the first admin; it exists only while no user exists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import service as accounts
from app.accounts.models import UserCreate, UserRole
from app.audit.service import SYSTEM
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Invalid, NotFound
from app.i18n import N_
from app.web import csrf
from app.web.hr.auth import sign_in
from app.web.templating import render

router = APIRouter(include_in_schema=False)

# Shown in the page's language; the service's English detail stays in the logs and the API.
FIELD_MESSAGES = {
    "email": N_("Enter a valid e-mail address."),
    "password": N_("Use a password of at least 12 characters."),
    "password_confirm": N_("The two passwords differ."),
}


def _require_no_users(session: SessionDep) -> None:
    if accounts.count_users(session):
        raise NotFound("Setup is finished: an administrator already exists.")


@router.get("/setup", name="setup")
def setup_form(request: Request, session: SessionDep) -> Response:
    """Show the form that creates the first administrator."""
    _require_no_users(session)
    return render(request, "setup.html", {"email": "", "errors": {}})


@router.post("/setup", name="setup_submit")
def setup_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    password_confirm: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Create the first administrator, sign them in and continue to the HR workspace."""
    csrf.verify(request, csrf_token)
    _require_no_users(session)
    try:
        accounts.check_password(password, password_confirm)
        user = accounts.create_user(
            session,
            UserCreate(email=email, password=password, role=UserRole.ADMIN),
            actor=SYSTEM,
            request_id=getattr(request.state, "request_id", None),
        )
    except (Invalid, Conflict) as error:
        field = str(error.extra.get("field", "email"))
        errors = {field: FIELD_MESSAGES.get(field, FIELD_MESSAGES["email"])}
        return render(request, "setup.html", {"email": email, "errors": errors}, status_code=error.status)
    response = RedirectResponse(request.url_for("hr_home").include_query_params(setup="done"), status_code=303)
    sign_in(session, settings, user, response)
    return response
