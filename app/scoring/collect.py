"""Read one questionnaire's answers: what each answer shows (evidence), says (claims) or reveals (role risks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from babel.dates import format_date

from app.scoring import model as m
from app.scoring.compiled import DIMENSIONS, Compiled, check_lang, fill, number, short
from app.scoring.overclaiming import OverclaimingIndices, indices
from app.scoring.tenure import DAYS_PER_YEAR

S = m.Signal


@dataclass(frozen=True, slots=True)
class Contribution:
    """One answer's share in a dimension: ``score`` in [0, 1] at ``weight``."""

    item_id: str
    dimension: m.Dimension
    weight: float
    score: float
    detail: str
    source: str
    label: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One answer or text finding that fired a claim signal, a role risk or a claim to verify."""

    code: str
    item_id: str
    detail: str


@dataclass(frozen=True, slots=True)
class SelfRating:
    rating: float
    """0-100."""
    item_id: str
    dimension: m.Dimension


@dataclass
class Collected:
    """What one questionnaire's answers showed, before it is weighed into scores."""

    compiled: Compiled
    lang: str
    source: str
    on: dt.date
    contributions: list[Contribution] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    risks: list[Hit] = field(default_factory=list)
    unconfirmed: list[Hit] = field(default_factory=list)
    """Self-reported experience: a claim to verify that earns no evidence on its own."""
    ruled_out: list[Hit] = field(default_factory=list)
    """Answers that other answers of the same form say cannot be right (``ruled_out_by``): they earned nothing."""
    claim_checks: dict[str, m.ClaimCheck] = field(default_factory=dict)
    """Self-reported claims (self-test item ids) this form's own checks judged, by the option chosen in an item with
    ``shows_claims``: HR's reference call, results seen, years checked. An answer the form rules out judges nothing."""
    self_ratings: dict[m.Dimension, SelfRating] = field(default_factory=dict)
    overclaiming: OverclaimingIndices | None = None
    foils_claimed: list[str] = field(default_factory=list)
    tenure: list[dict[str, Any]] = field(default_factory=list)
    buzzword_strength: float = 0.0
    observable: int = 0
    """Items that can give evidence about the person (self-ratings and self-reports excluded)."""
    role_earned: float = 0.0
    role_possible: float = 0.0

    @property
    def dims(self) -> dict[m.Dimension, list[Contribution]]:
        """Contributions per dimension."""
        found: dict[m.Dimension, list[Contribution]] = {d: [] for d in DIMENSIONS}
        for c in self.contributions:
            found[c.dimension].append(c)
        return found

    def say(self, key: str, **fields: Any) -> str:
        return fill(self.compiled.messages[self.lang][key], **fields)

    def add(self, item: m.Item, score: float, detail: str) -> None:
        found = _contribution(self, item, score, detail)
        if found is not None:
            self.contributions.append(found)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one answer to a choice, scenario, rating or numeric item shows: the same for everyone who gives it."""

    contribution: Contribution | None = None
    hits: tuple[Hit, ...] = ()
    risks: tuple[Hit, ...] = ()
    unconfirmed: tuple[Hit, ...] = ()
    self_rating: SelfRating | None = None
    role_score: float | None = None


READ_ONCE = (m.ChoiceItem, m.SjtItem, m.LikertItem, m.BarsItem, m.YesNoItem, m.NumericItem)
"""The item types whose answer reads the same for everyone who gives it (``_read``)."""
MEMO_LIMIT = 50_000
"""Readings kept per questionnaire version; answers outside the usual few thousand are read each time."""


def _contribution(c: Collected, item: m.Item, score: float, detail: str) -> Contribution | None:
    if item.dimension is None:
        return None
    weight = item.weight * (c.compiled.policy.verified_weight if item.verified else 1.0)
    return Contribution(item.id, item.dimension, weight, score, detail, c.source, c.compiled.labels[c.lang][item.id])


def _choice(
    c: Collected, item: m.SingleChoiceItem | m.MultipleChoiceItem, chosen: list[str], dropped: frozenset[str]
) -> Reading:
    options = c.compiled.options[item.id]
    labels = c.compiled.option_labels[c.lang]
    picked = [options[o] for o in chosen]
    hits = tuple(Hit(o.signal, item.id, labels[item.id, o.id]) for o in picked if o.signal is not None)
    risks = [Hit(o.risk, item.id, labels[item.id, o.id]) for o in picked if o.risk is not None]
    said = "; ".join(labels[item.id, o.id] for o in picked)
    if dropped:
        # Options other answers of the form rule out earn nothing (their claim signals and risks still count).
        picked = [o for o in picked if o.id not in dropped]
        said = "; ".join(labels[item.id, o.id] for o in picked)
    if isinstance(item, m.MultipleChoiceItem) and item.count_risk is not None:
        counted = [o for o in picked if o.scored and o.risk is None]
        if 1 <= len(counted) <= item.count_risk.at_most:
            risks.append(Hit(item.count_risk.risk, item.id, said))
    points = sum(o.points for o in picked)
    if isinstance(item, m.SingleChoiceItem):
        top = max(o.points for o in item.options)
        # Clamped like a multiple choice: an option a custom questionnaire gives negative points scores 0,
        # so a dimension stays on its 0-100 scale.
        score = min(1.0, max(0.0, points / top)) if top > 0 else 0.0
    else:
        top = sum(o.points for o in item.options if o.points > 0)
        score = min(1.0, max(0.0, points / top)) if top > 0 else 0.0
    # "Not checked" or "not applicable" says nothing about the person: leave the score alone.
    if top <= 0 or not any(o.scored for o in picked):
        return Reading(hits=hits, risks=tuple(risks))
    if item.self_reported:
        claim = Hit("self_reported", item.id, c.say("self_reported", answer=said))
        return Reading(hits=hits, risks=tuple(risks), unconfirmed=(claim,))
    contribution = _contribution(c, item, score, c.say("chose", options=said))
    return Reading(contribution, hits, tuple(risks), role_score=score)


def _sjt(c: Collected, item: m.SjtItem, value: Mapping[str, str]) -> Reading:
    def points(chosen: str, keyed: str, opposite: str) -> int:
        return 1 if chosen == keyed else -1 if chosen == opposite else 0

    best = points(value["best"], item.key.best, item.key.worst)
    worst = points(value["worst"], item.key.worst, item.key.best)
    names = {1: "keyed", -1: "swapped", 0: "other"}
    detail = f"{c.say('sjt_best_' + names[best])}; {c.say('sjt_worst_' + names[worst])}"
    return Reading(_contribution(c, item, (best + worst + 2) / 4, detail))


def _likert(c: Collected, item: m.LikertItem, value: int) -> Reading:
    share = (value - item.min) / (item.max - item.min)
    if item.reverse:
        share = 1.0 - share
    if item.signal is S.SELF_RATING_ABOVE_EVIDENCE and item.dimension is not None:
        return Reading(self_rating=SelfRating(100.0 * share, item.id, item.dimension))
    return Reading(_contribution(c, item, share, c.say("rated", value=value, low=item.min, high=item.max)))


def _bars(c: Collected, item: m.BarsItem, value: int) -> Reading:
    low, high = item.anchors[0].value, item.anchors[-1].value
    anchor = next(a for a in item.anchors if a.value >= value)
    rated = c.say("rated", value=value, low=low, high=high)
    return Reading(_contribution(c, item, (value - low) / (high - low), f"{rated}: {anchor.text.get(c.lang)}"))


def _yes_no(c: Collected, item: m.YesNoItem, value: Any, dropped: frozenset[str]) -> Reading:
    yes = value in ("yes", True)
    answer = item.yes if yes else item.no
    said = c.say("answered_yes" if yes else "answered_no")
    # A claim's reason names the question answered: "answer: no" alone says nothing about what was not confirmed.
    named = f"“{c.compiled.labels[c.lang][item.id]}” {said}"
    hits = (Hit(answer.signal, item.id, named),) if answer.signal is not None else ()
    top = max(item.yes.points, item.no.points)
    if top <= 0 or ("yes" if yes else "no") in dropped:
        return Reading(hits=hits)
    return Reading(_contribution(c, item, answer.points / top, said), hits)


def _read(c: Collected, item: m.Item, value: Any, dropped: frozenset[str] = frozenset()) -> Reading | None:
    """The reading of a choice, scenario, rating or numeric answer, or None for the item types read per person.

    ``dropped``: the answer ids of a choice or yes/no item that other answers of the form rule out.
    """
    match item:
        case m.SjtItem():
            return _sjt(c, item, value)
        case m.SingleChoiceItem():
            return _choice(c, item, [value], dropped) if value else Reading()
        case m.MultipleChoiceItem():
            return _choice(c, item, value, dropped)
        case m.LikertItem():
            return _likert(c, item, value)
        case m.BarsItem():
            return _bars(c, item, value)
        case m.YesNoItem():
            return _yes_no(c, item, value, dropped)
        case m.NumericItem():
            return _numeric(c, item, value)
    return None


def _given(item: m.Item, value: Any) -> frozenset[str]:
    """The answer ids of an answer to a choice or yes/no item (empty when unanswered)."""
    if value is None or value == "" or value == []:
        return frozenset()
    if isinstance(item, m.YesNoItem):
        return frozenset({"yes" if value in ("yes", True) else "no"})
    if isinstance(item, m.MultipleChoiceItem):
        return frozenset(value)
    return frozenset({value}) if isinstance(value, str) else frozenset()


def _ruled_out(c: Collected, item: m.Item, value: Any, answers: Mapping[str, Any]) -> frozenset[str]:
    """The answer ids of ``value`` that other answers of the form rule out, noted in ``c.ruled_out`` (one note per
    answer elsewhere that rules some out)."""
    rules = c.compiled.ruled_out[item.id]
    items = c.compiled.item_map
    given = _given(item, value)
    by: dict[tuple[str, str], list[str]] = {}
    for answer_id in m.answer_ids_in_order(item):
        if answer_id not in given or answer_id not in rules:
            continue
        for other_id, ruling in rules[answer_id].items():
            other = items[other_id]
            found = [
                a for a in m.answer_ids_in_order(other) if a in ruling and a in _given(other, answers.get(other_id))
            ]
            if found:
                by.setdefault((other_id, found[0]), []).append(answer_id)
                break
    labels = c.compiled.labels[c.lang]
    for (other_id, other_answer), ruled in by.items():
        detail = c.say(
            "answer_ruled_out",
            answer="; ".join(_answer_label(c, item, a) for a in ruled),
            item=labels[item.id],
            other_answer=_answer_label(c, items[other_id], other_answer),
            other=labels[other_id],
        )
        c.ruled_out.append(Hit("ruled_out", item.id, detail))
    return frozenset(a for ruled in by.values() for a in ruled)


def _answer_label(c: Collected, item: m.Item, answer_id: str) -> str:
    if isinstance(item, m.YesNoItem):
        return c.say("answered_yes" if answer_id == "yes" else "answered_no")
    return c.compiled.option_labels[c.lang][item.id, answer_id]


def _apply(c: Collected, reading: Reading) -> None:
    if reading.contribution is not None:
        c.contributions.append(reading.contribution)
    if reading.hits:
        c.hits.extend(reading.hits)
    if reading.risks:
        c.risks.extend(reading.risks)
    if reading.unconfirmed:
        c.unconfirmed.extend(reading.unconfirmed)
    if reading.self_rating is not None:
        c.self_ratings[reading.self_rating.dimension] = reading.self_rating
    if reading.role_score is not None:
        c.role_earned += reading.role_score
        c.role_possible += 1.0


def _frozen(value: Any) -> Any:
    """``value`` as a memo key: lists and best/worst pairs as tuples (the same pair in another order is
    another key for the same reading)."""
    if isinstance(value, dict):
        return tuple(value.items())
    return tuple(value) if isinstance(value, list) else value


def _numeric(c: Collected, item: m.NumericItem, value: float) -> Reading:
    off = abs(value - item.key.answer)
    if off <= item.key.tolerance:
        score, key = 1.0, "numeric_full"
    elif item.key.partial_tolerance is not None and off <= item.key.partial_tolerance:
        score, key = 0.5, "numeric_partial"
    else:
        score, key = 0.0, "numeric_wrong"
    given, answer = number(value, c.lang, 2), number(item.key.answer, c.lang, 2)
    return Reading(_contribution(c, item, score, c.say(key, given=given, answer=answer)))


_DATE_FORMATS: Final = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}
_DATE_PREPOSITIONS: Final = {
    "nl": {"day": "op", "month": "in", "year": "in"},
    "en": {"day": "on", "month": "in", "year": "in"},
}


def _date(day: dt.date, precision: str, lang: str) -> str:
    """A date as a reader of ``lang`` writes it after a verb, no more precise than it is known ("in maart 2014")."""
    return f"{_DATE_PREPOSITIONS[lang][precision]} {format_date(day, _DATE_FORMATS[precision], locale=lang)}"


def _tenure_claim(c: Collected, item: m.TenureItem, platform_id: str, claim: Any) -> tuple[dict[str, Any], Hit | None]:
    """One platform's claimed tenure: its entry in the result, and the hit when it is impossible."""
    platform = c.compiled.platforms[platform_id]
    end = c.on if platform.discontinued is None else min(c.on, platform.discontinued)
    possible = max(0.0, (end - platform.launched).days / DAYS_PER_YEAR)
    if item.unit == "years":
        claimed = float(claim)
        impossible = claimed > possible + c.compiled.policy.tenure.tolerance_years
    else:
        claimed = float(c.on.year - int(claim))
        impossible = not platform.launched.year <= int(claim) <= end.year
    entry = {
        "platform": platform_id,
        "claimed_years": round(claimed, 1),
        "possible_years": round(possible, 1),
        "impossible": impossible,
    }
    if not impossible:
        return entry, None
    closed = platform.discontinued is not None and platform.discontinued < c.on
    detail = c.say(
        "tenure_impossible_closed" if closed else "tenure_impossible",
        platform=platform.name,
        claimed=number(claimed, c.lang),
        launched=_date(platform.launched, platform.precision, c.lang),
        closed=_date(platform.discontinued, "day", c.lang) if platform.discontinued else "",
        possible=number(possible, c.lang),
    )
    return entry, Hit(S.IMPOSSIBLE_TENURE.value, item.id, detail)


