"""Show a new invitation link once, after the redirect that follows its creation.

The link is never stored on the server in readable form, so the POST hands it to the next page in a
short-lived, HttpOnly cookie scoped to that page, sealed (encrypted and authenticated, app.sealing) so
that not even the browser's cookie store holds it readable; the page shows it and deletes the cookie.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app import cookies, sealing

COOKIE = "touchstone_new_link"
MAX_AGE = 120


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def give(request: Request, response: Response, link: str, *, path: str) -> None:
    """Attach link to the redirect response for the page at path."""
    settings = request.app.state.settings
    response.set_cookie(
        COOKIE,
        sealing.seal(_secret(request), link),
        max_age=MAX_AGE,
        path=path,
        httponly=True,
        samesite="strict",
        secure=cookies.secure(settings),
    )


def take(request: Request) -> str | None:
    """Return the link handed over by the previous POST, if its seal holds and it is fresh."""
    raw = request.cookies.get(COOKIE, "")
    return sealing.unseal(_secret(request), raw, max_age_seconds=MAX_AGE) if raw else None


def forget(request: Request, response: Response) -> None:
    """Delete the cookie so the link is shown only once."""
    if COOKIE in request.cookies:
        secure = cookies.secure(request.app.state.settings)
        response.delete_cookie(COOKIE, path=request.url.path, httponly=True, samesite="strict", secure=secure)
