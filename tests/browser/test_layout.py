"""Every HR page fits the window at every desktop width from 1,024 to 1,920 px and on a 360 px phone, in Dutch,
with real data behind it, and its sign-out button is fully visible and clickable.

The pages are read from the application's routes (every GET under /hr that answers HTML), so a new HR page is
checked without being listed here; tests/security/world.py puts a real object behind every path parameter.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Environment, Settings
from app.db import create_db_engine, utcnow
from app.mail import organisation
from app.mail import service as mail
from app.referees import service as referees
from app.referees.models import RefereeCreate
from app.roles.models import Role
from app.webhooks.models import WebhookEndpoint
from app.webhooks.service import new_secret
from tests import factories
from tests.browser.conftest import assert_accessible, create_admin
from tests.security.routes import under
from tests.security.world import World, build

EMAIL = "layout-admin@example.org"
PASSWORD = "a long layout password 42"
WIDTHS = [360, 1024, 1280, 1440, 1920]
# Not pages: downloads, and the sign-in page (a signed-in user is sent on).
NOT_PAGES = (".csv", ".xlsx", ".pdf", ".json")
SKIPPED = {"hr_login"}
# The widest elements, named, when a page is wider than the window (so a failure says where to look).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
# Long values a real list holds: they must wrap or scroll inside their box, never widen the page.
LONG_EMAIL = "annemarie.van.der.heijden-bouwmeester@gemeente-utrechtse-heuvelrug.example.org"
LONG_URL = "https://integraties.gemeente-utrechtse-heuvelrug.example.org/ats/webhooks/touchstone/" + "x" * 120


def wide_png(width: int = 600, height: int = 80) -> bytes:
    """Return a real PNG image (a wide, plain logo) made without an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x01\x4f\x78" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def hr_pages() -> list[tuple[str, str]]:
    """Return (route name, path) of every HR page a browser opens (GET, HTML), from the application itself."""
    return sorted(
        (name, path)
        for method, path, name, _route in under("/hr")
        if method == "GET" and not path.endswith(NOT_PAGES) and name not in SKIPPED
    )


@pytest.fixture(scope="module")
def world(server_env: dict[str, str], live_server: str) -> World:
    """Fill the live server's database: one of every object, two candidates with complete results, long values."""
    create_admin(server_env, EMAIL, PASSWORD)
    url = server_env["TOUCHSTONE_DATABASE_URL"]
    # The server's own settings: a link sealed in the outbox must open with the server's secret.
    settings = Settings(environment=Environment.TEST, database_url=url, secret_key=server_env["TOUCHSTONE_SECRET_KEY"])
    engine = create_db_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            found = build(session)
            role = session.get(Role, int(found.ids["role_id"]))
            assert role is not None and role.id is not None
            factories.completed(session, "role-assessment", "one-person-show", role_id=role.id)
            nick = factories.persona(session, "nephew", role_id=role.id)
            factories.persona(session, "senior", role_id=role.id)
            long_one = candidates.create(
                session,
                CandidateCreate(
                    first_name="Annemarie", last_name="van der Heijden-Bouwmeester", email=LONG_EMAIL, role_id=role.id
                ),
                actor="test",
            )
            expires = utcnow() + dt.timedelta(days=14)
            invitations.invite(session, settings, long_one, actor="test", expires_at=expires, send=True)
            referees.record_consent(session, nick, actor="test")
            referees.add(
                session,
                nick,
                RefereeCreate(name="Rita Referent", email=LONG_EMAIL, relation="manager", period="2019-2024"),
                actor="test",
                expires_at=None,
            )
            mail.queue(
                session, to=LONG_EMAIL, subject="Uitnodiging " + "lang " * 30, body="Hallo", language="nl", kind="test"
            )
            session.add(
                WebhookEndpoint(url=LONG_URL, events=["assessment.completed"], secret=new_secret(), created_by="t")
            )
            organisation.save(session, organisation.OrganisationForm(name="Gemeente Utrechtse Heuvelrug"))
            organisation.set_logo(session, wide_png())
            session.commit()
            return World({**found.ids, "candidate_id": str(nick.id)}, found.invitation_id, found.referee_token)
    finally:
        engine.dispose()


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def dutch_page(request: pytest.FixtureRequest, browser: Any, live_server: str, world: World) -> Iterator[Any]:
    width = int(request.param)
    ctx = browser.new_context(
        base_url=live_server,
        locale="nl-NL",
        extra_http_headers={"Accept-Language": "nl"},
        viewport={"width": width, "height": 800},
    )
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    page.goto("/hr/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/hr(/.*)?(\?.*)?$"))
    yield page
    ctx.close()