def _tenure(c: Collected, item: m.TenureItem, value: Mapping[str, Any]) -> None:
    readings = c.compiled.readings
    for platform_id in item.platforms:
        claim = value.get(platform_id)
        if claim is None:
            continue
        # A claim reads the same for everyone who makes it on the same day: read it once.
        key = (item.id, platform_id, claim, c.on, c.lang)
        reading = readings.get(key)
        if reading is None:
            reading = _tenure_claim(c, item, platform_id, claim)
            if len(readings) < MEMO_LIMIT:
                readings[key] = reading
        entry, hit = reading
        c.tenure.append(dict(entry))
        if hit is not None:
            c.hits.append(hit)


def _familiarity(c: Collected, item: m.FamiliarityItem, value: Mapping[str, int]) -> None:
    hits = false_alarms = 0
    for term in item.terms:
        claimed = value.get(term.id, item.min) >= item.cutoff
        if term.real:
            hits += claimed
        elif claimed:
            false_alarms += 1
            name = term.text.get(c.lang)
            c.foils_claimed.append(name)
            c.hits.append(Hit(S.FOILS_CLAIMED.value, item.id, c.say("foil_claimed", term=name)))
    reals = sum(1 for t in item.terms if t.real)
    c.overclaiming = indices(hits, reals, false_alarms, len(item.terms) - reals)


