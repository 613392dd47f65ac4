"""Turn the HR form's fields into answer values of the shapes app/scoring/answers.py documents."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from app.inputs import parse_number
from app.scoring import model as m

NOT_OBSERVED = "not_observed"
# Item types the HR form renders; the others are answered by candidates on their own pages.
HR_TYPES = ("bars", "single_choice", "multiple_choice", "yes_no", "free_text", "likert", "numeric")


def _integer(raw: str) -> int | str:
    try:
        return int(raw)
    except ValueError:
        return raw  # check_answer names the bad value


def parse_item(item: m.Item, values: list[str], lang: str) -> Any:
    """Return the answer for one item from its submitted field values (blank means: remove the answer).

    A number is read in the page's notation first (1.234,56 on a Dutch page): app.inputs.parse_number.
    """
    if isinstance(item, m.MultipleChoiceItem):
        # The form sends an empty marker before the boxes, so unticking every box is seen as "none".
        return [v for v in values if v]
    raw = next((v for v in reversed(values) if v != ""), "")
    if isinstance(item, m.FreeTextItem):
        # A textarea always sends its field; keep exactly what was typed, line breaks included.
        return values[-1] if values else ""
    if isinstance(item, m.BarsItem):
        if raw == NOT_OBSERVED:
            return None
        return _integer(raw) if raw else ""
    if isinstance(item, m.LikertItem):
        return _integer(raw) if raw else None
    if isinstance(item, m.NumericItem):
        if not raw:
            return None
        try:
            return parse_number(raw, lang)
        except ValueError:
            return raw  # check_answer names the bad value, and the form shows it back as typed
    if isinstance(item, m.YesNoItem | m.SingleChoiceItem):
        return raw or None
    return raw


def parse_form(questionnaire: m.Questionnaire, form: FormData, lang: str) -> dict[str, Any]:
    """Return the answers present in the form, item id to value; items not in the form are left out."""
    values: dict[str, Any] = {}
    for item in questionnaire.items():
        if item.id not in form or item.type not in HR_TYPES:
            continue
        value = parse_item(item, [v for v in form.getlist(item.id) if isinstance(v, str)], lang)
        if isinstance(item, m.BarsItem) and value == "":
            continue  # no radio chosen: nothing to save, nothing to remove
        values[item.id] = value
    return values
