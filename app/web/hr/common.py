"""Helpers shared by the HR pages: the request as a route sees it (Hr: rendering with the HR context, redirects
after a POST, the audit-log name), the layout's navigation, form errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session
from starlette.routing import NoMatchFound

from app import i18n
from app.accounts import service as accounts
from app.accounts.deps import admin_user, assessor_user, current_user
from app.accounts.models import User, UserRole
from app.config import Settings
from app.deps import SessionDep, SettingsDep
from app.errors import DomainError
from app.form_messages import detail_message, pydantic_message
from app.i18n import N_
from app.labels import LABELS
from app.mail import organisation
from app.urls import url_for
from app.web.hr import oncelink
from app.web.templating import render

# Navigation of the HR layout: (route name, label). Entries whose route does not exist (yet) are left out.
NAV = (
    ("hr_home", N_("Pipeline")),
    ("hr_roles", N_("Roles")),
    ("hr_candidates", N_("Candidates")),
    ("hr_assessments", N_("Assessments")),
    ("hr_mentors", N_("Mentors")),
    ("hr_outbox", N_("Outbox")),
    ("hr_audit", N_("Audit log")),
    ("hr_users", N_("Users")),
    ("hr_api_keys", N_("API keys")),
    ("hr_webhooks", N_("Webhooks")),
    ("hr_organisation", N_("Organisation")),
)
ROLE_LABELS = LABELS["user_role"]
ADMIN_ONLY = frozenset({"hr_outbox", "hr_audit", "hr_users", "hr_api_keys", "hr_webhooks", "hr_organisation"})


class ActiveForm(BaseModel):
    """An enable/disable button: `active` is "true" to switch on; absent or "false" switches off."""

    active: bool = False


class PersonForm(BaseModel):
    """A person's name and e-mail address as entered (a mentor, a referee); the service's model checks them."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=320)


class NewLinkForm(BaseModel):
    """A resend button: how many days the new link works, as typed (letters or out of range: refused by name)."""

    expires_in_days: str = Field("14", max_length=20)


def nav_links(request: Request, user: User) -> list[tuple[str, str, str]]:
    """Return (name, url, label) of the HR sections this user may open."""
    links = []
    for name, label in NAV:
        if name in ADMIN_ONLY and user.role != UserRole.ADMIN:
            continue
        try:
            url = str(url_for(request, name))
        except NoMatchFound:
            continue
        links.append((name, url, label))
    return links


def field_errors(error: DomainError) -> dict[str, str]:
    """Turn a service's Invalid or Conflict into {field: message} for the form (the detail names the value).

    The field comes from the error; the detail's "field: " prefix is left off, since the form shows the
    message beside that field.
    """
    field = str(error.extra.get("field") or "form")
    return {field: detail_message(error.detail.removeprefix(f"{field}: "))}


def validation_errors(error: ValidationError) -> dict[str, str]:
    """Turn pydantic's errors into {field: message} for a form, in the reader's language (app.form_messages)."""
    errors: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item.get("loc") else "form"
        errors.setdefault(field, pydantic_message(item))
    return errors


def optional_url(request: Request, name: str, **params: Any) -> str | None:
    """Return the URL of a route another part of the workspace provides, or None while it does not exist."""
    try:
        return str(url_for(request, name, **params))
    except NoMatchFound:
        return None


@dataclass(frozen=True, slots=True)
class Hr:
    """One HR request as its route works with it, with the helpers that need more than one of its parts.

    Routes declare it as CurrentHr, AssessorHr or AdminHr (below) instead of the request, session, settings
    and user one by one.
    """

    request: Request
    session: Session
    settings: Settings
    user: User

    @property
    def actor(self) -> str:
        """The audit-log name of the signed-in user."""
        return accounts.actor_of(self.user)

    @property
    def lang(self) -> str:
        """The language the page is shown in."""
        return i18n.negotiate(self.request)

    @property
    def request_id(self) -> str | None:
        """The id the request is logged under (app.middleware), for the audit log."""
        return getattr(self.request.state, "request_id", None)

    def page(self, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200) -> Response:
        """Render an HR page with the signed-in user, their rights, the navigation and the organisation's logo."""
        user = self.user
        full = {
            "brand": organisation.brand(self.session),
            "user": user,
            "can_edit": user.role in (UserRole.ADMIN, UserRole.ASSESSOR),
            "is_admin": user.role == UserRole.ADMIN,
            "nav": nav_links(self.request, user),
            "role_labels": ROLE_LABELS,
            **(context or {}),
        }
        return render(self.request, template, full, status_code=status_code)

    def see_other(self, name: str, *, query: dict[str, Any] | None = None, **params: Any) -> RedirectResponse:
        """Redirect (303) to a named route after a successful POST, with the query parameters in ``query``."""
        url = url_for(self.request, name, **params)
        if query:
            url = url.include_query_params(**query)
        return RedirectResponse(str(url), status_code=303)

    def see_other_with_link(
        self, link: str, name: str, *, query: dict[str, Any] | None = None, **params: Any
    ) -> RedirectResponse:
        """Redirect (303) to a named route after a POST that made a link; that page shows the link once."""
        response = self.see_other(name, query=query, **params)
        oncelink.give(self.request, response, link, path=url_for(self.request, name, **params).path)
        return response


def secret_page(
    hr: Hr,
    template: str,
    context: dict[str, Any],
    *,
    secret: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    """Render an admin page with a just-created secret shown once, or the form's errors (422)."""
    full = {**context, "secret": secret, "errors": errors or {}}
    return hr.page(template, full, status_code=422 if errors else 200)


def _hr_for(guard: Callable[..., User]) -> Callable[..., Coroutine[Any, Any, Hr]]:
    # The guard goes in as a default: an annotation naming it could not be resolved outside this function.
    async def hr(request: Request, session: SessionDep, settings: SettingsDep, user: User = Depends(guard)) -> Hr:
        return Hr(request, session, settings, user)

    return hr


# What HR routes declare, by who may use them (the guards of app.accounts.deps: any role, assessors and admins,
# admins only). Async, so building it costs no thread hop; its parts are the request's own cached dependencies.
CurrentHr = Annotated[Hr, Depends(_hr_for(current_user))]
AssessorHr = Annotated[Hr, Depends(_hr_for(assessor_user))]
AdminHr = Annotated[Hr, Depends(_hr_for(admin_user))]
