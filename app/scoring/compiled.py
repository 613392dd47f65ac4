"""A questionnaire version prepared for fast scoring: every text, label and lookup built once.

Scoring one result touches about forty items and writes an explanation for each. Everything that
depends only on the questionnaire version and the language (labels, option texts, the sentence that
explains a chosen option, the nine explanations of a best/worst pair, policy labels) is computed here,
once per version, so the per-result work is arithmetic, lookups and the few texts that carry numbers.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, Final

from app.scoring import model as m
from app.scoring.bundle import Bundle
from app.scoring.overclaiming import OverclaimingIndices, indices
from app.scoring.policy import (
    CALIBRATION_REASON_FIELDS,
    MESSAGE_FIELDS,
    SIGNAL_REASON_FIELDS,
    WHY_FIELDS,
    Condition,
    Policy,
    template_problem,
)
from app.scoring.text import TextAnalyzer

LANGS: Final = ("nl", "en")
LABEL_LENGTH: Final = 90

# Item kinds, as small ints the scorer dispatches on.
SJT: Final = 0
SINGLE: Final = 1
MULTIPLE: Final = 2
LIKERT: Final = 3
BARS: Final = 4
NUMERIC: Final = 5
TENURE: Final = 6
FAMILIARITY: Final = 7
FREE_TEXT: Final = 8
YES_NO: Final = 9

_KINDS: dict[type, int] = {
    m.SjtItem: SJT,
    m.SingleChoiceItem: SINGLE,
    m.MultipleChoiceItem: MULTIPLE,
    m.LikertItem: LIKERT,
    m.BarsItem: BARS,
    m.NumericItem: NUMERIC,
    m.TenureItem: TENURE,
    m.FamiliarityItem: FAMILIARITY,
    m.FreeTextItem: FREE_TEXT,
    m.YesNoItem: YES_NO,
}

DIM_INDEX: Final = {d: i for i, d in enumerate(m.DIMENSIONS)}
VERDICT_RANK: Final = {v: i for i, v in enumerate(m.VERDICTS)}
"""Verdicts from best (0, ready to lead) to worst (3, not recommended)."""
DIMENSION_CODES: Final = [d.value for d in m.DIMENSIONS]
DISCIPLINES: Final = (m.Discipline.MARKETING, m.Discipline.COMMUNICATION, m.Discipline.PR)
"""In order of preference when two disciplines are needed equally."""
DISCIPLINE_CODES: Final = [d.value for d in DISCIPLINES]
SIGNAL_INDEX: Final = {s: i for i, s in enumerate(m.SIGNALS)}
RISK_INDEX: Final = {r: i for i, r in enumerate(m.RISKS)}


def lang_index(lang: str) -> int:
    """0 for Dutch, 1 for English: the index into every per-language tuple here."""
    if lang == "nl":
        return 0
    if lang == "en":
        return 1
    raise ValueError(f"language '{lang}' is not supported; use one of {list(LANGS)}")


def _short(text: str, limit: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def _both(text: m.Text) -> list[str]:
    """The text per language, indexed by ``lang_index``."""
    return [text.nl, text.en]


class Template:
    """A message with ``{name}`` fields, parsed once; ``fill`` gives what ``str.format`` would.

    Parsing a format string on every call is a large share of writing a result, and the policy's
    messages are fixed per version. ``names`` are the fields the engine passes, in the order it
    passes their values; the policy validates that a message uses no others and no format specs.
    """

    __slots__ = ("literals", "slots")

    def __init__(self, text: str, names: tuple[str, ...]) -> None:
        problem = template_problem(text, names)
        if problem:
            raise ValueError(problem)
        self.literals: list[str] = []
        self.slots: list[int] = []
        """For each field in the text, the index of its value in the list given to ``fill``."""
        pending = ""
        for literal, field, _spec, _conversion in string.Formatter().parse(text):
            pending += literal  # "{{" and "}}" arrive as pieces of literal text without a field
            if field is not None:
                self.literals.append(pending)
                self.slots.append(names.index(field))
                pending = ""
        self.literals.append(pending)

    def fill(self, values: list[str]) -> str:
        """The message with each field replaced by its value (``values`` in the order of ``names``)."""
        literals = self.literals
        slots = self.slots
        n = len(slots)
        # Most messages have one to three fields: build those in one go.
        if n == 0:
            return literals[0]
        if n == 1:
            return f"{literals[0]}{values[slots[0]]}{literals[1]}"
        if n == 2:
            return f"{literals[0]}{values[slots[0]]}{literals[1]}{values[slots[1]]}{literals[2]}"
        if n == 3:
            return (
                f"{literals[0]}{values[slots[0]]}{literals[1]}{values[slots[1]]}"
                f"{literals[2]}{values[slots[2]]}{literals[3]}"
            )
        out = [literals[0]]
        for i in range(len(slots)):
            out.append(values[slots[i]])
            out.append(literals[i + 1])
        return "".join(out)


class OptionPlan:
    """One answer option with its texts in both languages."""

    __slots__ = ("id", "points", "scored", "signal", "risk", "texts", "chose")

    def __init__(self, option: m.Option, chose: list[str]) -> None:
        self.id: str = option.id
        self.points: float = float(option.points)
        self.scored: bool = option.scored
        self.signal: int = -1 if option.signal is None else SIGNAL_INDEX[option.signal]
        self.risk: int = -1 if option.risk is None else RISK_INDEX[option.risk]
        self.texts: list[str] = [_short(option.text.nl), _short(option.text.en)]
        """Per language (``lang_index``): the option's text, shortened for explanations."""
        self.chose: list[str] = [chose[0].format(options=self.texts[0]), chose[1].format(options=self.texts[1])]
        """Per language: the explanation for choosing this option alone."""


