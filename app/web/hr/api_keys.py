"""Admin pages for API keys: list with last use, create (the key is shown once), revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.accounts.deps import AdminUser
from app.apikeys import service as apikeys
from app.apikeys.models import ApiScope
from app.deps import SessionDep
from app.errors import Invalid
from app.web.hr.common import field_errors, secret_page, see_other

router = APIRouter(include_in_schema=False)
SCOPES = [str(s) for s in ApiScope]


class ApiKeyForm(BaseModel):
    """The new-key form as entered; the service checks the name and the scopes."""

    name: str = Field("", max_length=200)
    scopes: list[str] = Field(default_factory=list, max_length=10)


def _render(request: Request, session: SessionDep, user: AdminUser, **shown: Any) -> Response:
    context = {"keys": apikeys.list_keys(session), "scopes": SCOPES}
    return secret_page(request, user, "hr/admin/api_keys.html", context, **shown)


@router.get("/hr/admin/api-keys", name="hr_api_keys")
def api_keys(request: Request, session: SessionDep, user: AdminUser) -> Response:
    """List the API keys with their scopes and last use."""
    return _render(request, session, user)


@router.post("/hr/admin/api-keys", name="hr_api_key_create")
def create_api_key(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    form: Annotated[ApiKeyForm, Form()],
) -> Response:
    """Create a key and show it once (answered directly, never through a redirect or URL)."""
    try:
        _key, secret = apikeys.create_key(session, name=form.name, scopes=form.scopes, actor=f"user:{user.id}")
    except Invalid as error:
        return _render(request, session, user, errors=field_errors(error))
    session.commit()  # the key is shown only once it is stored
    return _render(request, session, user, secret=secret)


@router.post("/hr/admin/api-keys/{key_id}/revoke", name="hr_api_key_revoke")
def revoke_api_key(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    key_id: int,
) -> Response:
    """Revoke a key: it stops working at once."""
    apikeys.revoke(session, apikeys.get_key(session, key_id), actor=f"user:{user.id}")
    return see_other(request, "hr_api_keys")
