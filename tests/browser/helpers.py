"""Helpers for driving the candidate pages: persona answers as form fields, filling by mouse or keyboard."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from app.config import ROOT
from app.questionnaires.loader import load_bank
from app.scoring import engine
from app.scoring import model as m


@cache
def self_test() -> m.Questionnaire:
    """Return the shipped self-test, as the server renders it."""
    bank = {q.id: q for q in load_bank(ROOT / "questions")}
    return engine.compile_bundle(bank["self-test"].bundle).questionnaire


def persona(name: str = "self-test--midlevel") -> dict[str, Any]:
    """Return a persona's answers from questions/examples."""
    answers: dict[str, Any] = json.loads((ROOT / "questions" / "examples" / f"{name}.json").read_text())["answers"]
    return answers


def fields(section: m.Section, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Return the form fields (name to values) that answer a section like the persona did."""
    found: dict[str, list[str]] = {}
    for item in section.items:
        value = answers.get(item.id)
        if value is None:
            continue
        name = f"q.{item.id}"
        if isinstance(value, list):
            found[name] = [str(v) for v in value]
        elif isinstance(value, dict):
            for key, part in value.items():
                found[f"{name}.{key}"] = [str(part)]
        else:
            found[name] = [str(value)]
    return found


def fill_section(page: Any, section: m.Section, answers: dict[str, Any]) -> None:
    """Answer every question of the section on screen, with the pointer (check, fill)."""
    for name, values in fields(section, answers).items():
        controls = page.locator(f'[name="{name}"]')
        kind = controls.first.evaluate("el => el.type || el.tagName.toLowerCase()")
        if kind in ("radio", "checkbox"):
            for value in values:
                controls.locator(f'xpath=self::*[@value="{value}"]').check()
        else:
            controls.first.fill(values[0])


def go_on(page: Any, value: str = "next") -> None:
    """Press "Save and continue" (or "Back") and wait for the next page.

    The page may hold the submit until running autosaves are done, so wait for the navigation itself.
    """
    with page.expect_navigation():
        page.locator(f'button[name="go"][value="{value}"]').click()


def overflows(page: Any) -> bool:
    """Tell whether the page scrolls sideways (content wider than the viewport)."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
          checked: !!el.checked};
}"""


def answer_with_keyboard(page: Any, section: m.Section, answers: dict[str, Any], *, max_steps: int = 2000) -> None:
    """Answer a section and continue using only the keyboard: Tab, arrows, Space, typing and Enter.

    Every control reached must show a visible focus indicator.
    """
    wanted = fields(section, answers)
    for _ in range(max_steps):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["tag"] in ("input", "textarea", "button", "select"):
            assert page.evaluate(FOCUS_VISIBLE), f"no visible focus on {active}"
        name, kind = active["name"], active["type"]
        if active["tag"] == "button" and name == "go" and active["value"] == "next":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if name not in wanted:
            continue
        values = wanted[name]
        if kind == "radio":
            for _ in range(20):
                now = page.evaluate(ACTIVE)
                if now["value"] == values[0]:
                    if not now["checked"]:
                        page.keyboard.press("Space")
                    break
                page.keyboard.press("ArrowDown")
            assert page.evaluate(ACTIVE)["checked"], f"could not choose {values[0]} in {name}"
        elif kind == "checkbox":
            if (active["value"] in values) != active["checked"]:
                page.keyboard.press("Space")
        elif active["tag"] in ("input", "textarea"):
            page.keyboard.type(values[0])
    raise AssertionError(f"never reached the continue button of section {section.id}")
