"""The candidate pages in a real Chromium: complete, resume, keyboard only, bad links, axe and a phone screen."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.db import create_db_engine, utcnow
from tests.browser.conftest import assert_accessible
from tests.browser.helpers import answer_with_keyboard, fill_section, go_on, overflows, persona, self_test

LINK = re.compile(r"/t/([A-Za-z0-9_-]{43,})")


@pytest.fixture(scope="module")
def live_db(server_env: dict[str, str], live_server: str) -> Iterator[Engine]:
    """Return an engine on the live server's database, to prepare invitations the way HR would."""
    engine = create_db_engine(server_env["TOUCHSTONE_DATABASE_URL"])
    yield engine
    engine.dispose()


def _invitation(engine: Engine, **options: Any) -> str:
    with Session(engine) as session:
        created = assessments.create(
            session,
            questionnaire_id="self-test",
            mode=AssessmentMode.INVITATION,
            language="en",
            actor="test",
            **options,
        )
        session.commit()
        assert created.token
        return created.token


def _start_self_test(page: Any) -> str:
    page.goto("/self-test")
    page.get_by_role("button").filter(has_text=re.compile("self-test|zelftest", re.I)).click()
    page.wait_for_url(re.compile(r"/t/.+/s/about_you"))
    match = LINK.search(page.url)
    assert match
    return match.group(1)


def _complete(page: Any, *, lang: str, checks: bool = True) -> None:
    answers = persona()
    questionnaire = self_test()
    for number, section in enumerate(questionnaire.sections, start=1):
        expected = f"Stap {number} van 9" if lang == "nl" else f"Step {number} of 9"
        assert page.locator("p.step").inner_text() == expected
        assert page.locator("html").get_attribute("lang") == lang
        if checks:
            assert_accessible(page, context=f"section {section.id}")
        fill_section(page, section, answers)
        go_on(page)
    page.wait_for_url(re.compile(r"/review$"))
    if checks:
        assert_accessible(page, context="review")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/t/[^/]+$"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_complete_the_self_test_start_to_finish(browser: Any, live_server: str, lang: str) -> None:
    context = browser.new_context(base_url=live_server, locale=lang, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto("/self-test")
    assert_accessible(page, context="self-test intro")
    assert ("Je privacy" if lang == "nl" else "Your privacy") in page.content()
    token = _start_self_test(page)
    _complete(page, lang=lang)
    assert page.locator("h1").inner_text() == ("Jouw feedback" if lang == "nl" else "Your feedback")
    headline = page.locator(".verdict-headline").inner_text()
    assert headline.startswith("Je kunt het" if lang == "nl" else "You are capable")
    assert page.locator("svg.chart[role=img]").count() == 1
    assert_accessible(page, context="feedback")
    # The used link keeps showing the feedback, also in a fresh browser.
    other = browser.new_context(base_url=live_server, locale=lang, extra_http_headers={"Accept-Language": lang})
    again = other.new_page()
    response = again.goto(f"/t/{token}")
    assert response is not None and response.status == 200
    assert again.locator(".verdict-headline").inner_text() == headline
    other.close()
    context.close()


def test_language_switch_is_remembered(page: Any) -> None:
    _start_self_test(page)
    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("p.step").inner_text() == "Stap 1 van 9"
    fill_section(page, self_test().sections[0], persona())
    go_on(page)
    assert page.locator("p.step").inner_text() == "Stap 2 van 9"
    assert page.locator("html").get_attribute("lang") == "nl"


def test_closing_halfway_and_reopening_keeps_every_answer(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, locale="en")
    page = context.new_page()
    token = _start_self_test(page)
    answers = persona()
    sections = self_test().sections
    fill_section(page, sections[0], answers)
    go_on(page)
    page.wait_for_url(re.compile(r"/s/scenarios_1$"))
    # Answer on the second page without pressing continue: autosave must keep it.
    fill_section(page, sections[1], answers)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.saved')].filter(s => s.textContent.trim()).length >= 6"
    )
    page.wait_for_load_state("networkidle")
    context.close()

    fresh = browser.new_context(base_url=live_server, locale="en")
    reopened = fresh.new_page()
    reopened.goto(f"/t/{token}")
    assert reopened.url.endswith("/s/scenarios_1")
    for name, values in _checked(reopened).items():
        assert values, name
    expected = {
        f"q.{item}.{part}": [choice]
        for item, value in answers.items()
        if item.startswith("sjt_")
        for part, choice in value.items()
        if item in {i.id for i in sections[1].items}
    }
    assert _checked(reopened) == expected
    go_on(reopened, "back")
    assert reopened.locator('input[name="q.self_title"]:checked').get_attribute("value") == answers["self_title"]
    assert reopened.locator('[name="q.profile_title"]').input_value() == answers["profile_title"]
    fresh.close()


