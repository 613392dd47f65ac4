"""The fast rounding, number formatting, message templates and tokenizer equal what they replace."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.compiled import Template
from app.scoring.numbers import fmt0, fmt1, fmt_g, iso_date, r1, r4
from app.scoring.policy import template_problem
from app.scoring.text import _TOKEN, _tokens

TIES = [0.05, 0.15, 0.25, 0.35, 2.675, -0.05, -0.25, 0.5, 1.5, 2.5, -0.5, -1.5, 99.95, 0.00005, 1.00015, -0.0, 0.0]
# Exact binary ties, rounded half to even without the builtins: odd quarters (one decimal), odd 32nds (four).
EXACT_TIES = [0.75, 1.25, 2.75, 6.25, 93.75, -0.75, -6.25, 0.03125, 0.09375, -0.03125, 12.40625]
FLOATS = st.floats(min_value=-2e6, max_value=2e6, allow_nan=False) | st.sampled_from(TIES + EXACT_TIES)
# Values on or next to a tie: n / 20 for r1, n / 20000 for r4, and n / 2 for fmt0; the exact ties
# (odd quarters at one decimal, odd 32nds at four), which are rounded half to even without the builtins.
NEAR_TIES = st.integers(-40000, 40000).flatmap(
    lambda n: st.sampled_from(
        [n / 20, n / 20000, n / 2, n / 20 + 1e-9, n / 20 - 1e-9, n / 4, n / 32, n / 32 + 1e-12, n / 4 - 1e-12]
    )
)


@settings(max_examples=3000)
@given(FLOATS | NEAR_TIES)
def test_rounding_and_formatting_equal_the_builtins(x: float) -> None:
    assert repr(r1(x)) == repr(round(x, 1) + 0.0)
    assert repr(r4(x)) == repr(round(x, 4) + 0.0)
    assert fmt0(x) == f"{x:.0f}"
    assert fmt1(x) == f"{x:.1f}"
    assert fmt_g(x) == f"{x:g}"


@pytest.mark.parametrize("x", [*TIES, *EXACT_TIES, 1e7, -1e7, 1e300, 123456.0, 999999.0, 1000000.0, 5e-324])
def test_edge_values(x: float) -> None:
    assert repr(r1(x)) == repr(round(x, 1) + 0.0)
    assert repr(r4(x)) == repr(round(x, 4) + 0.0)
    assert fmt1(x) == f"{x:.1f}"
    assert fmt0(x) == f"{x:.0f}"
    assert fmt_g(x) == f"{x:g}"


def test_rounding_never_gives_negative_zero() -> None:
    assert repr(r1(-0.04)) == "0.0"
    assert repr(r4(-0.00001)) == "0.0"
    assert fmt0(-0.3) == "-0"  # as f"{-0.3:.0f}" writes it
    assert fmt1(-0.04) == "-0.0"


CHARACTERS = [*"ab Z9_-'’€$%.,;:!?()\"“”\n\t", "é", "ß", "٣", "½", "—"]
TEXT = st.text(alphabet=st.sampled_from(CHARACTERS), max_size=40) | st.text(
    alphabet=st.characters(max_codepoint=127), max_size=40
)


@settings(max_examples=2000)
@given(TEXT)
def test_tokens_equal_the_regular_expression(text: str) -> None:
    assert _tokens(text) == _TOKEN.findall(text.lower())


@pytest.mark.parametrize(
    ("text", "names", "values"),
    [
        ("{label}: {score} of {n} items", ("label", "score", "n"), ["ROI", "80", "3"]),
        ("no fields at all", (), []),
        ("{n} before {label}", ("label", "n"), ["x", "2"]),
        ("braces {{kept}} and {a}{b}{c}{d}", ("a", "b", "c", "d"), ["1", "2", "3", "4"]),
    ],
)
def test_templates_fill_like_format(text: str, names: tuple[str, ...], values: list[str]) -> None:
    assert Template(text, names).fill(values) == text.format(**dict(zip(names, values, strict=True)))


def test_a_message_with_an_unknown_field_or_a_format_spec_is_refused() -> None:
    assert "unknown field {scor}" in (template_problem("{label} scored {scor}", ("label", "score")) or "")
    assert "format spec" in (template_problem("{score:.1f}", ("score",)) or "")
    with pytest.raises(ValueError, match="unknown field"):
        Template("{nope}", ("label",))
    assert re.search("may use {label}", template_problem("{x}", ("label",)) or "")


@given(st.dates())
def test_iso_date_equals_isoformat(day: dt.date) -> None:
    assert iso_date(day) == day.isoformat()
