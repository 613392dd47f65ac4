"""Varied, valid answer sets for a questionnaire, derived from its example answer files.

Used by the scoring benchmark (it lives here, not in app/, because only benchmarks need it). A benchmark
that scores the same four answer files over and over measures a warm cache, not the
engine. These sets start from a persona's answers and change each item with some probability to
another valid answer; free texts are rebuilt from the sentences of all example texts with their
figures changed, so text analysis sees new strings every time. Seeded, so runs are comparable.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from app.scoring import model as m
from app.scoring.answers import validate_answers

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_FIGURE = re.compile(r"\d+")


def example_answers(examples: Path, questionnaire_id: str) -> list[dict[str, Any]]:
    """The ``answers`` of every ``<questionnaire_id>--<persona>.json`` in ``examples``."""
    paths = sorted(examples.glob(f"{questionnaire_id}--*.json"))
    return [json.loads(p.read_text(encoding="utf-8"))["answers"] for p in paths]


def _sentences(bases: list[dict[str, Any]], questionnaire: m.Questionnaire) -> list[str]:
    free = [item.id for item in questionnaire.items() if isinstance(item, m.FreeTextItem)]
    found = {s for base in bases for item_id in free for s in _SENTENCE.split(base.get(item_id) or "") if s.strip()}
    return sorted(found) or ["We grew followers and likes every month."]


def _text(rng: random.Random, sentences: list[str], limit: int) -> str:
    picked = rng.sample(sentences, k=min(len(sentences), rng.randint(1, 5)))
    text = " ".join(_FIGURE.sub(lambda f: str(max(1, int(f.group()) + rng.randint(-9, 40))), s) for s in picked)
    return text[:limit]


def _random_answer(rng: random.Random, item: m.Item, sentences: list[str]) -> Any:
    if isinstance(item, m.SjtItem):
        best, worst = rng.sample([o.id for o in item.options], k=2)
        return {"best": best, "worst": worst}
    if isinstance(item, m.SingleChoiceItem):
        return rng.choice(item.options).id
    if isinstance(item, m.MultipleChoiceItem):
        ids = [o.id for o in item.options]
        high = min(item.max_choices or len(ids), len(ids))
        chosen = rng.sample(ids, k=rng.randint(max(1, item.min_choices), high))
        # An exclusive option ("none", "not applicable") is an answer only on its own.
        return next(([o.id] for o in item.options if o.exclusive and o.id in chosen), chosen)
    if isinstance(item, m.LikertItem):
        return rng.randint(item.min, item.max)
    if isinstance(item, m.BarsItem):
        values: list[int | None] = [a.value for a in item.anchors]
        return rng.choice(values + ([None] if item.allow_not_observed else []))
    if isinstance(item, m.NumericItem):
        value = round(item.key.answer * rng.choice([1.0, 1.0, 0.9, 1.5, 0.5, 2.0]), 1)
        floor = item.min if item.min is not None else value
        ceiling = item.max if item.max is not None else value
        return min(max(value, floor), ceiling)
    if isinstance(item, m.TenureItem):
        first = 0 if item.unit == "years" else 1990
        last = 25 if item.unit == "years" else 2026
        return {p: rng.randint(first, last) for p in item.platforms if rng.random() < 0.8}
    if isinstance(item, m.FamiliarityItem):
        return {t.id: rng.randint(item.min, item.max) for t in item.terms}
    if isinstance(item, m.FreeTextItem):
        return _text(rng, sentences, item.max_length)
    if isinstance(item, m.YesNoItem):
        return rng.choice(["yes", "no"])
    raise TypeError(f"no generator for {type(item).__name__}")


def varied(
    questionnaire: m.Questionnaire,
    bases: list[dict[str, Any]],
    count: int,
    *,
    seed: int = 20261128,
    change: float = 0.35,
) -> list[dict[str, Any]]:
    """``count`` valid answer sets: a random base with each item changed with probability ``change``."""
    if not bases:
        raise ValueError(f"no example answers for {questionnaire.id} to vary")
    rng = random.Random(seed)
    sentences = _sentences(bases, questionnaire)
    items = questionnaire.items()
    out: list[dict[str, Any]] = []
    while len(out) < count:
        answers = dict(rng.choice(bases))
        for item in items:
            if rng.random() < change:
                answers[item.id] = _random_answer(rng, item, sentences)
            elif isinstance(item, m.FreeTextItem) and answers.get(item.id):
                answers[item.id] = _text(rng, sentences, item.max_length)
        if not validate_answers(questionnaire, answers):
            out.append(answers)
    return out
