"""HR pages fit the window (desktop 1,280 px and a 360 px phone, in Dutch) and their navigation can be reached."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, create_admin

EMAIL = "layout-admin@example.org"
PASSWORD = "a long layout password 42"
PAGES = (
    "/hr",
    "/hr/candidates",
    "/hr/roles",
    "/hr/assessments",
    "/hr/mentors",
    "/hr/outbox",
    "/hr/audit",
    "/hr/users",
    "/hr/candidates/new",
)
# The widest elements, named, when a page is wider than the window (so a failure says where to look).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture(scope="module")
def admin(server_env: dict[str, str], live_server: str) -> str:
    """Add an administrator through the command line (the live server shares its database)."""
    create_admin(server_env, EMAIL, PASSWORD)
    return EMAIL


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def dutch_page(request: pytest.FixtureRequest, browser: Any, live_server: str, admin: str) -> Iterator[Any]:
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
    page.fill("#email", admin)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/hr(/.*)?(\?.*)?$"))
    yield page
    ctx.close()


def _fits(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    window = page.evaluate("() => window.innerWidth")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window: {page.evaluate(WIDEST)}"


def test_hr_pages_fit_the_window(dutch_page: Any) -> None:
    for path in PAGES:
        dutch_page.goto(path)
        _fits(dutch_page)


def test_navigation_and_sign_out_are_reachable(dutch_page: Any) -> None:
    dutch_page.goto("/hr/candidates")
    menu = dutch_page.locator("details.hr-menu > summary")
    if menu.is_visible():  # a phone: the navigation is folded behind the menu button
        menu.click()
    link = dutch_page.get_by_role("link", name="Kandidaten").first
    assert link.is_visible()
    sign_out = dutch_page.get_by_role("button", name="Uitloggen")
    assert sign_out.is_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= dutch_page.viewport_size["width"]
    _fits(dutch_page)


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
