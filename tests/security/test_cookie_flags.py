"""Cookie flags: every cookie Touchstone sets is HttpOnly, has a SameSite and Path, a bounded Max-Age, and is
Secure in production — both when it is set and when it is deleted. (Production on a plain-http address, a
container on loopback, keeps the CSRF and language cookies usable there: see app/cookies.py.)

The flows below make the application set each of its cookies for real (sign-in, CSRF, language choice,
the once-shown invitation link, sign-out); a new set_cookie() call in app/ fails the inventory test until
its cookie is added to EXPECTED here. There is no cookie for candidates: a personal link is its own key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import sessions
from app.accounts.models import UserRole
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import ROOT, Environment, Settings
from app.web import csrf as csrf_module
from app.web.hr import oncelink
from tests.web.hr.helpers import csrf, login, make_user

HOUR = 3600


@dataclass(frozen=True)
class Expected:
    samesite: str
    path: str
    max_age: int | None
    """The most a browser may keep it, in seconds; None for a cookie that ends with the browser session."""


EXPECTED = {
    sessions.COOKIE: Expected("lax", "/", 24 * HOUR),  # lax: a link from an e-mail into /hr must arrive signed in
    csrf_module.COOKIE: Expected("strict", "/", None),
    "lang": Expected("lax", "/", 366 * 24 * HOUR),
    oncelink.COOKIE: Expected("strict", "/hr/candidates/{id}", 5 * 60),
}


HOST_PREFIX = "__Host-"
# The cookies that carry or protect a signed-in session: __Host- prefixed in production.
HOST_ONLY = {sessions.COOKIE, csrf_module.COOKIE}


def _parse(header: str) -> tuple[str, dict[str, str]]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    (name, morsel), *_ = jar.items()
    flags = {key: str(value) for key, value in morsel.items() if value not in ("", None)}
    # SimpleCookie keeps boolean attributes as True; read them from the header itself.
    lowered = [part.strip().lower() for part in header.split(";")]
    flags["httponly"] = str("httponly" in lowered)
    flags["secure"] = str("secure" in lowered)
    return name, flags


@pytest.fixture(params=[Environment.TEST, Environment.PRODUCTION], ids=["test", "production"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The test settings, and production ones as deployed: behind TLS, with an https:// public address."""
    if request.param is Environment.TEST:
        return settings
    return settings.model_copy(update={"environment": request.param, "base_url": "https://touchstone.example.org"})


def _every_cookie(client: TestClient, session: Session) -> list[str]:
    """Run the flows that set (and delete) each cookie; return every Set-Cookie header seen."""
    seen: list[str] = []

    def keep(response: object) -> object:
        seen.extend(response.headers.get_list("set-cookie"))  # type: ignore[attr-defined]
        return response

    # Over https, as in production: a browser sends Secure cookies back only there.
    client.base_url = "https://touchstone.example.org"  # type: ignore[assignment]
    make_user(session, UserRole.ADMIN)
    keep(client.get("/hr/login"))
    keep(login(client, "admin@example.org"))
    keep(client.get("/self-test?lang=nl"))
    candidate = candidates.create(
        session, CandidateCreate(first_name="Cookie", last_name="Monster", email="c@example.org"), actor="test"
    )
    session.flush()
    token = csrf(client, f"/hr/candidates/{candidate.id}")
    keep(client.post(f"/hr/candidates/{candidate.id}/invitations", data={"csrf_token": token}, follow_redirects=False))
    keep(client.get(f"/hr/candidates/{candidate.id}"))  # shows the link once and deletes its cookie
    keep(client.post("/hr/logout", data={"csrf_token": token}, follow_redirects=False))
    return seen


@pytest.mark.db
def test_every_cookie_has_the_right_flags(client: TestClient, bank: Session, settings: Settings) -> None:
    headers = _every_cookie(client, bank)
    problems = []
    names = set()
    for header in headers:
        name, flags = _parse(header)
        if name.startswith(HOST_PREFIX):
            # Browsers take a __Host- cookie only from this host, Secure, Path=/ and without Domain.
            if flags["secure"] != "True" or flags.get("path") != "/" or "domain" in flags:
                problems.append(f"{name}: a __Host- cookie must be Secure with Path=/ and no Domain")
            name = name.removeprefix(HOST_PREFIX)
        elif settings.environment is Environment.PRODUCTION and name in HOST_ONLY:
            problems.append(f"{name}: must be {HOST_PREFIX}{name} in production (a sibling subdomain could plant it)")
        names.add(name)
        expected = EXPECTED.get(name)
        if expected is None:
            problems.append(f"{name}: a cookie nobody reviewed ({header})")
            continue
        deleted = flags.get("max-age") == "0" or '=""' in header.split(";")[0]
        if flags["httponly"] != "True":
            problems.append(f"{name}: not HttpOnly")
        if flags.get("samesite", "").lower() != expected.samesite:
            problems.append(f"{name}: SameSite={flags.get('samesite')}, expected {expected.samesite}")
        path_pattern = re.escape(expected.path).replace(re.escape("{id}"), r"\d+")
        if not re.fullmatch(path_pattern, flags.get("path", "")):
            problems.append(f"{name}: Path={flags.get('path')}, expected {expected.path}")
        secure = flags["secure"] == "True"
        if secure != (settings.environment is Environment.PRODUCTION):
            problems.append(f"{name}: Secure={secure} in {settings.environment}")
        if not deleted:
            max_age = flags.get("max-age")
            if expected.max_age is None and (max_age is not None or "expires" in flags):
                problems.append(f"{name}: should end with the browser session, has Max-Age={max_age}")
            if expected.max_age is not None and (max_age is None or not 0 < int(max_age) <= expected.max_age):
                problems.append(f"{name}: Max-Age={max_age}, expected at most {expected.max_age}")
    assert names == set(EXPECTED), f"the flows set {sorted(names)}, expected {sorted(EXPECTED)}"
    assert not problems, "\n".join(problems)


def test_access_cookies_are_secure_in_production_even_over_http(settings: Settings) -> None:
    from app import cookies

    plain = settings.model_copy(update={"environment": Environment.PRODUCTION, "base_url": "http://127.0.0.1:8000"})
    assert cookies.secure(plain) and not cookies.served_over_https(plain)


def test_every_cookie_the_code_sets_is_reviewed_here() -> None:
    """Four call sites set the four cookies above; a fifth means a new cookie to add to EXPECTED."""
    calls = [
        f"{path.relative_to(ROOT)}:{text.count('response.set_cookie(')}"
        for path in sorted((ROOT / "app").rglob("*.py"))
        if "response.set_cookie(" in (text := path.read_text(encoding="utf-8"))
    ]
    assert calls == [
        "app/web/csrf.py:1",
        "app/web/hr/auth.py:1",
        "app/web/hr/oncelink.py:1",
        "app/web/templating.py:1",
    ], calls
