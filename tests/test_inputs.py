"""Choosing some of a known set (API key scopes, a mentor's languages); numbers as people write them."""

from __future__ import annotations

import pytest

from app.errors import Invalid
from app.inputs import number_text, parse_number, some_of


def test_some_of_trims_sorts_and_keeps_each_once() -> None:
    assert some_of([" write", "read", "write", ""], ["read", "write", "webhooks"], field="scopes", none_given="x") == [
        "read",
        "write",
    ]


def test_some_of_names_the_unknown_values_and_what_is_allowed() -> None:
    with pytest.raises(Invalid) as raised:
        some_of(["read", "admin"], ["write", "read"], field="scopes", none_given="give at least one scope")
    assert raised.value.detail == "scopes: admin not known; use some of read, write"
    assert raised.value.extra["field"] == "scopes"


def test_some_of_refuses_nothing_chosen_with_the_callers_words() -> None:
    with pytest.raises(Invalid, match=r"^languages: name at least one language$"):
        some_of([" "], ["nl", "en"], field="languages", none_given="name at least one language")


@pytest.mark.parametrize(
    ("typed", "lang", "number"),
    [
        ("12,5", "nl", 12.5),
        ("1.234,56", "nl", 1234.56),
        ("1234,56", "nl", 1234.56),
        ("1 234,56", "nl", 1234.56),
        ("1.234.567", "nl", 1234567),
        ("€ 300", "nl", 300),
        ("65 %", "nl", 65),
        ("\u22125", "nl", -5),
        ("1,234.56", "en", 1234.56),
        ("1234.56", "en", 1234.56),
        ("12.5", "en", 12.5),
        ("-100", "en", -100),
        # Malformed in the page's notation, well-formed only in the other one: read that way.
        ("1234.56", "nl", 1234.56),
        ("12.5", "nl", 12.5),
        ("1.234,56", "en", 1234.56),
        ("12,5", "en", 12.5),
    ],
)
def test_numbers_are_read_in_the_notation_people_type(typed: str, lang: str, number: float) -> None:
    assert parse_number(typed, lang) == number


def test_an_ambiguous_number_follows_the_page_language() -> None:
    assert parse_number("1.234", "nl") == 1234 and isinstance(parse_number("1.234", "nl"), int)
    assert parse_number("1.234", "en") == 1.234
    assert parse_number("1,234", "nl") == 1.234
    assert parse_number("1,234", "en") == 1234


@pytest.mark.parametrize("typed", ["", " ", "a lot", "1,2,3", "1.23.4,5", "NaN", "Infinity", "1e999999", "9" * 41])
def test_what_is_no_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(typed, "nl")


@pytest.mark.parametrize("value", [1234.56, 0.1 + 0.2, 1e-7, -100, 1_000_000, 12.5])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_written_number_is_read_back_unchanged(value: float, lang: str) -> None:
    assert parse_number(number_text(value, lang), lang) == value


def test_numbers_are_written_in_the_readers_notation() -> None:
    assert number_text(1234.56, "nl") == "1.234,56"
    assert number_text(1234.56, "en") == "1,234.56"
    assert number_text(2015, "nl", grouping=False) == "2015"