class PlatformPlan:
    """One platform of the launch-date file, as tenure checks read it."""

    __slots__ = ("id", "name", "launched_day", "launched_year", "launched_text", "closed_day", "closed_year")

    def __init__(self, platform: m.Platform) -> None:
        self.id: str = platform.id
        self.name: str = platform.name
        self.launched_day: int = platform.launched.toordinal()
        self.launched_year: int = platform.launched.year
        self.launched_text: str = platform.launched.isoformat()
        closed = platform.discontinued
        self.closed_day: int | None = None if closed is None else closed.toordinal()
        self.closed_year: int | None = None if closed is None else closed.year


class ItemPlan:
    """One item as the scorer needs it; ``kind`` picks the rule, ``item`` keeps the full definition."""

    __slots__ = (
        "id",
        "kind",
        "item",
        "dim",
        "weight",
        "labels",
        "entries",
        "options",
        "top",
        "positive",
        "signal",
        "required",
        "best",
        "worst",
        "answer",
        "answer_text",
        "tolerance",
        "partial",
        "low",
        "high",
        "reverse",
        "anchors",
        "anchor_texts",
        "platforms",
        "platform_plans",
        "in_years",
        "term_ids",
        "term_real",
        "term_names",
        "cutoff",
        "buzzwords",
        "vanity",
        "volume",
        "titles",
        "from_text",
        "has_rubric",
        "yes_points",
        "no_points",
        "yes_signal",
        "no_signal",
    )

    def __init__(self, item: m.Item, policy: Policy, chose: list[str], source: str) -> None:
        self.id: str = item.id
        self.kind: int = _KINDS[type(item)]
        self.item: m.Item = item
        self.dim: int = -1 if item.dimension is None else DIM_INDEX[item.dimension]
        self.weight: float = item.weight * (policy.verified_weight if item.verified else 1.0)
        self.labels: list[str] = [_short(item.text.nl), _short(item.text.en)]
        # The explanation entry of this item per language, in the order of the result contract.
        # Scoring copies it and fills in the rest: copying a dict is much cheaper than building one.
        self.entries: list[dict[str, Any]] = [
            {"item": item.id, "label": label, "source": source, "points": 0.0, "max_points": 0.0, "detail": ""}
            for label in self.labels
        ]
        self.options: dict[str, OptionPlan] = {}
        self.top: float = 0.0
        """The most points one answer can earn (single choice, yes/no, rubric)."""
        self.positive: float = 0.0
        """The sum of positive option points (multiple choice)."""
        self.signal: int = -1 if item.signal is None else SIGNAL_INDEX[item.signal]
        self.required: bool = item.required
        if isinstance(item, m.ChoiceItem | m.SjtItem):
            self.options = {o.id: OptionPlan(o, chose) for o in item.options}
            self.top = float(max(o.points for o in item.options))
            self.positive = float(sum(o.points for o in item.options if o.points > 0))
        elif isinstance(item, m.YesNoItem):
            self.top = float(max(item.yes.points, item.no.points))
        elif isinstance(item, m.FreeTextItem) and item.rubric:
            self.top = float(max(level.points for level in item.rubric))
        # The fields each kind of item needs, copied out of the models so scoring reads plain attributes.
        self.best: str = item.key.best if isinstance(item, m.SjtItem) else ""
        self.worst: str = item.key.worst if isinstance(item, m.SjtItem) else ""
        key = item.key if isinstance(item, m.NumericItem) else None
        self.answer: float = key.answer if key else 0.0
        self.answer_text: str = f"{self.answer:g}"
        self.tolerance: float = key.tolerance if key else 0.0
        self.partial: float | None = key.partial_tolerance if key else None
        self.low: int = item.min if isinstance(item, m.LikertItem | m.FamiliarityItem) else 0
        self.high: int = item.max if isinstance(item, m.LikertItem | m.FamiliarityItem) else 0
        self.reverse: bool = isinstance(item, m.LikertItem) and item.reverse
        anchors = item.anchors if isinstance(item, m.BarsItem) else ()
        self.anchors: list[int] = [a.value for a in anchors]
        self.anchor_texts: list[list[str]] = [_both(a.text) for a in anchors]
        self.platforms: tuple[str, ...] = item.platforms if isinstance(item, m.TenureItem) else ()
        self.platform_plans: list[PlatformPlan] = []
        """The platforms of a tenure item, filled in by ``Compiled`` from the launch-date file."""
        self.in_years: bool = isinstance(item, m.TenureItem) and item.unit == "years"
        terms = item.terms if isinstance(item, m.FamiliarityItem) else ()
        self.term_ids: list[str] = [t.id for t in terms]
        self.term_real: list[bool] = [t.real for t in terms]
        self.term_names: list[list[str]] = [_both(t.text) for t in terms]
        self.cutoff: int = item.cutoff if isinstance(item, m.FamiliarityItem) else 0
        signals = item.text_signals if isinstance(item, m.FreeTextItem) else ()
        self.buzzwords: bool = m.Signal.BUZZWORD_DENSITY in signals
        self.vanity: bool = m.Signal.VANITY_METRICS in signals
        self.volume: bool = m.Signal.VOLUME_BRAGGING in signals
        self.titles: bool = m.Signal.SELF_TITLE in signals
        self.from_text: bool = isinstance(item, m.FreeTextItem) and item.evidence_from_text
        self.has_rubric: bool = isinstance(item, m.FreeTextItem) and bool(item.rubric)
        yes = item.yes if isinstance(item, m.YesNoItem) else m.YesNoAnswer()
        no = item.no if isinstance(item, m.YesNoItem) else m.YesNoAnswer()
        self.yes_points: float = float(yes.points)
        self.no_points: float = float(no.points)
        self.yes_signal: int = -1 if yes.signal is None else SIGNAL_INDEX[yes.signal]
        self.no_signal: int = -1 if no.signal is None else SIGNAL_INDEX[no.signal]


