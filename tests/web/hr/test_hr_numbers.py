"""Numbers in the HR assessment form: read in the page's notation (app.inputs.parse_number), shown back in it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from app.scoring import model as m
from app.web.hr.answers import parse_form, parse_item
from tests.browser.helpers import self_test


def _numeric() -> m.NumericItem:
    [item] = [i for i in self_test().items() if isinstance(i, m.NumericItem) and i.id == "cost_per_customer"]
    return item


@pytest.mark.parametrize(
    ("typed", "lang", "expected"),
    [
        ("1.234,56", "nl", 1234.56),
        ("1.234", "nl", 1234),
        ("12,5", "nl", 12.5),
        ("€ 300", "nl", 300),
        ("1234.56", "nl", 1234.56),  # malformed in Dutch, well-formed in English: read that way
        ("1,234.56", "en", 1234.56),
        ("1.234", "en", 1.234),
        ("", "nl", None),
        ("twaalf", "nl", "twaalf"),  # kept as typed: check_answer names it, the form shows it back
    ],
)
def test_numbers_are_read_in_the_page_notation(typed: str, lang: str, expected: Any) -> None:
    assert parse_item(_numeric(), [typed], lang) == expected


def test_the_whole_form_is_read_in_the_page_language() -> None:
    form = FormData([("cost_per_customer", "1.234,56"), ("csrf_token", "x")])
    assert parse_form(self_test(), form, "nl") == {"cost_per_customer": 1234.56}
    # Malformed in English, well-formed in Dutch: an English page reads it the Dutch way rather than refuse it.
    assert parse_form(self_test(), form, "en") == {"cost_per_customer": 1234.56}


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [(1234.56, "nl", "1.234,56"), (1234.56, "en", "1,234.56"), (0.125, "nl", "0,125"), ("twaalf", "nl", "twaalf")],
)
def test_a_saved_number_is_shown_in_the_page_notation(client: TestClient, value: Any, lang: str, shown: str) -> None:
    env = client.app.state.templates.env  # type: ignore[attr-defined]
    macro = env.from_string(
        '{% from "hr/assessments/_item.html" import item_field %}'
        '{{ item_field(item, value, true, none, lang, "not_observed", false, "/save") }}'
    )
    html = macro.render(item=_numeric(), value=value, lang=lang)
    assert f'value="{shown}"' in html
