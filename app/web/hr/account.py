"""The signed-in user's own account: change the password (the current one is required)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.accounts import service as accounts
from app.accounts import sessions
from app.errors import Invalid
from app.i18n import N_
from app.web.hr.common import CurrentHr, Hr

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


def _form(hr: Hr, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return hr.page("hr/password.html", {"errors": errors or {}}, status_code=status_code)


@router.get("/hr/account/password", name="hr_password")
def password_form(hr: CurrentHr) -> Response:
    """Show the form that changes your own password."""
    return _form(hr)


@router.post("/hr/account/password", name="hr_password_change")
def password_change(hr: CurrentHr, form: Annotated[PasswordForm, Form()]) -> Response:
    """Change your own password; your other sessions (other browsers, devices) end at once."""
    problems = accounts.change_password(
        hr.session,
        hr.user,
        current=form.current_password,
        new=form.password,
        confirmation=form.password_confirm,
        keep_session=hr.request.cookies.get(sessions.cookie_name(hr.settings)),
    )
    if problems:
        # Every refused field at once (a wrong current password and a short new one), each beside its field.
        errors = {str(error.extra["field"]): _message(error) for error in problems}
        return _form(hr, errors, status_code=422)
    return hr.see_other("hr_password", query={"done": "changed"})


def _message(error: Invalid) -> str:
    return MESSAGES.get(str(error.extra.get("reason"))) or accounts.password_message(error)