def _too_wide(page: Any) -> str | None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    window = page.evaluate("() => window.innerWidth")
    if width <= window:
        return None
    return f"{width} px wide in a {window} px window: {page.evaluate(WIDEST)}"


SIGN_OUT = """b => { const r = b.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {left: r.left, right: r.right, width: r.width, hit: hit === b || b.contains(hit)}; }"""


def _sign_out_problem(page: Any) -> str | None:
    button = page.get_by_role("button", name="Uitloggen")
    if button.count() != 1 or not button.is_visible():
        return "no visible sign-out button"
    button.scroll_into_view_if_needed()
    box = button.evaluate(SIGN_OUT)
    window = page.evaluate("() => window.innerWidth")
    if box["left"] < 0 or box["right"] > window or box["width"] == 0:
        return f"the sign-out button is cut off: {box} in a {window} px window"
    if not box["hit"]:
        return "the sign-out button is covered by another element"
    return None


def test_every_hr_page_fits_the_window_and_sign_out_is_reachable(dutch_page: Any, world: World) -> None:
    problems = []
    for name, path in hr_pages():
        url = world.url(path)
        response = dutch_page.goto(url)
        assert response is not None and response.status < 400, f"{name} {url} answered {response and response.status}"
        for problem in (_too_wide(dutch_page), _sign_out_problem(dutch_page)):
            if problem:
                problems.append(f"{name} ({url}): {problem}")
    assert problems == [], "\n".join(problems)


def test_the_page_list_covers_the_hr_workspace() -> None:
    names = {name for name, _path in hr_pages()}
    wanted = {
        "hr_home",
        "hr_candidates",
        "hr_candidate",
        "candidate_report",
        "role_compare",
        "hr_assessment_form",
        "hr_roles",
        "hr_users",
        "hr_audit",
        "hr_organisation",
        "hr_outbox",
        "hr_api_keys",
        "hr_webhooks",
        "hr_referees",
        "hr_interview_guide",
    }
    assert wanted <= names, wanted - names


def test_navigation_folds_on_a_phone_and_sign_out_works(dutch_page: Any) -> None:
    dutch_page.goto("/hr/candidates")
    menu = dutch_page.locator("details.hr-menu > summary")
    phone = dutch_page.viewport_size["width"] < 768
    assert menu.is_visible() == phone  # a phone: the navigation is folded behind the menu button
    if phone:
        menu.click()
    link = dutch_page.get_by_role("link", name="Kandidaten").first
    assert link.is_visible()
    # The organisation's logo is in the header, loaded (not a broken image), named after the organisation.
    logo = dutch_page.get_by_role("img", name="Gemeente Utrechtse Heuvelrug")
    assert logo.is_visible() and logo.evaluate("img => img.complete && img.naturalWidth") == 600
    dutch_page.get_by_role("button", name="Uitloggen").click()
    dutch_page.wait_for_url(re.compile(r"/hr/login"))


def test_audit_table_box_takes_keyboard_focus_and_the_ring_shows(dutch_page: Any) -> None:
    dutch_page.goto("/hr/audit")  # signing in wrote an entry
    box = dutch_page.locator(".overflow-auto").first
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label") == "Auditlog"
    box.focus()
    ring = box.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor]")
    # A solid ring of #014f78 on white: a contrast of about 8.6:1 (at least 3:1 is required).
    assert ring == ["solid", "rgb(1, 79, 120)"]
    assert_accessible(dutch_page, context="audit log")
