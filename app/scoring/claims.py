"""The claims index: what a person says about themselves rather than shows, each signal with its reason."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from app.scoring import model as m
from app.scoring.collect import Collected, Hit
from app.scoring.compiled import Compiled, fill, number
from app.scoring.overclaiming import OverclaimingIndices

S = m.Signal
SIGNALS: Final = tuple(S)


@dataclass(frozen=True, slots=True)
class Signal:
    code: m.Signal
    strength: float
    """0-1."""
    hits: list[Hit]


def foil_strength(oc: OverclaimingIndices, compiled: Compiled) -> float:
    """Over-claiming on the familiarity list (policy ``overclaiming``): the larger of two readings.

    From bias c and accuracy d': low c (claiming much) raises it, high d' (claims that still tell real
    terms from invented ones) lowers it. From the share of invented terms claimed: someone who claims few
    real terms but knows several invented ones well has no low c, and is over-claiming all the same.
    One slip costs little either way.
    """
    if not oc.false_alarms:
        return 0.0
    p = compiled.policy.overclaiming
    bias = min(1.0, max(0.0, (-oc.c - p.c_free) / p.c_span))
    blindness = min(1.0, max(0.0, (p.d_full - oc.d_prime) / (p.d_full - p.d_none)))
    invented = min(1.0, max(0.0, (oc.false_alarms - p.free_foils) / max(1.0, p.full_share * oc.foils - p.free_foils)))
    return max(bias * blindness, invented)


def signals(parts: list[Collected], self_excess: float, extra: list[Hit]) -> list[Signal]:
    """Every claim signal with a strength above zero, with the answers behind it."""
    compiled = parts[0].compiled
    policy = compiled.policy
    hits: dict[str, list[Hit]] = {s: [] for s in SIGNALS}
    for hit in [*extra, *(h for p in parts for h in p.hits)]:
        hits[hit.code].append(hit)
    fired: list[Signal] = []
    for signal in SIGNALS:
        found = hits[signal]
        match signal:
            case S.FOILS_CLAIMED:
                oc = next((p.overclaiming for p in parts if p.overclaiming is not None), None)
                strength = foil_strength(oc, compiled) if oc is not None else 0.0
            case S.IMPOSSIBLE_TENURE:
                t = policy.tenure
                strength = min(1.0, t.first_claim_strength + t.each_further_claim * (len(found) - 1)) if found else 0.0
            case S.BUZZWORD_DENSITY:
                strength = max(p.buzzword_strength for p in parts)
            case S.SELF_RATING_ABOVE_EVIDENCE:
                strength = min(1.0, self_excess / policy.self_rating.full_at)
            case _:
                strength = min(1.0, len(found) * policy.signals[signal].per_hit)
        if strength > 0:
            fired.append(Signal(signal, strength, found))
    return fired


def index(fired: list[Signal], compiled: Compiled) -> float:
    """100 * (1 - product of (1 - weight * strength)): every signal adds, none reaches 100 alone."""
    remaining = 1.0
    for s in fired:
        remaining *= 1.0 - compiled.policy.signals[s.code].weight * s.strength
    return round(100.0 * (1.0 - remaining), 1)


def claims_json(fired: list[Signal], claims_index: float, parts: list[Collected], lang: str) -> dict[str, Any]:
    """The index, each fired signal with its share of it, and the self-reported experience still to confirm."""
    compiled = parts[0].compiled
    policy = compiled.policy
    # Share the index out in proportion to each signal's -log(1 - weight * strength): the shares add
    # up to the index, which a marginal "index without this signal" would not.
    hazards = [-math.log(1.0 - min(policy.signals[s.code].weight * s.strength, 0.999999)) for s in fired]
    total = sum(hazards) or 1.0
    listed: list[dict[str, Any]] = []
    for s, hazard in zip(fired, hazards, strict=True):
        details = [h.detail for h in s.hits]
        signal_policy = policy.signals[s.code]
        listed.append(
            {
                "code": s.code,
                "label": signal_policy.label.get(lang),
                "strength": round(s.strength, 4),
                "contribution": round(claims_index * hazard / total, 1),
                "reason": fill(signal_policy.reason.get(lang), detail="; ".join(details)),
                "answers": [{"item": h.item_id, "detail": h.detail} for h in s.hits],
            }
        )
    listed.sort(key=lambda x: (-x["contribution"], x["code"]))
    unconfirmed = [{"item": h.item_id, "detail": h.detail} for p in parts for h in p.unconfirmed]
    summary = compiled.say("claims_summary", lang, index=number(claims_index, lang), n=len(listed))
    return {
        "index": claims_index,
        "signals": listed,
        "unconfirmed": unconfirmed,
        "explanation": {"summary": summary},
    }
