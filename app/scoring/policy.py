"""The scoring policy: every threshold, weight and message the engine uses, loaded from data.

The shipped policy is ``questions/data/scoring-policy.yaml``. Keeping it out of code means an
organisation can tune a threshold without a release, and because the policy is part of a
questionnaire version's bundle, tuning it never changes a result that was already scored.
"""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.scoring.model import Calibration, Dimension, Discipline, Frozen, Risk, Signal, Text, Verdict, _OmitWhenUnset

Share = Annotated[float, Field(ge=0, le=1)]
Metric = Annotated[str, Field(pattern=r"^[a-z_]+$")]
Op = Literal["lt", "le", "ge", "gt"]
METRICS: tuple[str, ...] = (
    "evidence",
    "claims",
    "min_dimension",
    "weak_dimensions",
    "confirmed",
    "judgement",
    *(d.value for d in Dimension),
)
"""What a verdict condition can test: overall evidence, the claims index, the weakest dimension's score,
the number of dimensions below ``weak_below``, what HR's checks and referees confirmed (0-100; a condition on
it applies only to a result that holds an HR assessment or a reference check), the judgement in the scenarios
(the mean score of the situational-judgement items, 0-100: 100 is the expert key, 0 its opposite in every
scenario; unmeasured when no scenario was answered), or one dimension's score."""


class Condition(Frozen):
    """``metric op value``, e.g. ``evidence ge 75``."""

    metric: Metric
    op: Op
    value: float

    @model_validator(mode="after")
    def _known_metric(self) -> Condition:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric '{self.metric}'; use one of {sorted(METRICS)}")
        return self


