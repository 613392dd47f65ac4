"""Check answers against a questionnaire: every problem names the item and what was wrong.

Answer shapes by item type:

====================  ==========================================================
single_choice         option id                         ``"b"``
multiple_choice       list of option ids                ``["leads", "revenue"]``
likert, bars          integer on the scale; bars also ``null`` (not observed)
sjt                   ``{"best": option id, "worst": option id}``
numeric               number                            ``87.5``
tenure                ``{platform id: years or start year, or null}``
familiarity           ``{term id: rating}``
free_text             string
yes_no                ``"yes"`` or ``"no"`` (``true``/``false`` accepted)
====================  ==========================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.scoring import model as m

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; lone surrogates (as app.inputs).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class AnswerError:
    item_id: str
    message: str

    def __str__(self) -> str:
        return f"item '{self.item_id}': {self.message}"


NUMBER_LIMIT = 10**12
"""Larger numbers are refused: no answer needs them, and a 400-digit integer cannot become a float."""
# The problem of a required item left open, when a complete answer set is asked for.
REQUIRED = "an answer is required"


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -NUMBER_LIMIT <= value <= NUMBER_LIMIT
    return isinstance(value, float) and math.isfinite(value) and abs(value) <= NUMBER_LIMIT


def _shown(value: Any) -> str:
    """Return a value for a message; a huge integer is described, not printed digit by digit."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > NUMBER_LIMIT:
        return f"a number of {len(str(abs(value)))} digits"
    return repr(value)


