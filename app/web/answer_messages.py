"""What is wrong with a refused answer, said to the person answering in their language.

The checks (app.scoring.answers.check_answer) explain a refusal in English for the API and the logs; a page
shows the sentence here instead, with the item's own limits, on the candidate's and on HR's forms alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_
from app.inputs import CONTROL_MESSAGE, number_text
from app.scoring import model as m
from app.scoring.answers import CONTROL


@dataclass(frozen=True)
class Message:
    """A translatable message id (English, %-style placeholders) and its values."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)


def problem_message(item: m.Item, value: Any, lang: str) -> Message:
    """Describe, for the person answering in ``lang``, what is wrong with a value the checks refused."""
    if isinstance(item, m.MultipleChoiceItem) and isinstance(value, list):
        if item.max_choices is not None and len(value) > item.max_choices:
            return Message(N_("Choose at most %(n)s options."), {"n": item.max_choices})
        if len(value) < item.min_choices:
            return Message(N_("Choose at least %(n)s options."), {"n": item.min_choices})
        alone = next((o for o in item.options if o.exclusive and o.id in value), None)
        if alone is not None and len(value) > 1:
            return Message(
                N_("“%(option)s” rules out the other options: choose it on its own, or untick it."),
                {"option": alone.text.get(lang)},
            )
    if isinstance(item, m.SjtItem) and isinstance(value, dict):
        if not value.get("best") or not value.get("worst"):
            return Message(N_("Choose both the best and the worst approach."))
        if value.get("best") == value.get("worst"):
            return Message(N_("The best and the worst approach must be different."))
    if isinstance(item, m.NumericItem):
        low = "–" if item.min is None else number_text(item.min, lang)
        high = "–" if item.max is None else number_text(item.max, lang)
        return Message(N_("Enter a number from %(low)s to %(high)s."), {"low": low, "high": high})
    if isinstance(item, m.TenureItem):
        if item.unit == "years":
            return Message(N_("Enter the number of years (0 to 100) or leave it empty."))
        return Message(N_("Enter a year such as 2015, or leave it empty."))
    if isinstance(item, m.FreeTextItem) and isinstance(value, str):
        if CONTROL.search(value):
            return Message(CONTROL_MESSAGE)
        return Message(N_("Keep your answer to at most %(n)s characters."), {"n": item.max_length})
    if isinstance(item, m.FamiliarityItem):
        return Message(N_("Choose a rating for each term."))
    return Message(N_("Choose one of the options."))
