"""Turn one questionnaire's answers into item contributions, claim hits and raw indices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.scoring import model as m
from app.scoring.compiled import Compiled
from app.scoring.overclaiming import OverclaimingIndices, indices
from app.scoring.tenure import TenureCheck, check_start_year, check_years
from app.scoring.text import TextFindings

S = m.Signal


@dataclass(slots=True)
class Contribution:
    """One item's share in a dimension score: ``score`` in [0, 1] at ``weight``."""

    item_id: str
    label: str
    weight: float
    score: float
    detail: str
    source: str


@dataclass(slots=True)
class Hit:
    """One answer or text finding that fired a claim signal."""

    signal: m.Signal
    item_id: str
    detail: str


@dataclass(slots=True)
class RiskHit:
    risk: m.Risk
    item_id: str
    detail: str


@dataclass(slots=True)
class Collected:
    compiled: Compiled
    lang: str
    source: str
    dims: dict[m.Dimension, list[Contribution]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    self_ratings: dict[m.Dimension, tuple[float, str]] = field(default_factory=dict)
    overclaiming: OverclaimingIndices | None = None
    foils_claimed: list[str] = field(default_factory=list)
    tenure: list[TenureCheck] = field(default_factory=list)
    texts: dict[str, TextFindings] = field(default_factory=dict)
    buzzword_strength: float = 0.0
    role_points: list[float] = field(default_factory=lambda: [0.0, 0.0])
    risks: list[RiskHit] = field(default_factory=list)
    on: dt.date = dt.date.min
    rubric: Mapping[str, float] = field(default_factory=dict)
    msgs: dict[str, str] = field(default_factory=dict)


def _fmt(c: Collected, key: str, **values: Any) -> str:
    return c.msgs[key].format(**values)


def _add(c: Collected, item: m.Item, score: float, detail: str) -> None:
    if item.dimension is None:
        return
    weight = item.weight * (c.compiled.policy.verified_weight if item.verified else 1.0)
    label = c.compiled.labels[c.lang][item.id]
    c.dims.setdefault(item.dimension, []).append(Contribution(item.id, label, weight, score, detail, c.source))


def _choice(c: Collected, item: m.SingleChoiceItem | m.MultipleChoiceItem, chosen: list[str]) -> None:
    texts = c.compiled.options[c.lang]
    options = c.compiled.option_models
    points = 0.0
    scored = False
    for option_id in chosen:
        option = options[(item.id, option_id)]
        points += option.points
        scored = scored or option.scored
        text = texts[(item.id, option_id)]
        if option.signal is not None:
            c.hits.append(Hit(option.signal, item.id, text))
        if option.risk is not None:
            c.risks.append(RiskHit(option.risk, item.id, text))
    if len(chosen) == 1:
        detail = c.compiled.chose[c.lang][(item.id, chosen[0])]
    else:
        detail = _fmt(c, "chose", options="; ".join(texts[(item.id, o)] for o in chosen))
    if isinstance(item, m.SingleChoiceItem):
        top = c.compiled.max_points[item.id]
        score = points / top if top > 0 else 0.0
    else:
        top = c.compiled.positive_points[item.id]
        score = min(1.0, max(0.0, points / top)) if top > 0 else 0.0
    # "Not checked" or "not applicable" answers say nothing about the person: leave the score alone.
    if top > 0 and scored:
        c.role_points[0] += score
        c.role_points[1] += 1.0
        _add(c, item, score, detail)


# Per choice: matches the key (+1), is the opposite keyed option (-1), or neither (0).
_SJT_POINTS = (1, -1, 0)


def _sjt(c: Collected, item: m.SjtItem, value: Mapping[str, str]) -> None:
    best, worst = value["best"], value["worst"]
    key = item.key
    best_kind = 0 if best == key.best else (1 if best == key.worst else 2)
    worst_kind = 0 if worst == key.worst else (1 if worst == key.best else 2)
    raw = _SJT_POINTS[best_kind] + _SJT_POINTS[worst_kind]
    _add(c, item, (raw + 2) / 4, c.compiled.sjt_details[c.lang][best_kind * 3 + worst_kind])


def _numeric(c: Collected, item: m.NumericItem, value: float) -> None:
    key = item.key
    off = abs(value - key.answer)
    if off <= key.tolerance:
        score, msg = 1.0, "numeric_full"
    elif key.partial_tolerance is not None and off <= key.partial_tolerance:
        score, msg = 0.5, "numeric_partial"
    else:
        score, msg = 0.0, "numeric_wrong"
    _add(c, item, score, _fmt(c, msg, given=f"{value:g}", answer=f"{key.answer:g}"))


def _scale(c: Collected, item: m.LikertItem, value: int) -> None:
    share = (value - item.min) / (item.max - item.min)
    if item.reverse:
        share = 1.0 - share
    if item.signal is S.SELF_RATING_ABOVE_EVIDENCE and item.dimension is not None:
        c.self_ratings[item.dimension] = (100.0 * share, item.id)
        return
    _add(c, item, share, _fmt(c, "rated", value=value, low=item.min, high=item.max))


def _bars(c: Collected, item: m.BarsItem, value: int | None) -> None:
    if value is None:
        return
    low, high = item.anchors[0].value, item.anchors[-1].value
    anchor = next(a for a in item.anchors if a.value >= value)
    detail = _fmt(c, "rated", value=value, low=low, high=high) + f": {anchor.text.get(c.lang)}"
    _add(c, item, (value - low) / (high - low), detail)


def _single(c: Collected, item: m.SingleChoiceItem, value: str) -> None:
    if value:
        _choice(c, item, [value])


def _tenure(c: Collected, item: m.TenureItem, value: Mapping[str, float | None]) -> None:
    on = c.on
    tolerance = c.compiled.policy.tenure.tolerance_years
    for platform in item.platforms:
        claim = value.get(platform)
        if claim is None:
            continue
        launched = c.compiled.launched[platform]
        closed = c.compiled.closed[platform]
        if item.unit == "years":
            check = check_years(platform, float(claim), launched, on, tolerance, closed)
        else:
            check = check_start_year(platform, int(claim), launched, on, closed)
        c.tenure.append(check)
        if check.impossible:
            detail = _fmt(
                c,
                "tenure_impossible",
                platform=c.compiled.platform_names[platform],
                claimed=f"{check.claimed:g}",
                launched=launched.isoformat(),
                possible=f"{check.possible:.1f}",
            )
            c.hits.append(Hit(S.IMPOSSIBLE_TENURE, item.id, detail))


def _familiarity(c: Collected, item: m.FamiliarityItem, value: Mapping[str, int]) -> None:
    hits = false_alarms = reals = foils = 0
    for term in item.terms:
        claimed = value.get(term.id, item.min) >= item.cutoff
        if term.real:
            reals += 1
            hits += claimed
        else:
            foils += 1
            if claimed:
                false_alarms += 1
                name = term.text.get(c.lang)
                c.foils_claimed.append(name)
                c.hits.append(Hit(S.FOILS_CLAIMED, item.id, _fmt(c, "foil_claimed", term=name)))
    c.overclaiming = indices(hits, reals, false_alarms, foils)


def _free_text(c: Collected, item: m.FreeTextItem, value: str) -> None:
    if not value.strip():
        return
    rubric = c.rubric.get(item.id)
    found = c.compiled.analyzer.analyse(value)
    c.texts[item.id] = found
    policy = c.compiled.policy.text
    signals = item.text_signals
    if S.BUZZWORD_DENSITY in signals and found.buzzwords and found.words >= policy.min_words:
        strength = min(1.0, found.buzzword_density / policy.buzzwords_per_100_words_full)
        if found.concrete_result:
            strength *= policy.concrete_result_factor
        c.buzzword_strength = max(c.buzzword_strength, strength)
        detail = _fmt(c, "buzzwords_found", n=len(found.buzzwords), words=found.words, terms=", ".join(found.buzzwords))
        c.hits.append(Hit(S.BUZZWORD_DENSITY, item.id, detail))
    if S.VANITY_METRICS in signals and found.vanity and not found.concrete_result:
        c.hits.append(Hit(S.VANITY_METRICS, item.id, _fmt(c, "text_terms", terms=", ".join(found.vanity))))
    if S.VOLUME_BRAGGING in signals and found.volume:
        c.hits.append(Hit(S.VOLUME_BRAGGING, item.id, _fmt(c, "text_terms", terms=", ".join(found.volume))))
    if S.SELF_TITLE in signals and found.titles:
        c.hits.append(Hit(S.SELF_TITLE, item.id, _fmt(c, "text_terms", terms=", ".join(found.titles))))
    if rubric is not None and item.rubric:
        top = c.compiled.max_points[item.id]
        _add(c, item, rubric / top if top else 0.0, _fmt(c, "rubric", points=f"{rubric:g}", max=f"{top:g}"))
    elif item.evidence_from_text:
        terms = ", ".join(dict.fromkeys(found.business))
        if found.concrete_result:
            _add(c, item, 1.0, _fmt(c, "text_concrete", terms=terms))
        elif found.business:
            _add(c, item, 0.5, _fmt(c, "text_business_only", terms=terms))
        else:
            _add(c, item, 0.0, _fmt(c, "text_vague"))


def _yes_no(c: Collected, item: m.YesNoItem, value: str | bool) -> None:
    yes = value in ("yes", True)
    answer = item.yes if yes else item.no
    if answer.signal is not None:
        c.hits.append(Hit(answer.signal, item.id, _fmt(c, "answered_yes" if yes else "answered_no")))
    top = c.compiled.max_points[item.id]
    if top > 0:
        _add(c, item, answer.points / top, _fmt(c, "answered_yes" if yes else "answered_no"))


def collect(
    compiled: Compiled,
    answers: Mapping[str, Any],
    *,
    on: dt.date,
    lang: str,
    source: str = "self",
    rubric: Mapping[str, float] | None = None,
) -> Collected:
    """Walk the answers once; assumes they passed :func:`app.scoring.answers.validate_answers`."""
    c = Collected(compiled=compiled, lang=lang, source=source, on=on, rubric=rubric or {}, msgs=compiled.messages[lang])
    for item in compiled.items:
        value = answers.get(item.id)
        if value is None and type(item) is not m.BarsItem:
            continue
        _HANDLERS[type(item)](c, item, value)
    return c


_HANDLERS: dict[type[Any], Callable[[Collected, Any, Any], None]] = {
    m.SjtItem: _sjt,
    m.SingleChoiceItem: _single,
    m.MultipleChoiceItem: _choice,
    m.LikertItem: _scale,
    m.BarsItem: _bars,
    m.NumericItem: _numeric,
    m.TenureItem: _tenure,
    m.FamiliarityItem: _familiarity,
    m.FreeTextItem: _free_text,
    m.YesNoItem: _yes_no,
}
