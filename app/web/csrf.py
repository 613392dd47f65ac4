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

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from app import cookies
from app.accounts import sessions
from app.accounts.deps import LoginRequired, required_roles_of
from app.config import Settings
from app.errors import Forbidden

COOKIE = "touchstone_csrf"
FIELD = "csrf_token"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
        raise Forbidden("The form expired or came from another site. Reload the page and try again.")


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
        signed_out = not request.cookies.get(sessions.cookie_name(request.app.state.settings))
        if signed_out and route is not None and required_roles_of(getattr(route, "dependant", None)) is not None:
            raise LoginRequired from None
        raise


# Put on a router: APIRouter(dependencies=[Protected]).
Protected = Depends(protect)
