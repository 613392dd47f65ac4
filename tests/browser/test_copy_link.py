"""The copy button beside the invitation link shown once, in Dutch: it copies to the clipboard and says so, and
without the clipboard API it selects the link for the user to copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from app.db import create_db_engine
from tests import factories
from tests.browser.conftest import create_admin

EMAIL = "copy-admin@example.org"
PASSWORD = "a long copy password 42"
# Browsers where copying fails: without the clipboard API (as on a plain http:// address), or with the
# permission refused; the old copy command is refused too, so only selecting the link is left.
NO_CLIPBOARD = {
    "no-api": "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});",
    "refused": "Clipboard.prototype.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));",
}
OLD_COPY_REFUSED = "document.execCommand = () => false;"


@pytest.fixture(scope="module")
def admin(server_env: dict[str, str], live_server: str) -> str:
    create_admin(server_env, EMAIL, PASSWORD)
    return EMAIL


def _candidate(server_env: dict[str, str], first: str) -> int:
    """Add a candidate straight to the live server's database and return their id."""
    engine = create_db_engine(server_env["TOUCHSTONE_DATABASE_URL"])
    try:
        with Session(engine) as session:
            person = factories.candidate(session, first, "Kopie")
            assert person.id is not None
            session.commit()
            return person.id
    finally:
        engine.dispose()


@pytest.fixture
def dutch(browser: Any, live_server: str, admin: str) -> Iterator[Any]:
    """Return a function that opens a signed-in Dutch context (with clipboard rights, or without the API)."""
    contexts: list[Any] = []

    def open_page(*, clipboard: bool, failing: str = "no-api") -> Any:
        ctx = browser.new_context(base_url=live_server, locale="nl-NL", extra_http_headers={"Accept-Language": "nl"})
        ctx.set_default_timeout(10_000)
        if clipboard:
            ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        else:
            ctx.add_init_script(NO_CLIPBOARD[failing] + OLD_COPY_REFUSED)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto("/hr/login")
        page.fill("#email", admin)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(re.compile(r"/hr(/.*)?(\?.*)?$"))
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def _invite(page: Any, candidate_id: int) -> str:
    """Create an invitation without e-mail on the candidate's page; return the link shown once."""
    page.goto(f"/hr/candidates/{candidate_id}")
    page.get_by_label("De link per e-mail versturen").uncheck()
    page.get_by_role("button", name="Uitnodiging maken").click()
    page.wait_for_url(re.compile(rf"/hr/candidates/{candidate_id}\?"))
    link = page.locator("#new-link").input_value()
    assert "/t/" in link
    return str(link)


def test_the_copy_button_puts_the_link_on_the_clipboard_and_says_so(dutch: Any, server_env: dict[str, str]) -> None:
    page = dutch(clipboard=True)
    link = _invite(page, _candidate(server_env, "Clara"))
    status = page.locator("#new-link-copied")
    assert status.inner_text() == ""
    page.get_by_role("button", name="Link kopiëren").click()
    page.get_by_text("De link is gekopieerd.").wait_for()
    assert status.is_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == link


@pytest.mark.parametrize("failing", sorted(NO_CLIPBOARD))
def test_without_the_clipboard_the_link_is_selected_for_copying_by_hand(
    dutch: Any, server_env: dict[str, str], failing: str
) -> None:
    page = dutch(clipboard=False, failing=failing)
    link = _invite(page, _candidate(server_env, f"Daan{failing}"))
    page.get_by_role("button", name="Link kopiëren").click()
    page.get_by_text("Kopiëren lukte niet; selecteer de link en kopieer hem zelf.").wait_for()
    selected = page.evaluate(
        """() => { const f = document.getElementById('new-link');
                   return document.activeElement === f ? f.value.slice(f.selectionStart, f.selectionEnd) : null; }"""
    )
    assert selected == link
