"""A refused HR form (422) moves focus to its error summary, as the candidate pages do (app/static/hr.js)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import create_admin

EMAIL = "focus-admin@example.org"
PASSWORD = "a long focus password 42"
FOCUSED = "() => document.activeElement && document.activeElement.className"


@pytest.fixture
def signed_in(page: Any, server_env: dict[str, str], live_server: str) -> Any:
    create_admin(server_env, EMAIL, PASSWORD)
    page.goto("/hr/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/hr(/.*)?(\?.*)?$"))
    return page


def _summary_has_focus(page: Any) -> None:
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert "error-summary" in page.evaluate(FOCUSED)
    assert page.evaluate("() => document.activeElement.textContent.trim()") != ""


def test_a_refused_role_form_puts_focus_on_its_summary(signed_in: Any) -> None:
    page = signed_in
    page.goto("/hr/roles/new")
    assert page.evaluate("() => document.activeElement === document.body")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    _summary_has_focus(page)
    # The next Tab leads on into the form, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('form') !== null")


def test_a_refused_mentor_form_puts_focus_on_its_summary(signed_in: Any) -> None:
    page = signed_in
    page.goto("/hr/mentors")
    page.fill("#m-name", "Mira Mentor")
    page.fill("#m-email", "mira@example.org")
    page.fill("#m-years", "200")
    page.get_by_role("button", name="Add mentor").click()
    page.wait_for_load_state()
    _summary_has_focus(page)


def test_a_refused_referee_consent_puts_focus_on_its_message(signed_in: Any) -> None:
    page = signed_in
    page.goto("/hr/candidates/new")
    page.fill("#first_name", "Rik")
    page.fill("#last_name", "Referentloos")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/hr/candidates/\d+$"))
    page.goto(page.url + "/referees")
    page.get_by_role("button", name="Record the consent").click()  # the box is not ticked
    page.wait_for_load_state()
    _summary_has_focus(page)
    message = page.evaluate("() => document.activeElement.textContent.trim()")
    assert message == "Tick the box once the candidate has agreed."


def test_a_page_without_problems_keeps_focus_where_it_was(signed_in: Any) -> None:
    page = signed_in
    page.goto("/hr/roles/new")
    assert page.evaluate("() => document.activeElement === document.body")
