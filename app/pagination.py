"""Keyset pagination: opaque cursors that carry the sort key of the last row seen.

Lists stay fast at any depth because the next page starts with ``WHERE (key, id) > (cursor)``
on an index instead of skipping rows with OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.errors import BadRequest, Invalid
from app.i18n import N_
from app.problems import template

T = TypeVar("T")
MAX_LIMIT = 200

# A refusal naming its value, registered so that problem documents translate it.
BAD_CURSOR = template(N_("cursor '%(value)s' is not valid; use the next_cursor of a previous page"))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(*values: Any) -> str:
    """Pack the sort key of the last row into an opaque, URL-safe cursor."""
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def bad_cursor(cursor: str) -> BadRequest:
    """Return the error for a cursor we did not make (tampered, truncated or from another list): 400."""
    return BadRequest(BAD_CURSOR % {"value": cursor[:40]}, field="cursor")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """Unpack a cursor made by :func:`encode_cursor`; a tampered or foreign one is a clear 400.

    Callers convert the values they get (a date, an id) inside ``cursor_values`` or catch ValueError and
    TypeError themselves, raising bad_cursor: a cursor is ours only if every part of it reads back.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        raise bad_cursor(cursor) from None
    if not isinstance(values, list) or len(values) != size:
        raise bad_cursor(cursor)
    return values


def clamp_limit(limit: int) -> int:
    """Keep a page size between 1 and MAX_LIMIT."""
    if limit < 1 or limit > MAX_LIMIT:
        raise Invalid(f"limit {limit} is out of range; use 1 to {MAX_LIMIT}")
    return limit