class Rule:
    """One verdict rule with its conditions split into parallel lists for quick checks."""

    __slots__ = ("code", "rank", "metrics", "ops", "values", "signs")

    def __init__(self, rule_verdict: m.Verdict, conditions: tuple[Condition, ...]) -> None:
        self.code: str = rule_verdict.value
        self.rank: int = VERDICT_RANK[rule_verdict]
        """0 is the best verdict (ready to lead), 3 the worst."""
        self.metrics: list[int] = [METRICS.index(c.metric) for c in conditions]
        """Each condition's metric as an index into ``METRICS``."""
        self.ops: list[int] = [OPS.index(c.op) for c in conditions]
        self.values: list[float] = [float(c.value) for c in conditions]
        self.signs: list[str] = [f"{_OP_SIGNS[c.op]} {c.value:g}" for c in conditions]
        """Each condition's operator and bound as shown in a reason, e.g. "≥ 70"."""


_OP_SIGNS: Final = {"lt": "<", "le": "≤", "ge": "≥", "gt": ">"}
OPS: Final = ["lt", "le", "ge", "gt"]
"""Condition operators; a rule keeps each as its index here."""
METRICS: Final = ["evidence", "claims", "min_dimension", *DIMENSION_CODES]
"""What verdict rules can test, in the order of the values list the engine passes: the dimensions last."""


