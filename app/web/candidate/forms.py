"""The questionnaire as pages: which section comes next, progress, and form fields to answer values and back.

Field names: ``q.<item>`` for one value (or several, for checkboxes), ``q.<item>.best`` / ``q.<item>.worst``
for situational judgement, ``q.<item>.<platform>`` for tenure and ``q.<item>.<term>`` for familiarity.
Problems are message ids with parameters, translated where they are shown, beside their question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from app.errors import NotFound
from app.i18n import N_
from app.inputs import parse_number
from app.scoring import model as m
from app.scoring.answers import check_answer, is_blank, validate_answers
from app.web.answer_messages import Message, problem_message

PREFIX = "q."
NOT_OBSERVED = "not_observed"


@dataclass(frozen=True)
class Progress:
    step: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.step / self.total)


@dataclass(frozen=True)
class Missing:
    section: m.Section
    item: m.Item
    message: Message


class ParseError(ValueError):
    """A field that cannot be turned into an answer value (for example letters in a number field)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def field_name(item_id: str, part: str | None = None) -> str:
    """Return the form field name of an item (or of one part of it)."""
    return f"{PREFIX}{item_id}" if part is None else f"{PREFIX}{item_id}.{part}"


def section_of(questionnaire: m.Questionnaire, section_id: str) -> m.Section:
    """Return the section with this id or raise NotFound."""
    for section in questionnaire.sections:
        if section.id == section_id:
            return section
    raise NotFound(f"section '{section_id}' is not part of questionnaire '{questionnaire.id}'")


def progress(questionnaire: m.Questionnaire, section: m.Section) -> Progress:
    """Return "step N of M" for a section."""
    return Progress(questionnaire.sections.index(section) + 1, len(questionnaire.sections))


def neighbour(questionnaire: m.Questionnaire, section: m.Section, offset: int) -> m.Section | None:
    """Return the section ``offset`` places away, or None past either end."""
    index = questionnaire.sections.index(section) + offset
    return questionnaire.sections[index] if 0 <= index < len(questionnaire.sections) else None


def first_number(questionnaire: m.Questionnaire, section: m.Section) -> int:
    """Return the number of the section's first question, counted over the whole questionnaire."""
    index = questionnaire.sections.index(section)
    return 1 + sum(len(s.items) for s in questionnaire.sections[:index])


def resume_section(questionnaire: m.Questionnaire, current: str | None) -> m.Section:
    """Return the section to reopen: where the person was, else the first."""
    for section in questionnaire.sections:
        if section.id == current:
            return section
    return questionnaire.sections[0]


def _number(raw: str, message: Message, lang: str) -> float | int:
    # In the page's notation ("1.234,56" in Dutch), or "€ 300", "65 %": app.inputs.parse_number.
    try:
        return parse_number(raw, lang)
    except ValueError:
        raise ParseError(message) from None


def _int_choice(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ParseError(Message(N_("Choose one of the options."))) from None


def parse_item(item: m.Item, form: FormData, lang: str) -> Any:
    """Turn an item's form fields into its answer value (None when unanswered); raise ParseError.

    Numbers are read in the notation of the page's language ``lang``.
    """
    name = field_name(item.id)
    if isinstance(item, m.MultipleChoiceItem):
        return [str(v) for v in form.getlist(name)]
    if isinstance(item, m.SjtItem):
        best, worst = form.get(field_name(item.id, "best")), form.get(field_name(item.id, "worst"))
        if not best and not worst:
            return None
        return {"best": best or None, "worst": worst or None}
    if isinstance(item, m.TenureItem):
        message = Message(
            N_("Enter the number of years (0 to 100) or leave it empty.")
            if item.unit == "years"
            else N_("Enter a year such as 2015, or leave it empty.")
        )
        claims = {}
        for platform in item.platforms:
            typed = str(form.get(field_name(item.id, platform)) or "")
            if typed.strip():
                claims[platform] = _number(typed, message, lang)
        return claims or None
    if isinstance(item, m.FamiliarityItem):
        ratings = {}
        for term in item.terms:
            rating = _int_choice(_str(form.get(field_name(item.id, term.id))))
            if rating is not None:
                ratings[term.id] = rating
        return ratings or None
    raw = _str(form.get(name))
    if isinstance(item, m.LikertItem):
        return _int_choice(raw)
    if isinstance(item, m.BarsItem):
        return None if raw == NOT_OBSERVED else _int_choice(raw)
    if isinstance(item, m.NumericItem):
        if raw is None or not raw.strip():
            return None
        return _number(raw, Message(N_("Enter a number, for example 12.5.")), lang)
    if isinstance(item, m.FreeTextItem):
        return None if raw is None else raw.replace("\r\n", "\n")
    return raw or None  # single choice, yes/no


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class PageInput:
    """What one submitted page holds: values to save, what was typed (to show again) and problems."""

    values: dict[str, Any] = field(default_factory=dict)
    shown: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, Message] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)


