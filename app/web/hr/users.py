"""User administration (admins only): create users with a role, change roles, deactivate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from app.accounts import service as accounts
from app.accounts.models import UserCreate, UserRole
from app.errors import Conflict, Invalid
from app.web.hr.common import ActiveForm, AdminHr, Hr, field_errors, validation_errors

router = APIRouter(include_in_schema=False)


class UserForm(BaseModel):
    """The new-user form as entered; UserCreate and the password rules check it."""

    email: str = Field("", max_length=320)
    role: str = Field("", max_length=16)
    password: str = Field("", max_length=1000)


class RoleChangeForm(BaseModel):
    """A user's new role as chosen."""

    role: UserRole


def _page(hr: Hr, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Response:
    context = {
        "users": accounts.list_users(hr.session),
        "roles": list(UserRole),
        "values": values or {"role": UserRole.ASSESSOR.value},
        "errors": errors or {},
    }
    return hr.page("hr/users.html", context, status_code=422 if errors else 200)


@router.get("/hr/users", name="hr_users")
def user_list(hr: AdminHr) -> Response:
    """List the HR users with their roles, and the form for a new one."""
    return _page(hr)


@router.post("/hr/users", name="hr_user_create")
def user_create(hr: AdminHr, form: Annotated[UserForm, Form()]) -> Response:
    """Create an HR user with a role and an initial password."""
    values = form.model_dump(exclude={"password"})
    try:
        accounts.check_password(form.password, user_inputs=[form.email])
        data = UserCreate.model_validate(form.model_dump())
        accounts.create_user(hr.session, data, actor=hr.actor, request_id=hr.request_id)
    except ValidationError as error:
        return _page(hr, values, validation_errors(error))
    except (Invalid, Conflict) as error:
        errors = field_errors(error)
        if "password" in errors:
            errors["password"] = accounts.password_message(error)  # translated in the page
        return _page(hr, values, errors)
    return hr.see_other("hr_users", query={"done": "created"})


@router.post("/hr/users/{user_id}/role", name="hr_user_role")
def user_role(hr: AdminHr, user_id: int, form: Annotated[RoleChangeForm, Form()]) -> Response:
    """Change a user's role; their sessions end so it applies at once."""
    target = accounts.get_user(hr.session, user_id)
    accounts.set_role(hr.session, target, form.role, actor=hr.actor)
    return hr.see_other("hr_users", query={"done": "role"})


@router.post("/hr/users/{user_id}/active", name="hr_user_active")
def user_active(hr: AdminHr, user_id: int, form: Annotated[ActiveForm, Form()]) -> Response:
    """Deactivate a user (signed out everywhere at once) or reactivate them."""
    target = accounts.get_user(hr.session, user_id)
    accounts.set_active(hr.session, target, form.active, actor=hr.actor)
    return hr.see_other("hr_users", query={"done": "active"})
