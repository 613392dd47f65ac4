"""Show a new invitation link once, after the redirect that follows its creation.

The link is never stored on the server in readable form, so the POST hands it to the next page in a
short-lived, signed, HttpOnly cookie scoped to that page; the page shows it and deletes the cookie.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import Response

from app.web import cookies

COOKIE = "touchstone_new_link"
MAX_AGE = 120


def _sign(request: Request, value: str) -> str:
    secret = str(request.app.state.settings.secret_key).encode()
    return hmac.new(secret, f"link:{value}".encode(), hashlib.sha256).hexdigest()


def give(request: Request, response: Response, link: str, *, path: str) -> None:
    """Attach link to the redirect response for the page at path."""
    settings = request.app.state.settings
    response.set_cookie(
        COOKIE,
        f"{link}|{_sign(request, link)}",
        max_age=MAX_AGE,
        path=path,
        httponly=True,
        samesite="strict",
        secure=cookies.secure(settings),
    )


def take(request: Request) -> str | None:
    """Return the link handed over by the previous POST, if its signature holds."""
    raw = request.cookies.get(COOKIE, "")
    link, _, signature = raw.rpartition("|")
    if link and hmac.compare_digest(signature, _sign(request, link)):
        return link
    return None


def forget(request: Request, response: Response) -> None:
    """Delete the cookie so the link is shown only once."""
    if COOKIE in request.cookies:
        secure = cookies.secure(request.app.state.settings)
        response.delete_cookie(COOKIE, path=request.url.path, httponly=True, samesite="strict", secure=secure)