class Texts:
    """Every policy text of one language, looked up by index or code instead of through the models."""

    __slots__ = (
        "lang",
        "msgs",
        "title",
        "dimension_labels",
        "signal_labels",
        "signal_reasons",
        "verdict_labels",
        "metric_labels",
        "calibration_labels",
        "calibration_reasons",
        "discipline_labels",
        "why",
        "focus_basic",
        "focus_advanced",
        "sjt_details",
        "risk_labels",
        "risk_reasons",
        "risk_advice",
        "hire",
        "tpl",
    )

    def __init__(self, lang: str, q: m.Questionnaire, policy: Policy) -> None:
        mp = policy.mentoring
        self.lang: str = lang
        self.msgs: dict[str, str] = {k: v.get(lang) for k, v in policy.messages.items()}
        self.tpl: dict[str, Template] = {k: Template(v, MESSAGE_FIELDS.get(k, ())) for k, v in self.msgs.items()}
        self.title: str = q.title.get(lang)
        self.dimension_labels: list[str] = [policy.dimension_labels[d].get(lang) for d in m.DIMENSIONS]
        self.signal_labels: list[str] = [policy.signals[s].label.get(lang) for s in m.SIGNALS]
        self.signal_reasons: list[Template] = [
            Template(policy.signals[s].reason.get(lang), SIGNAL_REASON_FIELDS) for s in m.SIGNALS
        ]
        self.verdict_labels: dict[str, str] = {v.value: t.get(lang) for v, t in policy.verdict_labels.items()}
        self.metric_labels: list[str] = [
            policy.metric_labels[k].get(lang) if k in policy.metric_labels else k for k in METRICS
        ]
        """Indexed like ``METRICS``; a metric the policy gives no label is shown by its name."""
        self.calibration_labels: dict[str, str] = {k: t.get(lang) for k, t in policy.calibration.labels.items()}
        self.calibration_reasons: dict[str, Template] = {
            k: Template(t.get(lang), CALIBRATION_REASON_FIELDS) for k, t in policy.calibration.reasons.items()
        }
        self.discipline_labels: dict[str, str] = {d.value: t.get(lang) for d, t in mp.discipline_labels.items()}
        self.why: dict[str, Template] = {v.value: Template(t.get(lang), WHY_FIELDS) for v, t in mp.why.items()}
        self.focus_basic: list[list[str]] = [[p.get(lang) for p in mp.focus[d].basic] for d in m.DIMENSIONS]
        self.focus_advanced: list[list[str]] = [[p.get(lang) for p in mp.focus[d].advanced] for d in m.DIMENSIONS]
        self.sjt_details: list[str] = _sjt_details(self.msgs)
        risks = policy.role.risks
        self.risk_labels: list[str] = [risks[r].label.get(lang) for r in m.RISKS]
        self.risk_reasons: list[str] = [risks[r].reason.get(lang) for r in m.RISKS]
        self.risk_advice: list[str] = [risks[r].advice.get(lang) for r in m.RISKS]
        self.hire: list[str] = [h.text.get(lang) for h in policy.role.hire]


def _sjt_details(msgs: dict[str, str]) -> list[str]:
    """The 9 explanations of a best/worst pair, indexed best_kind * 3 + worst_kind."""
    points = (1, -1, 0)
    best = (msgs["sjt_best_keyed"], msgs["sjt_best_swapped"], msgs["sjt_best_other"])
    worst = (msgs["sjt_worst_keyed"], msgs["sjt_worst_swapped"], msgs["sjt_worst_other"])
    return [f"{best[b]}; {worst[w]} ({points[b] + points[w]:+d})" for b in range(3) for w in range(3)]


