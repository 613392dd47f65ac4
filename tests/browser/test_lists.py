"""The HR lists in Dutch in a real browser: a filter change shows the filtered list, with and without
JavaScript, leaving "Alle functies" as it is works, and the exports follow the filters on screen."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.test_hr_flow import ADMIN, PASSWORD, _first_admin, _new_candidate


def _sign_in(page: Any) -> None:
    """Sign in as the flow's administrator (the set-up page may already have), wherever /hr then leads."""
    page.goto("/hr")
    if "/hr/login" not in page.url:
        return
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/hr/login" not in url)


def _dutch(browser: Any, live_server: str, *, javascript: bool) -> Any:
    context = browser.new_context(
        base_url=live_server,
        locale="nl-NL",
        extra_http_headers={"Accept-Language": "nl"},
        java_script_enabled=javascript,
        viewport={"width": 1024, "height": 800},
    )
    context.set_default_timeout(10_000)
    return context


def _role(page: Any, title: str) -> str:
    page.goto("/hr/roles/new")
    page.fill("#title", title)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/hr/roles/\d+"))
    return str(page.url.rsplit("/", 1)[1].split("?")[0])


def _names(page: Any) -> list[str]:
    return sorted(page.locator("#results tbody tr td:first-child a").all_inner_texts())


def test_filters_in_dutch_with_and_without_javascript(
    page: Any, browser: Any, live_server: str, server_env: dict[str, str]
) -> None:
    _first_admin(page, server_env)
    _sign_in(page)
    for javascript in (True, False):
        _filter_in_dutch(page, browser, live_server, javascript=javascript)


def _filter_in_dutch(page: Any, browser: Any, live_server: str, *, javascript: bool) -> None:
    tag = "js" if javascript else "nojs"
    editors = _role(page, f"Redacteur {tag}")
    _role(page, f"Woordvoerder {tag}")
    _new_candidate(page, f"Eva{tag}", "Filter", editors)
    state = page.context.storage_state()

    context = _dutch(browser, live_server, javascript=javascript)
    context.add_cookies(state["cookies"])
    dutch = context.new_page()
    dutch.goto("/hr/candidates?q=filter")
    assert dutch.get_by_role("button", name="Toepassen").count()
    # "Alle functies" left as it is: the whole (searched) list, no 422.
    assert dutch.locator('select[name="role_id"] option:checked').inner_text() == "Alle functies"
    dutch.fill('input[name="q"]', f"eva{tag}")
    dutch.get_by_role("button", name="Toepassen").click()
    dutch.wait_for_url(re.compile(rf"q=eva{tag}"))
    dutch.wait_for_load_state()
    assert _names(dutch) == [f"Eva{tag} Filter"]
    assert "Input should be" not in dutch.content()

    # A role without candidates: the filtered list is empty, said in Dutch.
    dutch.select_option('select[name="role_id"]', label=f"Woordvoerder {tag}")
    dutch.get_by_role("button", name="Toepassen").click()
    dutch.wait_for_url(re.compile(r"role_id=\d+"))
    dutch.get_by_text("Geen kandidaten", exact=False).first.wait_for()
    assert _names(dutch) == []
    # The export links carry the filters on screen (after an htmx swap too).
    href = dutch.locator("a[download]", has_text="Exporteren als Excel (.xlsx)").get_attribute("href")
    assert href and "role_id=" in href and f"q=eva{tag}" in href

    # Back to "Alle functies" shows the candidate again.
    dutch.select_option('select[name="role_id"]', label="Alle functies")
    dutch.get_by_role("button", name="Toepassen").click()
    dutch.wait_for_url(re.compile(r"role_id=(&|$)|^(?!.*role_id=\d)"))
    dutch.locator("#results tbody tr").first.wait_for()
    assert _names(dutch) == [f"Eva{tag} Filter"]

    # The assessments list: "Alle" everywhere is no filter.
    dutch.goto("/hr/assessments")
    dutch.get_by_role("button", name="Toepassen").click()
    dutch.wait_for_load_state()
    assert "/hr/assessments?" in dutch.url and "Input should be" not in dutch.content()
    assert dutch.locator("h1").inner_text() != ""

    # The compare view fits the window; its name column stays in view.
    dutch.goto(f"/hr/roles/{editors}/compare")
    box = dutch.evaluate(
        """() => { const box = document.querySelector('.table-box');
                   const outer = box.parentElement.getBoundingClientRect();
                   return {right: box.getBoundingClientRect().right, outer: outer.right,
                           inner: box.firstElementChild.scrollWidth, shown: box.firstElementChild.clientWidth,
                           page: document.documentElement.scrollWidth, window: window.innerWidth}; }"""
    )
    assert box["inner"] > box["shown"], box
    # The table scrolls inside its box; the box does not stick out of the page's content column.
    assert box["right"] <= box["outer"] + 1, box
    if javascript:
        position = dutch.evaluate("() => getComputedStyle(document.querySelector('table.compare th')).position")
        assert position == "sticky"
    context.close()
