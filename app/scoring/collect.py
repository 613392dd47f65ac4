"""Turn one questionnaire's answers into item contributions, claim hits and raw indices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from app.scoring import model as m
from app.scoring.compiled import (
    BARS,
    FAMILIARITY,
    FREE_TEXT,
    LIKERT,
    MULTIPLE,
    NUMERIC,
    SIGNAL_INDEX,
    SINGLE,
    SJT,
    TENURE,
    YES_NO,
    Compiled,
    ItemPlan,
    Texts,
    lang_index,
)
from app.scoring.numbers import fmt1, fmt_g, r1
from app.scoring.overclaiming import OverclaimingIndices
from app.scoring.tenure import possible_years

S = m.Signal
SELF_TITLE: Final = SIGNAL_INDEX[S.SELF_TITLE]
VANITY_METRICS: Final = SIGNAL_INDEX[S.VANITY_METRICS]
VOLUME_BRAGGING: Final = SIGNAL_INDEX[S.VOLUME_BRAGGING]
IMPOSSIBLE_TENURE: Final = SIGNAL_INDEX[S.IMPOSSIBLE_TENURE]
FOILS_CLAIMED: Final = SIGNAL_INDEX[S.FOILS_CLAIMED]
BUZZWORD_DENSITY: Final = SIGNAL_INDEX[S.BUZZWORD_DENSITY]
SELF_RATING_ABOVE_EVIDENCE: Final = SIGNAL_INDEX[S.SELF_RATING_ABOVE_EVIDENCE]


class Contribution:
    """One item's share in a dimension score: ``score`` in [0, 1] at ``weight``."""

    __slots__ = ("item_id", "weight", "score", "detail", "entry")

    def __init__(self, item_id: str, weight: float, score: float, detail: str, entry: dict[str, Any]) -> None:
        self.item_id = item_id
        self.weight = weight
        self.score = score
        self.detail = detail
        self.entry = entry
        """The item's explanation entry with its fixed fields (source included) filled in: copy it, never change it."""


class Hit:
    """One answer or text finding that fired a claim signal or revealed a role-design risk.

    ``code`` indexes ``model.SIGNALS`` in ``Collected.hits`` and ``model.RISKS`` in ``Collected.risks``.
    """

    __slots__ = ("code", "item_id", "detail")

    def __init__(self, code: int, item_id: str, detail: str) -> None:
        self.code = code
        self.item_id = item_id
        self.detail = detail


class SelfRating:
    __slots__ = ("rating", "item_id")

    def __init__(self, rating: float, item_id: str) -> None:
        self.rating = rating
        self.item_id = item_id


class Collected:
    """What one questionnaire's answers showed, before it is weighed into scores."""

    __slots__ = (
        "compiled",
        "lang",
        "li",
        "texts",
        "msgs",
        "source",
        "own_source",
        "dims",
        "hits",
        "self_ratings",
        "overclaiming",
        "foils_claimed",
        "tenure",
        "buzzword_strength",
        "role_earned",
        "role_possible",
        "risks",
        "on",
        "rubric",
    )

    def __init__(self, compiled: Compiled, lang: str, source: str, on: dt.date, rubric: Mapping[str, float]) -> None:
        self.compiled = compiled
        self.lang = lang
        self.li: int = lang_index(lang)
        self.texts: Texts = compiled.texts[self.li]
        self.msgs: dict[str, str] = self.texts.msgs
        self.source = source
        self.own_source: bool = source == compiled.source
        self.dims: list[list[Contribution]] = [[], [], [], [], [], []]
        """Contributions per dimension, indexed like ``model.DIMENSIONS``."""
        self.hits: list[Hit] = []
        self.self_ratings: list[SelfRating | None] = [None, None, None, None, None, None]
        self.overclaiming: OverclaimingIndices | None = None
        self.foils_claimed: list[str] = []
        self.tenure: list[dict[str, Any]] = []
        """The result's tenure entries, one per platform claimed (the same in every language)."""
        self.buzzword_strength: float = 0.0
        self.role_earned: float = 0.0
        self.role_possible: float = 0.0
        self.risks: list[Hit] = []
        self.on = on
        self.rubric = rubric


def _add(c: Collected, plan: ItemPlan, score: float, detail: str) -> None:
    if plan.dim >= 0:
        entry = plan.entries[c.li]
        if not c.own_source:  # the plans' entries carry the questionnaire's own source
            entry = entry | {"source": c.source}
        c.dims[plan.dim].append(Contribution(plan.id, plan.weight, score, detail, entry))