def _is_int(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()


def _option_ids(item: m.ChoiceItem | m.SjtItem) -> list[str]:
    return [o.id for o in item.options]


def _single(item: m.SingleChoiceItem, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected one option id (a string), got {type(value).__name__}"
    if value not in _option_ids(item):
        return f"'{value}' is not an option; choose one of {_option_ids(item)}"
    return None


def _multiple(item: m.MultipleChoiceItem, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "expected a list of option ids"
    unknown = [v for v in value if v not in _option_ids(item)]
    if unknown:
        return f"{unknown} are not options; choose from {_option_ids(item)}"
    if len(set(value)) != len(value):
        return "an option is chosen twice"
    if len(value) < item.min_choices:
        return f"choose at least {item.min_choices} option(s), got {len(value)}"
    if item.max_choices is not None and len(value) > item.max_choices:
        return f"choose at most {item.max_choices} option(s), got {len(value)}"
    if len(value) > 1:
        alone = next((o.id for o in item.options if o.exclusive and o.id in value), None)
        if alone is not None:
            others = [v for v in value if v != alone]
            return f"'{alone}' excludes every other option; choose it alone or leave it out, got it with {others}"
    return None


def _scale(low: int, high: int, value: Any) -> str | None:
    if not _is_int(value):
        return f"expected a whole number from {low} to {high}, got {_shown(value)}"
    if not low <= value <= high:
        return f"{value} is outside the scale {low}..{high}"
    return None


def _likert(item: m.LikertItem, value: Any) -> str | None:
    return _scale(item.min, item.max, value)


def _bars(item: m.BarsItem, value: Any) -> str | None:
    if value is None:
        return None if item.allow_not_observed else "a rating is required (not observed is not allowed)"
    return _scale(item.anchors[0].value, item.anchors[-1].value, value)


def _sjt(item: m.SjtItem, value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != {"best", "worst"}:
        return 'expected {"best": option id, "worst": option id}'
    ids = _option_ids(item)
    for field in ("best", "worst"):
        if value[field] not in ids:
            return f"{field} '{value[field]}' is not an option; choose one of {ids}"
    if value["best"] == value["worst"]:
        return "the best and the worst option must differ"
    return None


def _numeric(item: m.NumericItem, value: Any) -> str | None:
    if not _is_number(value):
        return f"expected a number, got {_shown(value)}"
    if item.min is not None and value < item.min:
        return f"{value} is below the minimum {item.min:g}"
    if item.max is not None and value > item.max:
        return f"{value} is above the maximum {item.max:g}"
    return None


def _tenure(item: m.TenureItem, value: Any) -> str | None:
    if not isinstance(value, dict):
        return "expected an object of platform id to a number (or null)"
    unknown = sorted(set(value) - set(item.platforms))
    if unknown:
        return f"unknown platform(s) {unknown}; expected some of {list(item.platforms)}"
    high = 100 if item.unit == "years" else 2200
    low = 0 if item.unit == "years" else 1900
    for platform, claim in value.items():
        if claim is None:
            continue
        if not _is_number(claim) or not low <= claim <= high:
            return f"platform '{platform}': expected a number from {low} to {high} or null, got {_shown(claim)}"
    return None


def _familiarity(item: m.FamiliarityItem, value: Any) -> str | None:
    if not isinstance(value, dict):
        return "expected an object of term id to a rating"
    ids = [t.id for t in item.terms]
    unknown = sorted(set(value) - set(ids))
    if unknown:
        return f"unknown term(s) {unknown}"
    for term, rating in value.items():
        problem = _scale(item.min, item.max, rating)
        if problem:
            return f"term '{term}': {problem}"
    return None


def _free_text(item: m.FreeTextItem, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if len(value) > item.max_length:
        return f"text is {len(value)} characters long; the limit is {item.max_length}"
    control = CONTROL.search(value)
    if control:
        # PostgreSQL cannot store NUL, and no control character belongs in an answer (tab and newlines do).
        return f"text contains the control character U+{ord(control.group()):04X}; remove it"
    return None


def _yes_no(item: m.YesNoItem, value: Any) -> str | None:
    if value not in ("yes", "no", True, False):
        return f"expected 'yes' or 'no', got {_shown(value)}"
    return None


_CHECKS: dict[type[Any], Callable[[Any, Any], str | None]] = {
    m.SingleChoiceItem: _single,
    m.MultipleChoiceItem: _multiple,
    m.LikertItem: _likert,
    m.BarsItem: _bars,
    m.SjtItem: _sjt,
    m.NumericItem: _numeric,
    m.TenureItem: _tenure,
    m.FamiliarityItem: _familiarity,
    m.FreeTextItem: _free_text,
    m.YesNoItem: _yes_no,
}


def is_blank(item: m.Item, value: Any) -> bool:
    """True when the value counts as 'not answered' for this item."""
    if value is None:
        return not isinstance(item, m.BarsItem)
    if isinstance(value, str):
        return isinstance(item, m.FreeTextItem | m.SingleChoiceItem) and not value.strip()
    if isinstance(value, dict | list):
        if isinstance(item, m.TenureItem):
            return all(v is None for v in value.values()) if isinstance(value, dict) else not value
        return not value
    return False


def check_answer(item: m.Item, value: Any) -> str | None:
    """Return what is wrong with one answer, or None when it is acceptable."""
    return _CHECKS[type(item)](item, value)


def validate_answers(
    questionnaire: m.Questionnaire, answers: Mapping[str, Any], *, complete: bool = True
) -> list[AnswerError]:
    """Return every problem with ``answers``; with ``complete`` a missing required answer is one."""
    items = {item.id: item for item in questionnaire.items()}
    errors = [AnswerError(key, "no such item in this questionnaire") for key in answers if key not in items]
    for item_id, item in items.items():
        if item_id not in answers or is_blank(item, answers[item_id]):
            if complete and item.required and not isinstance(item, m.TenureItem | m.BarsItem):
                errors.append(AnswerError(item_id, REQUIRED))
            continue
        problem = check_answer(item, answers[item_id])
        if problem:
            errors.append(AnswerError(item_id, problem))
        elif complete and isinstance(item, m.FamiliarityItem):
            missing = [t.id for t in item.terms if t.id not in answers[item_id]]
            if missing:
                errors.append(AnswerError(item_id, f"rate every term; missing {missing}"))
    return errors
