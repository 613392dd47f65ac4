"""Sign in and out of the HR workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app import cookies
from app.accounts import login as login_service
from app.accounts import sessions
from app.accounts.deps import OptionalUser, safe_next
from app.accounts.models import User
from app.config import Settings
from app.deps import SessionDep, SettingsDep
from app.errors import Unauthorized
from app.urls import url_for
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """Attach the session cookie: HttpOnly, SameSite=Lax, Secure in production (app.web.cookies)."""
    response.set_cookie(
        sessions.cookie_name(settings),
        token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookies.secure(settings),
    )


def sign_in(session: Session, settings: Settings, user: User, response: Response) -> None:
    """Start a session for user and put its cookie on response."""
    set_session_cookie(response, sessions.start(session, user, settings), settings)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/hr/login", name="hr_login")
def login_form(request: Request, user: OptionalUser, next: str = "/hr") -> Response:
    """Show the sign-in form (or continue when already signed in)."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "hr/login.html", {"email": "", "next": safe_next(next), "error": None})


class Credentials(BaseModel):
    """An e-mail address and a password as entered (the sign-in and first-administrator forms)."""

    email: str = Field("", max_length=320)
    password: str = Field("", max_length=1000)


class LoginForm(Credentials):
    """The sign-in form as entered."""

    next: str = Field("/hr", max_length=2000)


@router.post("/hr/login", name="hr_login_submit")
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[LoginForm, Form()],
) -> Response:
    """Check the e-mail address and password and start a session."""
    next = form.next
    context = {"email": form.email, "next": safe_next(next)}
    try:
        user = login_service.authenticate(session, form.email, form.password, ip=client_ip(request), settings=settings)
    except login_service.Throttled as error:
        response = render(request, "hr/login.html", {**context, "error": "throttled"}, status_code=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except Unauthorized:
        # Returned, not raised: the failure is counted, and committed before the page is rendered.
        session.commit()
        return render(request, "hr/login.html", {**context, "error": "invalid"}, status_code=401)
    # A fresh session id at every sign-in: a cookie planted before sign-in is never promoted.
    sessions.end(session, request.cookies.get(sessions.cookie_name(settings)))
    sessions.purge_expired(session, settings)
    response = RedirectResponse(safe_next(next), status_code=303)
    sign_in(session, settings, user, response)
    return response


@router.post("/hr/logout", name="hr_logout")
def logout(
    request: Request,
    session: SessionDep,
) -> Response:
    """End the session at once and return to the sign-in page."""
    settings = request.app.state.settings
    name = sessions.cookie_name(settings)
    sessions.end(session, request.cookies.get(name))
    response = RedirectResponse(url_for(request, "hr_login").include_query_params(signed_out="1"), status_code=303)
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=cookies.secure(settings))
    return response