QUOTED_RESULTS = 3
"""A text's concrete results quoted as evidence: a few show what it states; a pasted list of hundreds is no more."""


def _quoted(results: tuple[str, ...]) -> str:
    """The first distinct results of a text, each cut short, and "…" when there are more."""
    distinct = list(dict.fromkeys(short(r, 120) for r in results))
    more = "; …" if len(distinct) > QUOTED_RESULTS else ""
    return "; ".join(distinct[:QUOTED_RESULTS]) + more


def _free_text(c: Collected, item: m.FreeTextItem, value: str, rubric: float | None) -> None:
    policy = c.compiled.policy
    found = c.compiled.analyzer.analyse(value)
    top = max((level.points for level in item.rubric), default=0.0)
    rated = rubric is not None and bool(item.rubric)
    # Once HR has rated the text with its rubric, HR's reading replaces the automatic one.
    if not rated:
        signals = item.text_signals
        if found.buzzwords and S.BUZZWORD_DENSITY in signals and found.words >= policy.text.min_words:
            strength = min(1.0, found.buzzword_density / policy.text.buzzwords_per_100_words_full)
            if found.concrete_result:
                strength *= policy.text.concrete_result_factor
            c.buzzword_strength = max(c.buzzword_strength, strength)
            buzzwords = ", ".join(dict.fromkeys(found.buzzwords))
            detail = c.say("buzzwords_found", n=len(found.buzzwords), words=found.words, terms=buzzwords)
            c.hits.append(Hit(S.BUZZWORD_DENSITY.value, item.id, detail))
        for signal, terms in (
            (S.VANITY_METRICS, found.vanity),
            (S.VOLUME_BRAGGING, found.volume),
            (S.SELF_TITLE, found.titles),
        ):
            if terms and signal in signals:
                c.hits.append(Hit(signal.value, item.id, c.say("text_terms", terms=", ".join(dict.fromkeys(terms)))))
    if rated and rubric is not None:
        points = number(rubric, c.lang)
        c.add(item, rubric / top if top else 0.0, c.say("rubric", points=points, max=number(top, c.lang)))
    elif item.evidence_from_text:
        if found.concrete_result:
            c.add(item, 1.0, c.say("text_concrete", terms=_quoted(found.results)))
        elif found.business:
            c.add(item, 0.5, c.say("text_business_only", terms=", ".join(dict.fromkeys(found.business))))
        else:
            c.add(item, 0.0, c.say("text_vague"))


