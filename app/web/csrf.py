"""CSRF protection for forms: a signed double-submit token.

The cookie holds a random nonce; the form holds HMAC(secret_key, nonce). Another site can make the
browser send the cookie, but cannot read it nor compute the matching form value without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from app.errors import Forbidden
from app.web import cookies

COOKIE = "touchstone_csrf"
FIELD = "csrf_token"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _secret(request: Request) -> bytes:
    return str(request.app.state.settings.secret_key).encode()


def _sign(request: Request, nonce: str) -> str:
    return hmac.new(_secret(request), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def _nonce(request: Request) -> str:
    nonce: str | None = getattr(request.state, "csrf_nonce", None)
    if nonce is None:
        cookie = request.cookies.get(COOKIE, "")
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
        secure = cookies.served_over_https(request.app.state.settings)
        response.set_cookie(COOKIE, _nonce(request), path="/", httponly=True, samesite="strict", secure=secure)


def verify(request: Request, submitted: str | None) -> None:
    """Raise Forbidden unless the submitted token matches the nonce cookie."""
    cookie = request.cookies.get(COOKIE, "")
    if not submitted or not _NONCE.match(cookie) or not secrets.compare_digest(submitted, _sign(request, cookie)):
        raise Forbidden("The form expired or came from another site. Reload the page and try again.")