def _choice(c: Collected, plan: ItemPlan, chosen: list[str]) -> None:
    li = c.li
    options = plan.options
    points = 0.0
    scored = False
    for option_id in chosen:
        option = options[option_id]
        points += option.points
        scored = scored or option.scored
        if option.signal >= 0:
            c.hits.append(Hit(option.signal, plan.id, option.texts[li]))
        if option.risk >= 0:
            c.risks.append(Hit(option.risk, plan.id, option.texts[li]))
    if plan.kind == SINGLE:
        top = plan.top
        score = points / top if top > 0 else 0.0
    else:
        top = plan.positive
        score = min(1.0, max(0.0, points / top)) if top > 0 else 0.0
    # "Not checked" or "not applicable" answers say nothing about the person: leave the score alone.
    if top > 0 and scored:
        c.role_earned += score
        c.role_possible += 1.0
        if len(chosen) == 1:
            detail = options[chosen[0]].chose[li]
        else:
            detail = c.texts.tpl["chose"].fill(["; ".join([options[o].texts[li] for o in chosen])])
        _add(c, plan, score, detail)


def _sjt_points(kind: int) -> int:
    """A best or worst choice that matches the key (kind 0) earns 1, the opposite keyed option (1) -1, any other 0."""
    if kind == 0:
        return 1
    return -1 if kind == 1 else 0


def _sjt(c: Collected, plan: ItemPlan, value: dict[str, str]) -> None:
    best, worst = value["best"], value["worst"]
    best_kind = 0 if best == plan.best else (1 if best == plan.worst else 2)
    worst_kind = 0 if worst == plan.worst else (1 if worst == plan.best else 2)
    raw = _sjt_points(best_kind) + _sjt_points(worst_kind)
    _add(c, plan, (raw + 2) / 4, c.texts.sjt_details[best_kind * 3 + worst_kind])


def _numeric(c: Collected, plan: ItemPlan, value: Any) -> None:
    off = abs(value - plan.answer)
    partial = plan.partial
    if off <= plan.tolerance:
        score, msg = 1.0, "numeric_full"
    elif partial is not None and off <= partial:
        score, msg = 0.5, "numeric_partial"
    else:
        score, msg = 0.0, "numeric_wrong"
    _add(c, plan, score, c.texts.tpl[msg].fill([fmt_g(value), plan.answer_text]))


def _likert(c: Collected, plan: ItemPlan, value: Any) -> None:
    share = (value - plan.low) / (plan.high - plan.low)
    if plan.reverse:
        share = 1.0 - share
    if plan.signal == SELF_RATING_ABOVE_EVIDENCE and plan.dim >= 0:
        c.self_ratings[plan.dim] = SelfRating(100.0 * share, plan.id)
        return
    _add(c, plan, share, c.texts.tpl["rated"].fill([str(value), str(plan.low), str(plan.high)]))


def _bars(c: Collected, plan: ItemPlan, value: Any) -> None:
    anchors = plan.anchors
    low, high = anchors[0], anchors[-1]
    at = 0
    while anchors[at] < value:
        at += 1
    rated = c.texts.tpl["rated"].fill([str(value), str(low), str(high)])
    _add(c, plan, (value - low) / (high - low), f"{rated}: {plan.anchor_texts[at][c.li]}")


def _tenure(c: Collected, plan: ItemPlan, value: dict[str, Any]) -> None:
    on = c.on
    day = on.toordinal()
    year_now = on.year
    tolerance = c.compiled.tolerance_years
    for platform in plan.platform_plans:
        claim = value.get(platform.id)
        if claim is None:
            continue
        possible = possible_years(platform.launched_day, day, platform.closed_day)
        if plan.in_years:
            claimed = float(claim)
            impossible = claimed > possible + tolerance
        else:
            year = int(claim)
            claimed = float(year_now - year)
            closed = platform.closed_year
            last = year_now if closed is None else min(year_now, closed)
            impossible = year < platform.launched_year or year > last
        c.tenure.append(
            {
                "platform": platform.id,
                "claimed_years": r1(claimed),
                "possible_years": r1(possible),
                "impossible": impossible,
            }
        )
        if impossible:
            detail = c.texts.tpl["tenure_impossible"].fill(
                [platform.name, fmt_g(claimed), platform.launched_text, fmt1(possible)]
            )
            c.hits.append(Hit(IMPOSSIBLE_TENURE, plan.id, detail))