class Compiled:
    """A bundle prepared for scoring; build it once per questionnaire version and reuse it."""

    __slots__ = (
        "bundle",
        "content_hash",
        "questionnaire",
        "policy",
        "kind",
        "items",
        "plans",
        "texts",
        "launched",
        "closed",
        "tolerance_years",
        "min_words",
        "buzzwords_full",
        "concrete_factor",
        "platform_names",
        "analyzer",
        "rules",
        "signal_weights",
        "signal_per_hit",
        "dimension_weights",
        "dimension_weights_json",
        "risk_severity",
        "id",
        "kind_code",
        "source",
        "is_role",
        "self_weight",
        "hr_weight",
        "first_claim_strength",
        "each_further_claim",
        "self_rating_margin",
        "self_rating_full_at",
        "calibration_margin",
        "over_claims_index",
        "over_max_evidence",
        "under_max_claims_index",
        "mentoring_target",
        "basic_below",
        "max_gaps",
        "discipline_weights",
        "_overclaiming",
    )

    def __init__(self, bundle: Bundle) -> None:
        q = bundle.questionnaire
        policy = bundle.policy
        self.bundle: Bundle = bundle
        self.content_hash: str = bundle.content_hash()
        self.questionnaire: m.Questionnaire = q
        self.policy: Policy = policy
        self.kind: m.Kind = q.kind
        self.items: tuple[m.Item, ...] = tuple(q.items())
        chose = _both(policy.messages["chose"])
        self.source: str = "hr" if q.kind is m.Kind.HR_ASSESSMENT else "self"
        self.plans: list[ItemPlan] = [ItemPlan(item, policy, chose, self.source) for item in self.items]
        self.texts: list[Texts] = [Texts(lang, q, policy) for lang in LANGS]
        platforms = bundle.platforms.platforms
        self.launched: dict[str, dt.date] = {p.id: p.launched for p in platforms}
        self.closed: dict[str, dt.date | None] = {p.id: p.discontinued for p in platforms}
        self.tolerance_years: float = float(policy.tenure.tolerance_years)
        self.min_words: int = policy.text.min_words
        self.buzzwords_full: float = float(policy.text.buzzwords_per_100_words_full)
        self.concrete_factor: float = float(policy.text.concrete_result_factor)
        self.platform_names: dict[str, str] = {p.id: p.name for p in platforms}
        by_id = {p.id: PlatformPlan(p) for p in platforms}
        for plan in self.plans:
            plan.platform_plans = [by_id[p] for p in plan.platforms]
        self.analyzer: TextAnalyzer = TextAnalyzer(bundle.lexicon)
        self.rules: list[Rule] = [Rule(r.verdict, r.when) for r in policy.verdict_rules]
        self.signal_weights: list[float] = [float(policy.signals[s].weight) for s in m.SIGNALS]
        self.signal_per_hit: list[float] = [float(policy.signals[s].per_hit) for s in m.SIGNALS]
        self.dimension_weights: list[float] = [float(policy.dimension_weights[d]) for d in m.DIMENSIONS]
        self.dimension_weights_json: dict[str, float] = {d.value: policy.dimension_weights[d] for d in m.DIMENSIONS}
        self.risk_severity: list[str] = [policy.role.risks[r].severity for r in m.RISKS]
        self.id: str = q.id
        self.kind_code: str = q.kind.value
        self.is_role: bool = q.kind is m.Kind.ROLE_ASSESSMENT
        # Policy numbers read on every result, copied out of the models once.
        self.self_weight: float = policy.combine.self_weight
        self.hr_weight: float = policy.combine.hr_weight
        self.first_claim_strength: float = policy.tenure.first_claim_strength
        self.each_further_claim: float = policy.tenure.each_further_claim
        self.self_rating_margin: float = policy.self_rating.margin
        self.self_rating_full_at: float = policy.self_rating.full_at
        cp = policy.calibration
        self.calibration_margin: float = cp.margin
        self.over_claims_index: float = cp.over_claims_index
        self.over_max_evidence: float = cp.over_max_evidence
        self.under_max_claims_index: float = cp.under_max_claims_index
        mp = policy.mentoring
        self.mentoring_target: float = mp.target
        self.basic_below: float = mp.basic_below
        self.max_gaps: int = mp.max_gaps
        self.discipline_weights: list[list[tuple[int, float]]] = [
            [(DISCIPLINES.index(disc), weight) for disc, weight in mp.discipline_weights[d].items()]
            for d in m.DIMENSIONS
        ]
        """Per dimension: (index into DISCIPLINES, weight) in the policy's order."""
        self._overclaiming: dict[tuple[int, int, int, int], OverclaimingIndices] = {}

    def overclaiming(self, hits: int, reals: int, false_alarms: int, foils: int) -> OverclaimingIndices:
        """The over-claiming indices of these counts; few count combinations exist, so each is computed once."""
        key = (hits, reals, false_alarms, foils)
        found = self._overclaiming.get(key)
        if found is None:
            found = indices(hits, reals, false_alarms, foils)
            self._overclaiming[key] = found
        return found


def compile_bundle(bundle: Bundle) -> Compiled:
    """Prepare a bundle for scoring; do this once per questionnaire version and reuse it."""
    return Compiled(bundle)
