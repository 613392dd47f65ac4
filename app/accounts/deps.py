"""Who is signed in: Annotated dependencies that every HR route declares once in its signature.

Each guard carries the roles it admits in ``required_roles`` so tests (and readers) can tell from a
route's dependencies which roles may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.responses import RedirectResponse, Response

from app.accounts import sessions
from app.accounts.models import User, UserRole
from app.deps import SessionDep, SettingsDep
from app.errors import Forbidden
from app.urls import url_for

ALL_ROLES = frozenset(UserRole)


class LoginRequired(Exception):
    """Raised by the guards for an anonymous request; the handler sends people to the sign-in page."""


def _signed_in(request: Request, session: SessionDep, settings: SettingsDep) -> User:
    cached: User | None = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    user = sessions.resolve(session, request.cookies.get(sessions.cookie_name(settings)), settings)
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


def require_roles(*roles: UserRole) -> Callable[..., User]:
    """Build a dependency that admits an active user with one of roles (403 for the others)."""
    allowed = frozenset(roles)

    def guard(user: Annotated[User, Depends(_signed_in)]) -> User:
        if user.role not in allowed:
            raise Forbidden(f"this page needs the role {' or '.join(sorted(allowed))}; you are {user.role}")
        return user

    guard.required_roles = allowed  # type: ignore[attr-defined]
    return guard


current_user = require_roles(*UserRole)
assessor_user = require_roles(UserRole.ADMIN, UserRole.ASSESSOR)
admin_user = require_roles(UserRole.ADMIN)

CurrentUser = Annotated[User, Depends(current_user)]
AssessorUser = Annotated[User, Depends(assessor_user)]
AdminUser = Annotated[User, Depends(admin_user)]


def optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """Return the signed-in user, or None (for pages such as sign-in that anyone may see)."""
    try:
        return _signed_in(request, session, settings)
    except LoginRequired:
        return None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def login_redirect(request: Request, _exc: Exception) -> Response:
    """Send an anonymous visitor to the sign-in page, remembering where they wanted to go."""
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        # A form posted after the session ended: come back to the page the form was on.
        target = urlsplit(request.headers.get("referer", "")).path or "/hr"
    location = str(url_for(request, "hr_login").include_query_params(next=safe_next(target)))
    if request.headers.get("hx-request"):
        # htmx would swap a redirected page into a fragment; ask it to navigate instead.
        return Response(status_code=401, headers={"HX-Redirect": location, "Cache-Control": "no-store"})
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


def safe_next(target: str | None) -> str:
    """Return target when it is a path inside the HR workspace, else the HR start page (no open redirects)."""
    if target and target.startswith("/hr") and not target.startswith("//") and "\\" not in target:
        return target
    return "/hr"


def required_roles_of(dependant: Any) -> frozenset[UserRole] | None:
    """Return the roles a route's dependencies admit (the strictest guard wins), None for a public route."""
    found: frozenset[UserRole] | None = None
    stack = [dependant]
    while stack:
        current = stack.pop()
        roles = getattr(current.call, "required_roles", None)
        if roles is not None:
            found = roles if found is None else found & roles
        stack.extend(current.dependencies)
    return found
