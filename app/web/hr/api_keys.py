"""Admin pages for API keys: list with last use, create (the key is shown once), revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.apikeys import service as apikeys
from app.apikeys.models import ApiScope
from app.errors import Invalid
from app.web.hr.common import AdminHr, Hr, field_errors, secret_page

router = APIRouter(include_in_schema=False)
SCOPES = [str(s) for s in ApiScope]


class ApiKeyForm(BaseModel):
    """The new-key form as entered; the service checks the name and the scopes."""

    name: str = Field("", max_length=200)
    scopes: list[str] = Field(default_factory=list, max_length=10)


def _render(hr: Hr, form: ApiKeyForm | None = None, **shown: Any) -> Response:
    context = {"keys": apikeys.list_keys(hr.session), "scopes": SCOPES, "form": form or ApiKeyForm()}
    return secret_page(hr, "hr/admin/api_keys.html", context, **shown)


@router.get("/hr/admin/api-keys", name="hr_api_keys")
def api_keys(hr: AdminHr) -> Response:
    """List the API keys with their scopes and last use."""
    return _render(hr)


@router.post("/hr/admin/api-keys", name="hr_api_key_create")
def create_api_key(hr: AdminHr, form: Annotated[ApiKeyForm, Form()]) -> Response:
    """Create a key and show it once (answered directly, never through a redirect or URL)."""
    try:
        _key, secret = apikeys.create_key(hr.session, name=form.name, scopes=form.scopes, actor=hr.actor)
    except Invalid as error:
        return _render(hr, form, errors=field_errors(error))  # keep what was typed and ticked
    hr.session.commit()  # the key is shown only once it is stored
    return _render(hr, secret=secret)


@router.post("/hr/admin/api-keys/{key_id}/revoke", name="hr_api_key_revoke")
def revoke_api_key(hr: AdminHr, key_id: int) -> Response:
    """Revoke a key: it stops working at once."""
    apikeys.revoke(hr.session, apikeys.get_key(hr.session, key_id), actor=hr.actor)
    return hr.see_other("hr_api_keys")