def _familiarity(c: Collected, plan: ItemPlan, value: dict[str, int]) -> None:
    hits = false_alarms = reals = foils = 0
    low, cutoff, li = plan.low, plan.cutoff, c.li
    real = plan.term_real
    for i, term in enumerate(plan.term_ids):
        claimed = value.get(term, low) >= cutoff
        if real[i]:
            reals += 1
            if claimed:
                hits += 1
        else:
            foils += 1
            if claimed:
                false_alarms += 1
                name = plan.term_names[i][li]
                c.foils_claimed.append(name)
                c.hits.append(Hit(FOILS_CLAIMED, plan.id, c.texts.tpl["foil_claimed"].fill([name])))
    c.overclaiming = c.compiled.overclaiming(hits, reals, false_alarms, foils)


def _free_text(c: Collected, plan: ItemPlan, value: str) -> None:
    if not value.strip():
        return
    msgs = c.msgs
    tpl = c.texts.tpl
    compiled = c.compiled
    found = compiled.analyzer.analyse(value)
    concrete = found.concrete_result
    if found.buzzwords and plan.buzzwords and found.words >= compiled.min_words:
        strength = min(1.0, found.buzzword_density / compiled.buzzwords_full)
        if concrete:
            strength *= compiled.concrete_factor
        c.buzzword_strength = max(c.buzzword_strength, strength)
        terms = ", ".join(found.buzzwords)
        detail = tpl["buzzwords_found"].fill([str(len(found.buzzwords)), str(found.words), terms])
        c.hits.append(Hit(BUZZWORD_DENSITY, plan.id, detail))
    if found.vanity and plan.vanity and not concrete:
        c.hits.append(Hit(VANITY_METRICS, plan.id, tpl["text_terms"].fill([", ".join(found.vanity)])))
    if found.volume and plan.volume:
        c.hits.append(Hit(VOLUME_BRAGGING, plan.id, tpl["text_terms"].fill([", ".join(found.volume)])))
    if found.titles and plan.titles:
        c.hits.append(Hit(SELF_TITLE, plan.id, tpl["text_terms"].fill([", ".join(found.titles)])))
    rubric = c.rubric.get(plan.id)
    if rubric is not None and plan.has_rubric:
        top = plan.top
        _add(c, plan, rubric / top if top else 0.0, tpl["rubric"].fill([fmt_g(rubric), fmt_g(top)]))
    elif plan.from_text:
        unique: list[str] = []  # each term once, in the order found
        for term in found.business:
            if term not in unique:
                unique.append(term)
        terms = ", ".join(unique)
        if concrete:
            _add(c, plan, 1.0, tpl["text_concrete"].fill([terms]))
        elif found.business:
            _add(c, plan, 0.5, tpl["text_business_only"].fill([terms]))
        else:
            _add(c, plan, 0.0, msgs["text_vague"])


def _yes_no(c: Collected, plan: ItemPlan, value: Any) -> None:
    yes = value == "yes" or value is True
    said = c.msgs["answered_yes" if yes else "answered_no"]
    signal = plan.yes_signal if yes else plan.no_signal
    if signal >= 0:
        c.hits.append(Hit(signal, plan.id, said))
    top = plan.top
    if top > 0:
        _add(c, plan, (plan.yes_points if yes else plan.no_points) / top, said)


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
    c = Collected(compiled, lang, source, on, rubric or {})
    given: dict[str, Any] = answers if isinstance(answers, dict) else dict(answers)
    for plan in compiled.plans:
        value = given.get(plan.id)
        if value is None:
            continue  # unanswered, or a rating scale marked "not observed"
        kind = plan.kind
        if kind == SJT:
            _sjt(c, plan, value)
        elif kind == SINGLE:
            if value:
                _choice(c, plan, [value])
        elif kind == MULTIPLE:
            _choice(c, plan, value)
        elif kind == LIKERT:
            _likert(c, plan, value)
        elif kind == BARS:
            _bars(c, plan, value)
        elif kind == NUMERIC:
            _numeric(c, plan, value)
        elif kind == TENURE:
            _tenure(c, plan, value)
        elif kind == FAMILIARITY:
            _familiarity(c, plan, value)
        elif kind == FREE_TEXT:
            _free_text(c, plan, value)
        elif kind == YES_NO:
            _yes_no(c, plan, value)
    return c