def _check_claims(c: Collected, item: m.SingleChoiceItem, value: Any) -> None:
    chosen = next((o for o in item.options if o.id == value), None)
    if chosen is not None and chosen.confirms is not None:
        for claim in item.shows_claims:
            c.claim_checks[claim] = chosen.confirms


def collect(
    compiled: Compiled,
    answers: Mapping[str, Any],
    *,
    on: dt.date,
    lang: str,
    source: str | None = None,
    rubric: Mapping[str, float] | None = None,
) -> Collected:
    """Walk the answers once; assumes they passed :func:`app.scoring.answers.validate_answers`."""
    c = Collected(compiled, check_lang(lang), source or compiled.source, on, observable=compiled.observable)
    rubric = rubric or {}
    readings = compiled.readings
    for item in compiled.items:
        value = answers.get(item.id)
        if value is None:
            continue  # unanswered, or a rating scale marked "not observed"
        dropped = _ruled_out(c, item, value, answers) if item.id in compiled.ruled_out else frozenset()
        if isinstance(item, m.SingleChoiceItem) and item.shows_claims and value not in dropped:
            _check_claims(c, item, value)
        if dropped:
            # Another answer of the form says this one cannot be right: read without what it rules out (not memoised:
            # the reading depends on the other answers).
            found = _read(c, item, value, dropped)
            if found is not None:
                _apply(c, found)
            continue
        if isinstance(item, READ_ONCE):
            # A choice, scenario, rating or numeric answer reads the same for everyone who gives it: read it once.
            key = (item.id, _frozen(value), c.lang, c.source)
            reading = readings.get(key)
            if reading is None:
                reading = _read(c, item, value)
                if len(readings) < MEMO_LIMIT:
                    readings[key] = reading
            if reading is not None:
                _apply(c, reading)
            continue
        match item:
            case m.TenureItem():
                _tenure(c, item, value)
            case m.FamiliarityItem():
                _familiarity(c, item, value)
            case m.FreeTextItem():
                if value.strip():
                    _free_text(c, item, value, rubric.get(item.id))
    return c