def _checked(page: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for control in page.locator("input:checked").all():
        found.setdefault(control.get_attribute("name"), []).append(control.get_attribute("value"))
    return found


def test_complete_with_the_keyboard_only(page: Any) -> None:
    page.goto("/self-test")
    page.keyboard.press("Tab")  # the skip link comes first
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/s/about_you")
    answers = persona()
    for section in self_test().sections:
        answer_with_keyboard(page, section, answers)
    assert page.url.endswith("/review")
    assert page.locator(".error-summary").count() == 0
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".verdict-headline").count() == 1


def test_bad_input_is_shown_beside_the_question_and_announced(page: Any) -> None:
    token = _start_self_test(page)
    page.goto(f"/t/{token}/s/roi")
    page.locator('input[name="q.roi_campaign"]').fill("a lot")
    go_on(page)
    assert page.url.endswith("/s/roi")
    error = page.locator("#err-roi_campaign")
    assert error.inner_text() == "Enter a number, for example 12.5."
    assert page.locator('input[name="q.roi_campaign"]').get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "problems"  # focus moved to the summary
    assert_accessible(page, context="section with errors")


def test_going_back_with_a_refused_answer_keeps_the_page_and_what_was_typed(page: Any) -> None:
    token = _start_self_test(page)
    page.goto(f"/t/{token}/s/roi")
    field = page.locator('input[name="q.roi_campaign"]')
    field.fill("3")
    go_on(page)
    page.goto(f"/t/{token}/s/roi")
    field.fill("1,2,3")
    go_on(page, "back")  # the autosave on leaving the field is refused first; the page waits for it

    assert page.url.endswith("/s/roi")
    assert field.input_value() == "1,2,3"
    assert page.locator("#err-roi_campaign").inner_text() == "Enter a number, for example 12.5."
    assert "so that what you typed is not lost" in page.locator("#problems").inner_text()

    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    go_on(page, "back")  # the page's own buttons never ask: the server keeps the page when it must
    assert page.url.endswith("/s/roi") and dialogs == []
    field.click()  # browsers ask before leaving only a page the person has used
    page.goto(f"/t/{token}/s/familiarity")  # as the browser's back button or a link would leave it
    assert dialogs == ["beforeunload"]


def test_a_page_whose_cookie_was_lost_comes_back_unsaved_with_what_was_typed(page: Any, context: Any) -> None:
    token = _start_self_test(page)
    page.goto(f"/t/{token}/s/roi")
    context.clear_cookies()  # the browser dropped its cookies while the page stayed open
    field = page.locator('input[name="q.roi_campaign"]')
    field.fill("65")
    go_on(page)

    assert page.url.endswith("/s/roi") and field.input_value() == "65"
    assert "not saved yet" in page.locator("#problems").inner_text()
    assert page.evaluate("() => document.activeElement.id") == "problems"  # read out first
    assert_accessible(page, context="section not saved")
    go_on(page)  # the page came back with a fresh token: sending it again saves
    assert page.url.endswith("/s/familiarity") or "/s/familiarity?" in page.url


def test_leaving_a_half_answered_scenario_by_the_browser_asks_first(page: Any) -> None:
    token = _start_self_test(page)
    page.goto(f"/t/{token}/s/scenarios_1")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    best = page.locator('input[name="q.sjt_friday_complaint.best"]')
    worst = page.locator('input[name="q.sjt_friday_complaint.worst"]')
    best.first.check()  # the best approach chosen, the worst not: not an answer yet, nothing is stored
    page.goto(f"/t/{token}/s/about_you")  # as the browser's back button or a link would leave it
    assert dialogs == ["beforeunload"]

    page.goto(f"/t/{token}/s/scenarios_1")
    assert best.first.is_checked() is False  # it was lost indeed: the reason to ask
    best.first.check()
    with page.expect_response(lambda response: "autosave" in response.url):
        worst.last.check()  # both chosen: the answer is saved, and leaving asks nothing
    page.goto(f"/t/{token}/s/about_you")
    assert dialogs == ["beforeunload"]
    page.goto(f"/t/{token}/s/scenarios_1")
    assert best.first.is_checked() and worst.last.is_checked()


def test_moving_on_from_an_empty_step_says_how_many_questions_are_open(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, locale="nl", extra_http_headers={"Accept-Language": "nl"})
    page = context.new_page()
    _start_self_test(page)
    go_on(page)  # "Opslaan en verder" with nothing answered

    assert re.search(r"/s/scenarios_1\?from=about_you$", page.url)
    notice = page.locator("#left-open")
    assert re.fullmatch(r"Je hebt \d+ vragen open gelaten bij Over jou\. Dat mag: .+", notice.inner_text())
    assert_accessible(page, context="notice about open questions")
    notice.get_by_role("link", name="Over jou").click()
    page.wait_for_url(re.compile(r"/s/about_you$"))
    context.close()