def read_items(items: list[m.Item], form: FormData, lang: str) -> PageInput:
    """Parse and check the fields of ``items`` (numbers in ``lang``'s notation); valid or blank values are
    ready for save_answers."""
    page = PageInput()
    for item in items:
        try:
            value = parse_item(item, form, lang)
        except ParseError as error:
            page.problems[item.id] = error.message
            page.shown[item.id] = _raw(item, form)
            continue
        page.shown[item.id] = value
        if isinstance(item, m.SjtItem) and isinstance(value, dict) and None in value.values():
            # Half an answer: keep it on screen and ask for the other half instead of saving it.
            page.incomplete.add(item.id)
            page.problems[item.id] = problem_message(item, value, lang)
            continue
        if value is not None and not is_blank(item, value) and check_answer(item, value):
            page.problems[item.id] = problem_message(item, value, lang)
            continue
        page.values[item.id] = value
    return page


def _raw(item: m.Item, form: FormData) -> Any:
    if isinstance(item, m.TenureItem):
        return {p: str(form.get(field_name(item.id, p)) or "") for p in item.platforms}
    return _str(form.get(field_name(item.id)))


def outstanding(questionnaire: m.Questionnaire, answers: Mapping[str, Any], lang: str) -> list[Missing]:
    """List what still blocks submitting, in questionnaire order: missing or invalid answers."""
    errors = {e.item_id: e.message for e in validate_answers(questionnaire, answers, complete=True)}
    found = []
    for section in questionnaire.sections:
        for item in section.items:
            if item.id not in errors:
                continue
            if item.id in answers and isinstance(item, m.FamiliarityItem):
                message = Message(N_("Rate every term in this list."))
            elif item.id in answers:
                message = problem_message(item, answers[item.id], lang)
            else:
                message = Message(N_("This question still needs an answer."))
            found.append(Missing(section, item, message))
    return found


def still_open(questionnaire: m.Questionnaire, section: m.Section, answers: Mapping[str, Any]) -> int:
    """Return how many questions of ``section`` still block submitting (the ones the review page lists)."""
    errors = {e.item_id for e in validate_answers(questionnaire, answers, complete=True)}
    return sum(1 for item in section.items if item.id in errors)


def answered_count(questionnaire: m.Questionnaire, answers: Mapping[str, Any]) -> tuple[int, int]:
    """Return (answered, total) over the questions of the questionnaire."""
    items = questionnaire.items()
    done = sum(1 for item in items if item.id in answers and not is_blank(item, answers[item.id]))
    return done, len(items)


@dataclass(frozen=True)
class Point:
    value: int
    text: m.Text | None


def scale(item: m.LikertItem | m.BarsItem | m.FamiliarityItem) -> list[Point]:
    """Return every point of a rating scale with its label where the questionnaire gives one."""
    if isinstance(item, m.BarsItem):
        return [Point(a.value, a.text) for a in item.anchors]
    labels = {p.value: p.text for p in item.labels}
    return [Point(value, labels.get(value)) for value in range(item.min, item.max + 1)]