class VerdictRule(Frozen):
    """One rule: when every condition holds, ``verdict`` is decided and ``reason`` says why."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    verdict: Verdict
    when: tuple[Condition, ...] = ()
    reason: Text
    """Why this rule decides, in words HR can act on; the conditions that held are listed after it."""
    verify: bool = False
    """When true, the reason is followed by the claims to verify (the claim signals that fired)."""


class SignalPolicy(_OmitWhenUnset):
    weight: Share
    """The most this signal alone can add to the claims index, as a share of 100."""
    per_hit: Share = 1.0
    """Strength added by each answer or text hit that fires it (capped at 1)."""
    label: Text
    reason: Text
    """Why it fired; may use {detail}."""
    diagnostic: bool = False
    """A reading of the answers ("measures success in likes"), not a claim a reference or check could confirm:
    never under a verdict's "verify first", but asked about (message ``ask_about_signals``). Unset in policies
    stored before it existed, which keep listing every signal as a claim to verify."""
    _omit_unset = ("diagnostic",)


class TextSignalPolicy(Frozen):
    buzzwords_per_100_words_full: Annotated[float, Field(gt=0)] = 6.0
    min_words: Annotated[int, Field(ge=1)] = 12
    concrete_result_factor: Share = 0.5
    """Buzzword strength is multiplied by this when the text also names a concrete business result."""


class TenurePolicy(Frozen):
    tolerance_years: Annotated[float, Field(ge=0)] = 0.5
    first_claim_strength: Share = 0.75
    each_further_claim: Share = 0.25


class SelfRatingPolicy(Frozen):
    margin: Annotated[float, Field(ge=0, le=100)] = 15.0
    """Self-rating may exceed evidence by this many points before it counts as a claim."""
    full_at: Annotated[float, Field(gt=0, le=100)] = 40.0
    """Mean excess (after the margin) at which the signal is at full strength."""


class OverclaimingPolicy(Frozen):
    """How the familiarity list becomes the strength of ``foils_claimed``: the larger of two readings.

    From the bias c and accuracy d': clamp((-c - c_free) / c_span, 0, 1) * clamp((d_full - d') / (d_full -
    d_none), 0, 1): a person who claims more than they know (low c) scores high, unless their claims still
    separate real terms from invented ones well (high d').
    From the invented terms claimed: clamp((claimed - free_foils) / max(1, full_share * foils - free_foils)).
    Claiming to know what does not exist is a claim however few real terms the person claims (their c is
    then not low): one slip costs nothing, three quarters of the invented terms is the full signal.
    """

    c_free: float = 0.4
    c_span: Annotated[float, Field(gt=0)] = 1.2
    d_none: float = 2.0
    d_full: float = 4.0
    free_foils: Annotated[int, Field(ge=0)] = 1
    full_share: Annotated[float, Field(gt=0, le=1)] = 0.75

    @model_validator(mode="after")
    def _order(self) -> OverclaimingPolicy:
        if self.d_full <= self.d_none:
            raise ValueError(f"d_full: {self.d_full} must be greater than d_none ({self.d_none})")
        return self


class CoveragePolicy(Frozen):
    """How much must be observed before any verdict is given; below it the verdict is insufficient_evidence."""

    min_dimensions: Annotated[int, Field(ge=1, le=6)] = 5
    min_items_per_dimension: Annotated[int, Field(ge=1)] = 1
    min_observed_share: Share = 0.5
    """Of the items that can give evidence, at least this share must have been answered or observed."""


class IntegrityPolicy(Frozen):
    """When answers look careless; integrity flags lower confidence, never decide."""

    seconds_per_item: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    """Least plausible reading-and-answering time per item type; a section faster than ``fast_share`` of
    the sum over its items is implausibly fast."""
    fast_share: Share = 0.35
    same_rating_share: Share = 0.9
    """A familiarity or rating grid with this share of identical ratings (at least 8 of them) is straight-lined."""
    same_position_share: Share = 0.8
    """Best options chosen at this share of one screen position (at least 6 scenarios) is straight-lined."""
    labels: dict[str, Text]
    details: dict[str, Text]


class CalibrationPolicy(Frozen):
    margin: Annotated[float, Field(ge=0, le=100)] = 25.0
    over_claims_index: Annotated[float, Field(ge=0, le=100)] = 60.0
    over_max_evidence: Annotated[float, Field(ge=0, le=100)] = 60.0
    under_max_claims_index: Annotated[float, Field(ge=0, le=100)] = 30.0
    under_min_evidence: Annotated[float, Field(ge=0, le=100)] = 60.0
    """Under-claiming is "hidden talent" only when the evidence is strong (PRODUCT: strong evidence, modest claims)."""
    labels: dict[str, Text]
    reasons: dict[str, Text]


class FocusPoints(Frozen):
    basic: tuple[Text, ...] = Field(min_length=1)
    advanced: tuple[Text, ...] = Field(min_length=1)


class MentoringPolicy(Frozen):
    target: Annotated[float, Field(ge=0, le=100)] = 70.0
    basic_below: Annotated[float, Field(ge=0, le=100)] = 45.0
    max_gaps: Annotated[int, Field(ge=1, le=6)] = 3
    discipline_weights: dict[Dimension, dict[Discipline, float]]
    discipline_labels: dict[Discipline, Text]
    focus: dict[Dimension, FocusPoints]
    required: dict[Verdict, bool]
    """Whether the verdict itself asks for a mentor (ready with a mentor, only under supervision)."""
    why: dict[Verdict, Text]
    """Why (or whether) a mentor helps, per verdict; may use {discipline} and {gaps}."""
    why_no_discipline: Text
    """Said instead when no discipline can be chosen (nothing measured)."""
    why_no_gaps: Text
    """A capable person with no dimension below target: what keeps the better verdict away is no skill to learn."""

    @model_validator(mode="after")
    def _complete(self) -> MentoringPolicy:
        for name in ("discipline_weights", "focus"):
            missing = set(Dimension) - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} lacks dimensions: {', '.join(sorted(missing))}")
        return self


class RiskPolicy(Frozen):
    severity: Literal["high", "medium", "low"]
    label: Text
    reason: Text
    advice: Text


class HireAdvice(Frozen):
    min_risks: int = 0
    min_high_risks: int = 0
    """Risks of severity high among them (a few severe risks weigh more than many small ones)."""
    max_risks: int | None = None
    any_of: tuple[Risk, ...] = ()
    min_score: Annotated[float, Field(ge=0, le=100)] | None = None
    """The role's design score must reach this (only a role that is actually well designed is called so)."""
    text: Text


class RolePolicy(Frozen):
    risks: dict[Risk, RiskPolicy]
    hire: tuple[HireAdvice, ...] = Field(min_length=1)
    """Checked in order; the first that matches is the hiring advice."""


class CombinePolicy(Frozen):
    self_weight: Annotated[float, Field(gt=0)] = 1.0
    hr_weight: Annotated[float, Field(gt=0)] = 2.0
    referee_weight: Annotated[float, Field(gt=0)] = 1.5
    """All referees of a candidate together, per dimension (between self-report and HR's observation)."""


FRAUD_SIGNALS = (
    "own_domain",
    "free_mail_manager",
    "candidate_network",
    "same_network",
    "too_fast",
    "identical_answers",
)
AGREEMENT = ("agree", "disagree", "single", "not_observed")


class FraudText(Frozen):
    label: Text
    reason: Text


class ReferencesPolicy(Frozen):
    """How referees' statements are read (app.scoring.references); their weight is ``combine.referee_weight``."""

    agreement_spread: Annotated[float, Field(ge=0, le=100)] = 25.0
    """Referees agree on a dimension when their scores lie at most this far apart."""
    min_seconds: Annotated[int, Field(ge=0)] = 120
    """A statement completed faster than this is implausibly fast."""
    identical_share: Annotated[float, Field(gt=0, le=1)] = 0.9
    """Two referees whose answers are identical on at least this share of the items answered by both."""
    identical_min_items: Annotated[int, Field(ge=1)] = 5
    free_mail_domains: tuple[str, ...] = ()
    fraud: dict[str, FraudText] = Field(default_factory=dict)
    agreement_labels: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> ReferencesPolicy:
        for name, wanted in (("fraud", FRAUD_SIGNALS), ("agreement_labels", AGREEMENT)):
            given = getattr(self, name)
            if given and set(wanted) - set(given):
                raise ValueError(f"{name} lacks: {', '.join(sorted(set(wanted) - set(given)))}")
            if set(given) - set(wanted):
                raise ValueError(f"{name} has unknown keys: {', '.join(sorted(set(given) - set(wanted)))}")
        return self


MESSAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "chose": ("options",),
    "sjt_best_keyed": (),
    "sjt_best_swapped": (),
    "sjt_best_other": (),
    "sjt_worst_keyed": (),
    "sjt_worst_swapped": (),
    "sjt_worst_other": (),
    "numeric_full": ("given", "answer"),
    "numeric_partial": ("given", "answer"),
    "numeric_wrong": ("given", "answer"),
    "rated": ("value", "low", "high"),
    "tenure_impossible": ("platform", "claimed", "launched", "possible"),
    "tenure_impossible_closed": ("platform", "claimed", "launched", "closed", "possible"),
    "foil_claimed": ("term",),
    "buzzwords_found": ("n", "words", "terms"),
    "text_terms": ("terms",),
    "rubric": ("points", "max"),
    "text_concrete": ("terms",),
    "text_business_only": ("terms",),
    "text_vague": (),
    "answered_yes": (),
    "answered_no": (),
    "dimension_unmeasured": (),
    "dimension_summary": ("label", "score", "n"),
    "evidence_summary": ("score", "n"),
    "claims_summary": ("index", "n"),
    "verdict_not_reached": ("verdict", "condition"),
    "condition": ("metric", "value", "needed"),
    "condition_unmeasured": ("metric", "needed"),
    "self_rating_excess": ("label", "rating", "evidence"),
    "self_reported": ("answer",),
    "coverage_items": ("observed", "total", "needed"),
    "coverage_dimensions": ("measured", "needed", "missing"),
    "verify_claims": ("claims",),
    "confidence_lowered": ("flags",),
    "answer_ruled_out": ("answer", "item", "other_answer", "other"),
    "unobserved_decides": ("missing", "verdict"),
    "ask_about_signals": ("signals",),
}
"""Every message the engine writes and the {fields} it may use, in the order the engine passes them."""
OPTIONAL_MESSAGES = frozenset({"answer_ruled_out", "unobserved_decides", "ask_about_signals"})
"""Messages added after policies were stored with questionnaire versions: a policy needs one only when its
questionnaire uses what it describes (``answer_ruled_out``: an answer with ``ruled_out_by``; see ``Bundle``).
Without ``unobserved_decides`` a stored policy keeps its old verdicts: the fallback, not insufficient evidence,
when only an unobserved dimension kept a better verdict away (see ``app.scoring.verdict``). A policy with a
``diagnostic`` signal needs ``ask_about_signals``."""
MESSAGE_KEYS = frozenset(MESSAGE_FIELDS) - OPTIONAL_MESSAGES
SIGNAL_REASON_FIELDS = ("detail",)
CALIBRATION_REASON_FIELDS = ("claims", "evidence", "gap", "dimensions")
WHY_FIELDS = ("discipline", "gaps")


