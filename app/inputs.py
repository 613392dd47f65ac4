"""Text and numbers at the boundary: control characters and out-of-range integers never reach the database.

PostgreSQL cannot store NUL in text, and neither database can compare an integer beyond 64 bits (our ids
are 32-bit). Every request is checked once, before its handler runs (``guard``, an application-wide
dependency): path and query parameters, form fields and JSON bodies. A text with a control character
other than tab, line feed and carriage return is refused with 422 naming the field; an integer path
parameter beyond the id range is a 404 (no such object), as is one that is not a positive whole number
under /api and /integrations; an integer query parameter is a 422.

Answers are the exception: routes that save answers check them item by item (app.scoring.answers), so
one pasted control character costs only that answer, never the others on the page.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.errors import Invalid, NotFound
from app.i18n import N_
from app.problems import template, wants_problem
from app.scoring.answers import CONTROL

MAX_ID = 2_147_483_647
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Routes whose body holds answers, checked per item by the answer checks.
ANSWER_ROUTES = frozenset(
    {
        "candidate_section_save",
        "candidate_autosave",
        "candidate_submit",
        "hr_assessment_save",
        "hr_assessment_complete",
        "api_assessment_answers",
        "api_assessment_submit",
    }
)
CONTROL_MESSAGE = N_(
    "The text contains a control character (such as a NUL byte) that cannot be stored; remove it and try again."
)


def control_character(text: str) -> str | None:
    """Return the first forbidden control character of text as U+XXXX, or None when there is none."""
    found = CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _refuse(field: str, text: str) -> None:
    code = control_character(text)
    if code is not None:
        # "field: fixed text": pages show the fixed text translated (app.problems), machines read field.
        raise Invalid(f"{field}: {CONTROL_MESSAGE}", field=field, character=code)


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _strings(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and int in typing.get_args(annotation)


IntParams = tuple[frozenset[str], frozenset[str], frozenset[str]]


def _int_params(route: APIRoute) -> IntParams:
    """Return the names of the route's integer path, query and form parameters (its dependencies' too)."""
    # Worked out once per route (routes are not hashable, so the result is kept on the route itself).
    cached: IntParams | None = getattr(route, "_touchstone_int_params", None)
    if cached is None:
        cached = _find_int_params(route)
        route._touchstone_int_params = cached  # type: ignore[attr-defined]
    return cached


def _find_int_params(route: APIRoute) -> IntParams:
    stack, path, query, body = [route.dependant], set(), set(), set()
    while stack:
        current = stack.pop()
        path |= _int_names(current.path_params)
        query |= _int_names(current.query_params)
        body |= _int_names(current.body_params)
        stack.extend(current.dependencies)
    return frozenset(path), frozenset(query), frozenset(body)


def _int_names(params: list[Any]) -> set[str]:
    """Return the names of integer parameters; a query or form model's integer fields count one by one."""
    names: set[str] = set()
    for param in params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields.items()
            names |= {field.alias or name for name, field in fields if _is_int(field.annotation)}
        elif _is_int(annotation):
            names.add(param.alias)
    return names


def _too_big(raw: str) -> bool:
    digits = raw.strip().lstrip("+-")
    return digits.isdigit() and (len(digits) > 10 or int(digits) > MAX_ID)


# An id in the path that names no row (too big, letters, 0): the parameter's name and the value as sent.
NO_SUCH_ID = template(N_("%(name)s %(value)s does not exist"))


