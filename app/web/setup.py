"""The one-time setup page that creates the first admin; it exists only while no user exists.

It opens only with the setup token that `make run` / `touchstone serve` print on the console, so a fresh
instance does not belong to whoever reaches it first.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from app import startup
from app.accounts import service as accounts
from app.accounts.models import UserCreate, UserRole
from app.audit.service import SYSTEM
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.i18n import N_
from app.urls import url_for
from app.web import csrf
from app.web.hr.auth import Credentials, sign_in
from app.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[csrf.Protected])

# Shown in the page's language; the service's English detail stays in the logs and the API.
EMAIL_MESSAGE = N_("Enter a valid e-mail address.")
TOKEN_MESSAGE = N_(
    "Open the setup address that `make run` or `touchstone serve` printed on the console: "
    "it carries the one-time setup token."
)


def _require_no_users(session: SessionDep) -> None:
    if accounts.count_users(session):
        raise NotFound("Setup is finished: an administrator already exists.")


def _require_token(settings: SettingsDep, token: str) -> None:
    if not secrets.compare_digest(token.encode(), startup.setup_token(settings).encode()):
        raise Forbidden(TOKEN_MESSAGE)


@router.get("/setup", name="setup")
def setup_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """Show the form that creates the first administrator (with the one-time setup token only)."""
    _require_no_users(session)
    _require_token(settings, token)
    return render(request, "setup.html", {"email": "", "errors": {}, "token": token})


class SetupForm(Credentials):
    """The first administrator's form as entered."""

    password_confirm: str = Field("", max_length=1000)
    setup_token: str = Field("", max_length=100)


@router.post("/setup", name="setup_submit")
def setup_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[SetupForm, Form()],
) -> Response:
    """Create the first administrator, sign them in and continue to the HR workspace."""
    _require_no_users(session)
    _require_token(settings, form.setup_token)
    problems = accounts.password_problems(form.password, form.password_confirm, user_inputs=[form.email])
    if problems:
        # Every refused field at once (a short password and a differing confirmation), each beside its field.
        errors = {str(error.extra["field"]): accounts.password_message(error) for error in problems}
        context = {"email": form.email, "errors": errors, "token": form.setup_token}
        return render(request, "setup.html", context, status_code=problems[0].status)
    try:
        user = accounts.create_user(
            session,
            UserCreate(email=form.email, password=form.password, role=UserRole.ADMIN),
            actor=SYSTEM,
            request_id=getattr(request.state, "request_id", None),
        )
    except (Invalid, Conflict) as error:
        field = str(error.extra.get("field", "email"))
        message = accounts.password_message(error) if field.startswith("password") else EMAIL_MESSAGE
        context = {"email": form.email, "errors": {field: message}, "token": form.setup_token}
        return render(request, "setup.html", context, status_code=error.status)
    response = RedirectResponse(url_for(request, "hr_home").include_query_params(setup="done"), status_code=303)
    sign_in(session, settings, user, response)
    return response
