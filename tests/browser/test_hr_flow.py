"""The whole HR flow in a real browser: set-up, role, candidates, self-test by link, HR form, report, compare, CSV."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app import startup
from app.config import Environment, Settings
from tests.assessments.conftest import example
from tests.browser.conftest import assert_accessible, create_admin

ADMIN = "flow-admin@example.org"
PASSWORD = "a long flow password 42"


def _set(page: Any, name: str, value: Any) -> None:
    """Choose the radio with this value, or type into the field with this name."""
    radio = page.locator(f'input[type="radio"][name="{name}"][value="{value}"]')
    if radio.count():
        radio.check()
        return
    field = page.locator(f'textarea[name="{name}"], input[type="text"][name="{name}"]')
    if field.count():
        field.fill(str(value))


def _fill(page: Any, answers: dict[str, Any], prefix: str = "", not_observed: str = "not_observed") -> None:
    """Fill in every answer whose controls are on the current page (fields are named prefix + item id)."""
    for item_id, value in answers.items():
        name = f"{prefix}{item_id}"
        if isinstance(value, dict):
            for part, part_value in value.items():
                if part_value is not None:
                    _set(page, f"{name}.{part}", part_value)
        elif isinstance(value, list):
            for option in value:
                box = page.locator(f'input[type="checkbox"][name="{name}"][value="{option}"]')
                if box.count():
                    box.check()
        elif value is None:
            _set(page, name, not_observed)
        elif value != "":
            _set(page, name, value)


def _first_admin(page: Any, server_env: dict[str, str]) -> None:
    secret = server_env["TOUCHSTONE_SECRET_KEY"]
    page.goto(f"/setup?token={startup.setup_token(Settings(environment=Environment.TEST, secret_key=secret))}")
    if page.locator("#password_confirm").count():
        page.fill("#email", ADMIN)
        page.fill("#password", PASSWORD)
        page.fill("#password_confirm", PASSWORD)
        page.get_by_role("button", name="Create administrator").click()
        page.wait_for_load_state()
        return
    # Another browser test set the instance up first; add this flow's administrator from the command line.
    create_admin(server_env, ADMIN, PASSWORD)


def _sign_in(page: Any) -> None:
    page.goto("/hr")
    if "/hr/login" not in page.url:
        return  # the set-up page signs the new administrator in
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/hr(\?.*)?$"))


def _new_candidate(page: Any, first: str, last: str, role_id: str) -> str:
    page.goto("/hr/candidates/new")
    page.fill("#first_name", first)
    page.fill("#last_name", last)
    page.fill("#email", f"{first.lower()}@example.org")
    page.select_option("#role_id", role_id)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/hr/candidates/\d+"))
    return page.url.rsplit("/", 1)[1].split("?")[0]


def _take_self_test(browser: Any, live_server: str, link: str) -> None:
    context = browser.new_context(base_url=live_server, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(10_000)
    page = context.new_page()
    answers = example("self-test--nephew")
    # The link carries the configured public address; the test server listens elsewhere.
    page.goto(urlsplit(link).path)
    page.get_by_role("button", name="I agree, start").click()
    for _ in range(20):
        page.wait_for_load_state()
        if "/review" in page.url:
            break
        _fill(page, answers, prefix="q.")
        # Wait for the next page: the loop reads page.url, which changes only once navigation is done.
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("Save and (continue|review)")).click()
    assert "/review" in page.url, page.url
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_load_state()
    assert "/review" not in page.url
    context.close()


def test_hr_flow(page: Any, browser: Any, live_server: str, server_env: dict[str, str]) -> None:
    _first_admin(page, server_env)
    _sign_in(page)

    # A role, assessed with the HR form.
    page.goto("/hr/roles/new")
    page.fill("#title", "Social media lead (flow)")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/hr/roles/\d+"))
    role_id = page.url.rsplit("/", 1)[1].split("?")[0]
    page.get_by_role("button", name="Assess this role").click()
    page.wait_for_url(re.compile(r"/hr/assessments/.+/form"))
    _fill(page, example("role-assessment--one-person-show"))
    page.get_by_role("button", name="Complete the assessment").click()
    page.wait_for_url(re.compile(rf"/hr/roles/{role_id}"))
    assert page.get_by_text("One-person show").count()

    # Two candidates; the first is invited and takes the self-test through the link.
    nick = _new_candidate(page, "Nick", "Flow", role_id)
    page.get_by_label("Send the link by e-mail").uncheck()
    page.get_by_role("button", name="Create invitation").click()
    link = page.locator("input.once-link").get_attribute("value")
    assert "/t/" in link
    _take_self_test(browser, live_server, link)
    other = _new_candidate(page, "Olga", "Flow", role_id)

    # The HR assessment, autosaved per field, then completed.
    page.goto(f"/hr/candidates/{nick}/report")
    page.get_by_role("button", name="Fill in the HR assessment").click()
    page.wait_for_url(re.compile(r"/hr/assessments/.+/form"))
    form_url = page.url
    page.locator('input[name="bars_goals_before_channels"][value="2"]').check()
    page.wait_for_selector("#saved-bars_goals_before_channels >> text=Saved.")
    page.goto(form_url)
    assert page.locator('input[name="bars_goals_before_channels"][value="2"]').is_checked()
    _fill(page, example("hr-assessment--nephew"))
    page.get_by_role("button", name="Complete the assessment").click()
    page.wait_for_url(re.compile(rf"/hr/candidates/{nick}/report"))

    # The report: verdict, mentoring, role risks; accessible; override needs a reason.
    assert page.get_by_text("Only under supervision").count()
    assert page.locator("#mentoring").count() and page.locator("#role").count()
    assert page.locator("svg").count()
    # The summary first; the details collapsed on screen and open when printed; the summary as PDF.
    assert page.locator("#summary").is_visible() and not page.locator("#dimensions").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#dimensions").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="the summary").click()
    assert download.value.suggested_filename.endswith("-summary.pdf")
    assert_accessible(page, context="candidate report")
    page.locator('input[name="decision"][value="hire"]').check()
    page.get_by_role("button", name="Record decision").click()
    assert page.get_by_text("Give the reason for the override").count()
    page.locator('input[name="decision"][value="hire"]').check()
    page.fill("#reason", "Worked two years under our communication lead already.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(r"/report#decision"))
    assert page.get_by_text("override of the recommendation").count()

    # Compare both candidates, sorted by evidence.
    page.goto(f"/hr/roles/{role_id}/compare")
    page.get_by_role("link", name=re.compile("^Evidence")).first.click()
    rows = page.locator("table.compare tbody th").all_inner_texts()
    assert set(rows) == {"Nick Flow", "Olga Flow"}
    assert page.locator(f'a[href$="/hr/candidates/{nick}/report"]').count()
    assert other

    # Export the role's candidates as CSV.
    page.goto(f"/hr/candidates?role_id={role_id}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Nick" in content and "Olga" in content