async def guard(request: Request) -> None:
    """Refuse control characters in any text input and integers beyond the id range (see the module)."""
    route = request.scope.get("route")
    for name, value in request.path_params.items():
        _refuse(name, str(value))
    for name, value in request.query_params.multi_items():
        _refuse(name, name)
        _refuse(name, value)
    ints_in_body: frozenset[str] = frozenset()
    if isinstance(route, APIRoute):
        ints_in_path, ints_in_query, ints_in_body = _int_params(route)
        for name in ints_in_path:
            raw = str(request.path_params.get(name, ""))
            if _too_big(raw):
                raise NotFound(NO_SUCH_ID % {"name": name, "value": f"{raw[:20]}…"})
            if wants_problem(request) and (not (raw.isascii() and raw.isdigit()) or int(raw) < 1):
                # To a machine, an id we cannot have issued (abc, -1, 0) is unknown like any other: 404, not
                # 422. (A person's page keeps its order: signing in comes first.)
                raise NotFound(NO_SUCH_ID % {"name": name, "value": f"'{raw[:20]}'"})
        for name in ints_in_query:
            for raw in request.query_params.getlist(name):
                if _too_big(raw):
                    raise Invalid(f"{name}: {raw[:20]}… is out of range; use 1 to {MAX_ID}", field=name)
        if route.name in ANSWER_ROUTES or request.method in ("GET", "HEAD"):
            return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(FORM_TYPES):
        form = await request.form()
        for name, value in form.multi_items():
            _refuse(name, name)
            if isinstance(value, str):
                _refuse(name, value)
                if name in ints_in_body and _too_big(value):
                    raise Invalid(f"{name}: {value[:20]}… is out of range; use 1 to {MAX_ID}", field=name)
    elif "json" in content_type:
        body = await request.body()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            return  # the route's own parsing reports it
        for where, text in _strings(parsed, ""):
            _refuse(where or "body", text)


def some_of(values: Iterable[str], known: Iterable[str], *, field: str, none_given: str) -> list[str]:
    """Return the values chosen from ``known`` (trimmed, sorted, each once); an unknown one or none is Invalid.

    ``none_given`` is the detail when nothing was chosen (app.form_messages translates it on a form).
    """
    allowed = sorted(known)
    chosen = sorted({value.strip() for value in values if value.strip()})
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        raise Invalid(f"{field}: {', '.join(unknown)} not known; use some of {', '.join(allowed)}", field=field)
    if not chosen:
        raise Invalid(f"{field}: {none_given}", field=field)
    return chosen


# The other notation tried when a number is malformed in the reader's own (see parse_number).
_OTHER_NOTATION = {"nl": "en", "en": "nl"}
# Typed around a number and left out: spaces (also as thousands separators), currency and percent signs.
_AROUND_NUMBERS = re.compile(r"[\s€%]")
_LONGEST_NUMBER = 40


def parse_number(text: str, lang: str) -> int | float:
    """Read a number as people write it in ``lang``; raise ValueError when the text is not a number.

    Dutch writes 1.234,56 and English 1,234.56 (Babel knows both). The reader's own notation wins:
    "1.234" is 1234 in Dutch and 1.234 in English. Only a text that is malformed there but well-formed
    in the other notation is read that way ("1234.56" or "12.5" on a Dutch page), so nobody has to know
    which one the page expects. Spaces, "€" and "%" are left out; a whole number comes back as an int.
    """
    cleaned = _AROUND_NUMBERS.sub("", text).replace("\u2212", "-")  # U+2212 is the typographic minus
    if not cleaned or len(cleaned) > _LONGEST_NUMBER:
        raise ValueError(f"{text[:_LONGEST_NUMBER]!r} is not a number")
    for locale in (lang, _OTHER_NOTATION.get(lang, "en")):
        try:
            parsed = parse_decimal(cleaned, locale=locale, strict=True)
        except NumberFormatError:
            continue
        # Through float, as the answers are stored: an exponent such as 1e999999 never becomes a huge int.
        number = float(parsed)
        if not math.isfinite(number):
            break
        return int(number) if number.is_integer() else number
    raise ValueError(f"{text[:_LONGEST_NUMBER]!r} is not a number")


def number_text(value: float, lang: str, *, grouping: bool = True) -> str:
    """Write a number the way ``lang`` reads it, every decimal kept, so that parse_number reads it back."""
    return format_decimal(value, locale=lang, decimal_quantization=False, group_separator=grouping)
