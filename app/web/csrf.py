"""CSRF protection for forms: a signed double-submit token bound to the HR session.

The cookie holds a random nonce; the form holds HMAC(secret_key, nonce + the session cookie's hash).
Another site can make the browser send the cookie, but cannot read it nor compute the matching form
value without the secret. Binding to the session means that a nonce cookie planted from a sibling
subdomain, with a token its planter obtained, is worthless against a signed-in victim; in production the
cookie is also __Host- prefixed, which browsers refuse to take from any other host.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from app import cookies
from app.accounts import sessions
from app.accounts.deps import LoginRequired, required_roles_of
from app.config import Settings
from app.errors import Forbidden
from app.i18n import N_

COOKIE = "touchstone_csrf"
FIELD = "csrf_token"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Shown in the reader's language (app.problems.localised): the catalogues hold it.
EXPIRED = N_("The form expired or came from another site. Reload the page and try again.")
_KEEPS_INPUT = "_csrf_keeps_input"
Route = TypeVar("Route", bound=Callable[..., Any])


def cookie_name(settings: Settings) -> str:
    """Return the nonce cookie's name: __Host- prefixed whenever it is Secure (an https site)."""
    return f"__Host-{COOKIE}" if cookies.served_over_https(settings) else COOKIE


def _secret(request: Request) -> bytes:
    return str(request.app.state.settings.secret_key).encode()


def _session_binding(request: Request) -> str:
    # The hash of the HR session cookie (empty before sign-in): a token made for one session fails in another.
    token = request.cookies.get(sessions.cookie_name(request.app.state.settings))
    return sessions.hash_token(token) if token and len(token) <= 200 else ""


def _sign(request: Request, nonce: str) -> str:
    message = f"csrf:{nonce}:{_session_binding(request)}".encode()
    return hmac.new(_secret(request), message, hashlib.sha256).hexdigest()


def _nonce(request: Request) -> str:
    nonce: str | None = getattr(request.state, "csrf_nonce", None)
    if nonce is None:
        cookie = request.cookies.get(cookie_name(request.app.state.settings), "")
        if _NONCE.match(cookie):
            nonce = cookie
        else:
            nonce = secrets.token_urlsafe(32)
            request.state.csrf_new = True
        request.state.csrf_nonce = nonce
    return nonce


def form_token(request: Request) -> str:
    """Return the value for the form's hidden csrf_token field."""
    return _sign(request, _nonce(request))


def set_cookie(request: Request, response: Response) -> None:
    """Send the nonce cookie when this request created one."""
    if getattr(request.state, "csrf_new", False):
        settings = request.app.state.settings
        secure = cookies.served_over_https(settings)
        name = cookie_name(settings)
        response.set_cookie(name, _nonce(request), path="/", httponly=True, samesite="strict", secure=secure)


def verify(request: Request, submitted: str | None) -> None:
    """Raise Forbidden unless the submitted token matches the nonce cookie and the current session."""
    cookie = request.cookies.get(cookie_name(request.app.state.settings), "")
    if not submitted or not _NONCE.match(cookie) or not secrets.compare_digest(submitted, _sign(request, cookie)):
        raise Forbidden(EXPIRED)


async def protect(request: Request) -> None:
    """Check the CSRF token of every state-changing form request; a dependency of each form router.

    Safe methods pass. The form is parsed once: Starlette keeps it on the request for the route's fields.
    A router's dependencies run before a route's own guard, so an anonymous post to a page that needs a
    sign-in is sent to the sign-in page here, as the guard would have done, rather than refused as forged.
    """
    if request.method in SAFE_METHODS:
        return
    submitted = (await request.form()).get(FIELD)
    try:
        verify(request, submitted if isinstance(submitted, str) else None)
    except Forbidden:
        route = request.scope.get("route")
        if getattr(getattr(route, "endpoint", None), _KEEPS_INPUT, False):
            request.state.csrf_refused = True  # the route shows the form again, with what was typed, unsaved
            return
        signed_out = not request.cookies.get(sessions.cookie_name(request.app.state.settings))
        if signed_out and route is not None and required_roles_of(getattr(route, "dependant", None)) is not None:
            raise LoginRequired from None
        raise


def keeps_input(route: Route) -> Route:
    """Mark a route that answers a refused token itself (see refused) instead of with the error page.

    Only for pages behind a secret link (/t/{token}): another site cannot know the address, so showing the
    posted answers again, unsaved, with a fresh token shows the reader nothing but what they typed.
    """
    setattr(route, _KEEPS_INPUT, True)
    return route


def refused(request: Request) -> bool:
    """Tell whether this request's form token failed on a route marked with keeps_input: save nothing then."""
    return bool(getattr(request.state, "csrf_refused", False))


def enforce(request: Request) -> None:
    """Refuse a failed token after all, where a keeps_input route has no form to show again."""
    if refused(request):
        raise Forbidden(EXPIRED)


# Put on a router: APIRouter(dependencies=[Protected]).
Protected = Depends(protect)
