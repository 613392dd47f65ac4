"""Answer files on disk (``questions/examples/``, or an ATS export): read them and check they fit a questionnaire."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.scoring import model as m


class AnswerFileError(ValueError):
    """An answer file that cannot be scored; the message is one line naming the file and the problem."""


@dataclass(frozen=True)
class AnswerFile:
    path: Path
    answers: dict[str, Any]
    date: str | None
    """The assessment date the file is meant for (example files carry one)."""
    lang: str | None


def read(path: Path, questionnaire: m.Questionnaire, others: list[m.Questionnaire]) -> AnswerFile:
    """Read a JSON object of item id to answer (or an example file wrapping one) meant for ``questionnaire``.

    A file written for another questionnaire is refused in one line that says which one it fits.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise AnswerFileError(f"{path}: cannot be read: {error}") from error
    except json.JSONDecodeError as error:
        raise AnswerFileError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise AnswerFileError(f"{path}: expected a JSON object of item id to answer")
    # An example file (questions/examples/) wraps the answers with its questionnaire, date and language.
    wrapped = isinstance(data.get("answers"), dict)
    answers: dict[str, Any] = data["answers"] if wrapped else data
    meant = data.get("questionnaire") if wrapped else None
    if meant is not None and meant != questionnaire.id:
        raise AnswerFileError(f"{path}: these are answers to '{meant}', not to '{questionnaire.id}'")
    ids = {item.id for item in questionnaire.items()}
    if answers and not ids & set(answers):
        fits = [q.id for q in others if {i.id for i in q.items()} & set(answers)]
        hint = f"; they fit '{fits[0]}'" if fits else ""
        raise AnswerFileError(f"{path}: none of its {len(answers)} item ids is in '{questionnaire.id}'{hint}")
    return AnswerFile(
        path,
        answers,
        str(data["date"]) if wrapped and data.get("date") else None,
        str(data["lang"]) if wrapped and data.get("lang") else None,
    )


def parse_date(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date, or None for none; a ValueError names the text otherwise."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD") from error