def test_an_answer_given_after_the_link_was_revoked_is_not_promised_a_save(
    browser: Any, live_server: str, live_db: Engine
) -> None:
    context = browser.new_context(base_url=live_server, locale="nl", extra_http_headers={"Accept-Language": "nl"})
    page = context.new_page()
    token = _invitation(live_db)
    page.goto(f"/t/{token}")
    page.get_by_role("button", name="Akkoord, beginnen").click()
    page.wait_for_url(re.compile(r"/s/about_you$"))
    with Session(live_db) as session:  # HR revokes the link while the page is open
        assessments.cancel(session, assessments.by_token(session, token), actor="test")
        session.commit()
    item = page.locator(".item").filter(has=page.locator('input[type="radio"]')).first
    with page.expect_response(re.compile(r"/autosave$")) as saved:
        item.locator('input[type="radio"]').first.check()
    assert saved.value.status == 410
    status = item.locator(".saved")
    status.filter(has_text="Niet opgeslagen").wait_for()
    assert status.inner_text() == "Niet opgeslagen: deze link werkt niet meer. Ga verder om te lezen waarom."
    go_on(page)
    assert page.locator("h1").inner_text() == "Deze link is ingetrokken"
    context.close()


def test_used_expired_and_unknown_links(browser: Any, live_server: str, live_db: Engine) -> None:
    context = browser.new_context(base_url=live_server, locale="en", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()

    token = _invitation(live_db, feedback_to_candidate=False)
    page.goto(f"/t/{token}")
    assert "four weeks" in page.content()
    assert_accessible(page, context="consent")
    page.get_by_role("button", name="I agree, start").click()
    page.wait_for_url(re.compile(r"/s/about_you$"))
    _complete(page, lang="en", checks=False)
    assert page.locator("h1").inner_text() == "Thank you, your answers have been sent"
    assert_accessible(page, context="thank-you")
    used = page.goto(f"/t/{token}/s/about_you")
    assert used is not None and used.url.endswith(f"/t/{token}")

    expired = _invitation(live_db, expires_at=utcnow() + dt.timedelta(days=1))
    with Session(live_db) as session:
        found = assessments.by_token(session, expired)
        found.expires_at = utcnow() - dt.timedelta(seconds=1)
        session.add(found)
        session.commit()
    response = page.goto(f"/t/{expired}")
    assert response is not None and response.status == 410
    assert page.locator("h1").inner_text() == "This link has expired"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert_accessible(page, context="expired link")

    response = page.goto("/t/this-link-does-not-exist?lang=nl")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "We kennen deze link niet"
    assert_accessible(page, context="unknown link")
    context.close()


def test_nothing_overflows_on_a_360_pixel_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        locale="nl",
        extra_http_headers={"Accept-Language": "nl"},
    )
    page = context.new_page()
    page.goto("/self-test")
    assert not overflows(page), "self-test intro"
    _start_self_test(page)
    answers = persona()
    for section in self_test().sections:
        assert not overflows(page), f"section {section.id}"
        fill_section(page, section, answers)
        go_on(page)
    assert not overflows(page), "review"
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/t/[^/]+$"))
    assert not overflows(page), "feedback"
    context.close()


def test_a_pasted_answer_is_marked_for_hr_and_a_typed_one_is_not(
    browser: Any, live_server: str, live_db: Engine
) -> None:
    context = browser.new_context(base_url=live_server, locale="en")
    page = context.new_page()
    token = _start_self_test(page)
    page.goto(f"/t/{token}/s/results_in_your_words")
    pasted = page.locator('[name="q.result_story"]')
    pasted.dispatch_event("paste")  # bubbles to candidate.js's listener, as a real paste does
    pasted.fill("Our LinkedIn campaign brought 40 new leads in one quarter.")
    page.locator('[name="q.result_with_others"]').fill("I agreed the lead handover with the sales team.")
    assert page.locator('input[name="pasted.result_story"]').input_value() == "1"
    assert page.locator('input[name="pasted.result_with_others"]').input_value() == ""
    page.wait_for_function(
        "() => ['result_story', 'result_with_others'].every("
        "id => document.getElementById('saved-' + id).textContent.trim())"
    )
    page.wait_for_load_state("networkidle")
    context.close()
    digest = hashlib.sha256(token.encode()).hexdigest()
    with Session(live_db) as session:
        assessment = session.exec(select(Assessment).where(Assessment.token_hash == digest)).one()
        assert assessment.pasted_items == ["result_story"]
        assert "results_in_your_words" in (assessment.section_times or {})  # the autosaves carried shown_at