def template_problem(text: str, allowed: tuple[str, ...]) -> str | None:
    """What is wrong with a message's {fields}, or None: only the allowed names, no format specs but a count's.

    ``{n:answer|answers}`` is the count with its noun in the singular or the plural (``compiled.fill``).
    """
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"{text!r}: {exc}"
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed:
            known = ", ".join("{" + a + "}" for a in allowed) or "none"
            return f"{text!r}: unknown field {{{field}}}; this message may use {known}"
        one, bar, many = (spec or "").partition("|")
        if conversion or (spec and not (bar and one.strip() and many.strip() and "|" not in many)):
            return f"{text!r}: field {{{field}}} may carry only a noun's two forms ({{{field}:one|many}})"
    return None


INTEGRITY_DETAIL_FIELDS = ("section", "seconds", "expected", "share", "items", "rating", "position")
INTEGRITY_FLAGS = frozenset({"fast_section", "straight_lining", "same_position", "pasted_text"})
CALIBRATION_REASONS = frozenset(
    {
        "no_evidence",
        "claims_high",
        "claims_heavy",
        "self_above",
        "self_below",
        "self_below_modest",
        "self_below_with_claims",
        "matches",
        "matches_except",
    }
)


class Policy(Frozen):
    """Thresholds, weights and messages of the engine (``questions/data/scoring-policy.yaml``)."""

    id: str = "default"
    dimension_weights: dict[Dimension, Annotated[float, Field(gt=0)]]
    dimension_labels: dict[Dimension, Text]
    verified_weight: Annotated[float, Field(ge=1)] = 1.5
    signals: dict[Signal, SignalPolicy]
    text: TextSignalPolicy = TextSignalPolicy()
    tenure: TenurePolicy = TenurePolicy()
    self_rating: SelfRatingPolicy = SelfRatingPolicy()
    calibration: CalibrationPolicy
    overclaiming: OverclaimingPolicy = OverclaimingPolicy()
    coverage: CoveragePolicy = CoveragePolicy()
    integrity: IntegrityPolicy
    weak_below: Annotated[float, Field(ge=0, le=100)] = 45.0
    """A dimension below this counts in the ``weak_dimensions`` metric of the verdict rules."""
    verdict_rules: tuple[VerdictRule, ...] = Field(min_length=1)
    verdict_labels: dict[Verdict, Text]
    metric_labels: dict[str, Text]
    operator_labels: dict[Op, Text]
    """How a bound reads in a reason: "at least 75"."""
    messages: dict[str, Text]
    mentoring: MentoringPolicy
    role: RolePolicy
    combine: CombinePolicy = CombinePolicy()
    references: ReferencesPolicy = ReferencesPolicy()

    @model_validator(mode="after")
    def _complete(self) -> Policy:
        checks: dict[str, set[str]] = {
            "dimension_weights": set(Dimension),
            "dimension_labels": set(Dimension),
            "signals": set(Signal),
            "verdict_labels": set(Verdict),
        }
        for name, wanted in checks.items():
            missing = wanted - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} lacks: {', '.join(sorted(missing))}")
        if self.verdict_rules[-1].when:
            raise ValueError("the last verdict rule must have no conditions (it is the fallback)")
        missing_messages = MESSAGE_KEYS - set(self.messages)
        if missing_messages:
            raise ValueError(f"messages lacks: {', '.join(sorted(missing_messages))}")
        missing_reasons = CALIBRATION_REASONS - set(self.calibration.reasons)
        if missing_reasons:
            raise ValueError(f"calibration.reasons lacks: {', '.join(sorted(missing_reasons))}")
        missing_labels = {c.value for c in Calibration} - set(self.calibration.labels)
        if missing_labels:
            raise ValueError(f"calibration.labels lacks: {', '.join(sorted(missing_labels))}")
        # Every metric a rule tests needs its words; a policy written before a metric existed need not name it.
        missing_metrics = {c.metric for rule in self.verdict_rules for c in rule.when} - set(self.metric_labels)
        if missing_metrics:
            raise ValueError(f"metric_labels lacks: {', '.join(sorted(missing_metrics))}")
        missing_required = set(Verdict) - set(self.mentoring.required)
        if missing_required:
            raise ValueError(f"mentoring.required lacks: {', '.join(sorted(missing_required))}")
        ids = [rule.id for rule in self.verdict_rules]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"verdict_rules: rule ids must be unique; repeated: {', '.join(repeated)}")
        last = self.role.hire[-1]
        if (
            last.min_risks
            or last.min_high_risks
            or last.any_of
            or last.max_risks is not None
            or last.min_score is not None
        ):
            raise ValueError("the last role.hire entry must have no conditions (it is the fallback)")
        self._check_templates()
        if "ask_about_signals" not in self.messages and any(s.diagnostic for s in self.signals.values()):
            raise ValueError("messages lacks ask_about_signals, which a signal marked 'diagnostic' needs")
        missing_why = set(Verdict) - set(self.mentoring.why)
        if missing_why:
            raise ValueError(f"mentoring.why lacks: {', '.join(sorted(missing_why))}")
        for name in ("labels", "details"):
            missing_flags = INTEGRITY_FLAGS - set(getattr(self.integrity, name))
            if missing_flags:
                raise ValueError(f"integrity.{name} lacks: {', '.join(sorted(missing_flags))}")
        missing_risks = set(Risk) - set(self.role.risks)
        if missing_risks:
            raise ValueError(f"role.risks lacks: {', '.join(sorted(missing_risks))}")
        return self

    def _check_templates(self) -> None:
        texts: list[tuple[str, Text, tuple[str, ...]]] = [
            (f"messages.{key}", text, MESSAGE_FIELDS.get(key, ())) for key, text in self.messages.items()
        ]
        texts += [(f"signals.{k.value}.reason", v.reason, SIGNAL_REASON_FIELDS) for k, v in self.signals.items()]
        texts += [
            (f"calibration.reasons.{k}", v, CALIBRATION_REASON_FIELDS) for k, v in self.calibration.reasons.items()
        ]
        texts += [(f"mentoring.why.{k.value}", v, WHY_FIELDS) for k, v in self.mentoring.why.items()]
        texts += [("mentoring.why_no_discipline", self.mentoring.why_no_discipline, ())]
        texts += [("mentoring.why_no_gaps", self.mentoring.why_no_gaps, WHY_FIELDS)]
        texts += [(f"verdict_rules.{r.id}.reason", r.reason, ()) for r in self.verdict_rules]
        texts += [(f"integrity.details.{k}", v, INTEGRITY_DETAIL_FIELDS) for k, v in self.integrity.details.items()]
        for where, text, allowed in texts:
            for lang in ("nl", "en"):
                problem = template_problem(text.get(lang), allowed)
                if problem:
                    raise ValueError(f"{where}.{lang}: {problem}")
