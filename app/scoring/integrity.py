"""Careless or dishonest responding: implausibly fast sections, straight-lining, pasted free text.

Each flag carries its evidence. Flags lower the confidence in a verdict and are shown to HR, never to
the candidate, and never decide a verdict on their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.scoring import model as m
from app.scoring.compiled import Compiled, fill, number
from app.scoring.presentation import option_order

MIN_GRID = 8
"""Fewer ratings than this in one grid say nothing about straight-lining."""
MIN_SCENARIOS = 6


@dataclass(frozen=True, slots=True)
class Conduct:
    """How the answers were given, as the candidate pages record it."""

    seconds: Mapping[str, float] = field(default_factory=dict)
    """Time spent per section id, from first showing the section to its last save."""
    pasted: frozenset[str] = frozenset()
    """Free-text items whose answer was pasted rather than typed (a browser flag)."""
    option_seed: int | None = None
    """The seed the options were shuffled with for this person (None: shown in file order)."""


def _expected_seconds(section: m.Section, compiled: Compiled) -> float:
    per_item = compiled.policy.integrity.seconds_per_item
    total = 0.0
    for item in section.items:
        each = per_item.get(item.type, 0.0)
        total += each * len(item.terms) if isinstance(item, m.FamiliarityItem) else each
    return total


def _name(compiled: Compiled, lang: str, item_id: str) -> str:
    """An item's label as the name before a colon: "How well do you know these terms" without its full stop."""
    return compiled.labels[lang][item_id].rstrip(" .:;?!")


def check(compiled: Compiled, answers: Mapping[str, Any], conduct: Conduct, lang: str) -> dict[str, Any]:
    """The integrity flags of one questionnaire's answers, each with the evidence behind it."""
    policy = compiled.policy.integrity
    flags: list[tuple[str, str]] = []

    def flag(code: str, **fields: Any) -> None:
        flags.append((code, fill(policy.details[code].get(lang), **fields)))

    for section in compiled.questionnaire.sections:
        spent = conduct.seconds.get(section.id)
        if spent is None:
            continue
        expected = _expected_seconds(section, compiled)
        if expected and spent < policy.fast_share * expected:
            title = section.title.get(lang)
            flag("fast_section", section=title, seconds=number(spent, lang, 0), expected=number(expected, lang, 0))
    for item in compiled.of_type.get("familiarity", ()):
        value = answers.get(item.id)
        if isinstance(value, dict) and len(value) >= MIN_GRID:
            rating, count = Counter(value.values()).most_common(1)[0]
            if count / len(value) >= policy.same_rating_share:
                flag(
                    "straight_lining",
                    items=_name(compiled, lang, item.id),
                    share=f"{count}/{len(value)}",
                    rating=rating,
                )
    for item_id in sorted(conduct.pasted):
        value = answers.get(item_id)
        if item_id in compiled.labels[lang] and isinstance(value, str) and value.strip():
            flag("pasted_text", items=_name(compiled, lang, item_id))
    seed = conduct.option_seed
    sjt = compiled.of_type.get("sjt", ()) if seed is not None else ()
    scenarios = [i for i in sjt if isinstance(i, m.SjtItem) and isinstance(answers.get(i.id), dict)]
    if seed is not None and len(scenarios) >= MIN_SCENARIOS:
        positions = [[o.id for o in option_order(i, seed)].index(answers[i.id]["best"]) + 1 for i in scenarios]
        position, count = Counter(positions).most_common(1)[0]
        if count / len(positions) >= policy.same_position_share:
            flag("same_position", share=f"{count}/{len(positions)}", position=position)
    return {
        "flags": [{"code": code, "label": policy.labels[code].get(lang), "detail": detail} for code, detail in flags],
        "confidence": "lowered" if flags else "normal",
    }
