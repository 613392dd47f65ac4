"""The signed-in user's own account: change the password (the current one is required)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.deps import SessionDep, SettingsDep
from app.errors import Invalid
from app.i18n import N_
from app.web.hr.common import page, see_other

router = APIRouter(include_in_schema=False)


class PasswordForm(BaseModel):
    """The change-password form as entered; the account service checks it."""

    current_password: str = Field("", max_length=1000)
    password: str = Field("", max_length=1000)
    password_confirm: str = Field("", max_length=1000)


# Reasons of app.accounts.service.change_password beyond those of check_password.
MESSAGES = {
    "wrong": N_("The current password is not right."),
    "same": N_("Choose a new password, not the current one."),
}


def _form(request: Request, user: User, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return page(request, user, "hr/password.html", {"errors": errors or {}}, status_code=status_code)


@router.get("/hr/account/password", name="hr_password")
def password_form(request: Request, user: CurrentUser) -> Response:
    """Show the form that changes your own password."""
    return _form(request, user)


@router.post("/hr/account/password", name="hr_password_change")
def password_change(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    form: Annotated[PasswordForm, Form()],
) -> Response:
    """Change your own password; your other sessions (other browsers, devices) end at once."""
    try:
        accounts.change_password(
            session,
            user,
            current=form.current_password,
            new=form.password,
            confirmation=form.password_confirm,
            keep_session=request.cookies.get(sessions.cookie_name(settings)),
        )
    except Invalid as error:
        reason = str(error.extra.get("reason"))
        message = MESSAGES.get(reason) or accounts.password_message(error)
        return _form(request, user, {str(error.extra.get("field", "password")): message}, status_code=422)
    return see_other(request, "hr_password", query={"done": "changed"})
