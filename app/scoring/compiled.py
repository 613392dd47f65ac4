"""A questionnaire version prepared for scoring: the bundle with the lookups scoring needs, built once."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from app.scoring import model as m
from app.scoring.bundle import Bundle
from app.scoring.policy import Condition, Policy
from app.scoring.text import TextAnalyzer

LANGS: Final = ("nl", "en")
LABEL_LENGTH: Final = 90
DIMENSIONS: Final = tuple(m.Dimension)
"""The engine keys everything by these members; being strings, they read as their codes in the JSON."""
DISCIPLINES: Final = tuple(m.Discipline)
"""In order of preference when two disciplines are needed equally."""
VERDICT_RANK: Final = {v.value: i for i, v in enumerate(m.Verdict)}
"""Verdicts from best (0, ready to lead) to worst; insufficient evidence last."""


def check_lang(lang: str) -> str:
    """Return ``lang`` when the engine writes it, else raise naming the languages it does write."""
    if lang not in LANGS:
        raise ValueError(f"language '{lang}' is not supported; use one of {list(LANGS)}")
    return lang


def short(text: str, limit: int = LABEL_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def number(value: float, lang: str, digits: int = 1) -> str:
    """A number as a person reads it: rounded to ``digits``, no trailing zeros, a decimal comma in Dutch.

    Written here rather than with Babel because the engine writes a few dozen numbers per result and
    only these two number styles; the HR pages format their own numbers with Babel.
    """
    # .15g of a rounded value prints it without trailing zeros or an exponent; + 0.0 turns -0.0 into 0.0.
    text = f"{round(value, digits) + 0.0:.15g}"
    return text.replace(".", ",") if lang == "nl" else text


_COUNTED: Final = re.compile(r"\{(\w+):([^{}|]*)\|([^{}]*)\}")
"""``{n:seconde|seconden}``: a field shown with the noun that agrees with it."""


def fill(text: str, **fields: Any) -> str:
    """A policy text with its {fields} filled in; ``{n:answer|answers}`` writes "1 answer" or "3 answers"."""
    if "|" in text:
        # Counted fields are written first, then str.format fills the rest (string.Formatter, which could do
        # both, made scoring a sixth slower).
        text = _COUNTED.sub(lambda found: _counted(fields[found[1]], found[2], found[3]), text)
    return text.format(**fields)


def _counted(value: Any, one: str, many: str) -> str:
    shown = str(value)
    # As shown, so "1" (0.6 rounded) is singular and "1,5" or "0" plural, in Dutch as in English.
    words = f"{shown} {one if shown == '1' else many}"
    return words.replace("{", "{{").replace("}", "}}")  # read by str.format next, as literal text


_COMPARE: Final = {"lt": operator.lt, "le": operator.le, "ge": operator.ge, "gt": operator.gt}


@dataclass(frozen=True, slots=True)
class ConditionText:
    """A verdict rule's condition with the words that do not depend on the answers."""

    condition: Condition
    compare: Callable[[float, float], bool]
    metric: str
    """How the metric reads inside a reason."""
    needed: str
    """What the rule needs, "at least 75"."""
    unmeasured: str
    """The whole condition in words when its metric was not measured."""

    def holds(self, value: float | None) -> bool:
        return value is not None and self.compare(value, self.condition.value)


@dataclass(frozen=True, slots=True)
class Compiled:
    """A bundle ready to score; build it once per questionnaire version (``compile_bundle``) and reuse it."""

    bundle: Bundle
    questionnaire: m.Questionnaire
    policy: Policy
    content_hash: str
    items: tuple[m.Item, ...]
    analyzer: TextAnalyzer
    platforms: Mapping[str, m.Platform]
    labels: Mapping[str, Mapping[str, str]]
    """Per language, each item's text shortened for explanations."""
    messages: Mapping[str, Mapping[str, str]]
    """Per language, the policy's messages by key."""
    options: Mapping[str, Mapping[str, m.Option]]
    """Per choice or best/worst item, its options by id."""
    option_labels: Mapping[str, Mapping[tuple[str, str], str]]
    """Per language, each option's text by (item id, option id), shortened for explanations."""
    metric_labels: Mapping[str, Mapping[str, str]]
    """Per language, how each verdict metric reads inside a reason."""
    conditions: Mapping[str, Mapping[str, tuple[ConditionText, ...]]]
    """Per language, each verdict rule's conditions (by rule id) with their words."""
    verdict_labels: Mapping[str, Mapping[str, str]]
    """Per language, each verdict's label by its code."""
    dimension_labels: Mapping[str, Mapping[m.Dimension, str]]
    """Per language, each dimension's label."""
    calibration_labels: Mapping[str, Mapping[str, str]]
    """Per language, each calibration code's label."""
    weights: Mapping[str, float]
    """Each dimension's weight in the overall score, by its code."""
    of_type: Mapping[str, tuple[m.Item, ...]]
    """The items of each type (``single_choice``, ``familiarity``…), in questionnaire order."""
    observable: int
    """How many items can give evidence about the person (not self-ratings, not self-reports)."""
    checks: frozenset[str]
    """The items by which others confirm what the person claims: HR's verification checks (``verified``) and,
    in a reference check, every scored item."""
    ruled_out: Mapping[str, Mapping[str, Mapping[str, frozenset[str]]]]
    """Per item that has any: per answer id, the other items' answers that say it cannot be right
    (``ruled_out_by``)."""
    item_map: Mapping[str, m.Item]
    """Each item by its id."""
    scenarios: frozenset[str]
    """The situational-judgement items (expert-keyed scenarios): the ``judgement`` verdict metric is their mean."""
    readings: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """What each choice, scenario, rating, numeric or tenure answer shows, read once (``collect``).

    Grows as answers arrive, up to ``collect.MEMO_LIMIT`` entries."""

    @property
    def id(self) -> str:
        return self.bundle.questionnaire.id

    @property
    def kind(self) -> m.Kind:
        return self.bundle.questionnaire.kind

    @property
    def kind_code(self) -> str:
        return self.kind.value

    @property
    def is_role(self) -> bool:
        return self.kind is m.Kind.ROLE_ASSESSMENT

    @property
    def source(self) -> str:
        """Whose account the answers are: the person's own (self), HR's or a referee's observation, or the role's."""
        return {m.Kind.SELF_TEST: "self", m.Kind.HR_ASSESSMENT: "hr", m.Kind.REFERENCE_CHECK: "referee"}.get(
            self.kind, "role"
        )

    @property
    def launched(self) -> dict[str, dt.date]:
        return {p.id: p.launched for p in self.platforms.values()}

    @property
    def platform_names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.platforms.values()}

    def say(self, key: str, lang: str, **fields: Any) -> str:
        """The policy's message ``key`` in ``lang`` with its {fields} filled in."""
        return fill(self.messages[lang][key], **fields)


def compile_bundle(bundle: Bundle) -> Compiled:
    """Prepare a bundle for scoring; do this once per questionnaire version and reuse the result."""
    items = tuple(bundle.questionnaire.items())
    messages = bundle.policy.messages
    choices = [i for i in items if isinstance(i, m.ChoiceItem | m.SjtItem)]
    metric_labels = {
        lang: {
            metric: label.get(lang).format(weak_below=number(bundle.policy.weak_below, lang))
            for metric, label in bundle.policy.metric_labels.items()
        }
        for lang in LANGS
    }
    return Compiled(
        bundle=bundle,
        questionnaire=bundle.questionnaire,
        policy=bundle.policy,
        content_hash=bundle.content_hash(),
        items=items,
        analyzer=TextAnalyzer(bundle.lexicon),
        platforms={p.id: p for p in bundle.platforms.platforms},
        labels={lang: {item.id: short(item.text.get(lang)) for item in items} for lang in LANGS},
        messages={lang: {key: text.get(lang) for key, text in messages.items()} for lang in LANGS},
        options={i.id: {o.id: o for o in i.options} for i in choices},
        option_labels={
            lang: {(i.id, o.id): short(o.text.get(lang)) for i in choices for o in i.options} for lang in LANGS
        },
        metric_labels=metric_labels,
        conditions={
            lang: {
                rule.id: tuple(_condition_text(c, bundle.policy, metric_labels[lang], lang) for c in rule.when)
                for rule in bundle.policy.verdict_rules
            }
            for lang in LANGS
        },
        verdict_labels={
            lang: {v.value: text.get(lang) for v, text in bundle.policy.verdict_labels.items()} for lang in LANGS
        },
        dimension_labels={
            lang: {d: text.get(lang) for d, text in bundle.policy.dimension_labels.items()} for lang in LANGS
        },
        calibration_labels={
            lang: {code: text.get(lang) for code, text in bundle.policy.calibration.labels.items()} for lang in LANGS
        },
        weights={d.value: w for d, w in bundle.policy.dimension_weights.items()},
        of_type={kind: tuple(i for i in items if i.type == kind) for kind in {i.type for i in items}},
        observable=sum(1 for item in items if observable(item)),
        checks=frozenset(
            item.id
            for item in items
            if observable(item) and (item.verified or bundle.questionnaire.kind is m.Kind.REFERENCE_CHECK)
        ),
        ruled_out={
            item.id: {
                answer: {other: frozenset(ids) for other, ids in rules.items()}
                for answer, rules in m.ruled_out_rules(item).items()
            }
            for item in items
            if m.ruled_out_rules(item)
        },
        item_map={item.id: item for item in items},
        scenarios=frozenset(item.id for item in items if isinstance(item, m.SjtItem)),
    )


def _condition_text(condition: Condition, policy: Policy, metric_labels: Mapping[str, str], lang: str) -> ConditionText:
    metric = metric_labels[condition.metric]
    needed = f"{policy.operator_labels[condition.op].get(lang)} {number(condition.value, lang)}"
    unmeasured = fill(policy.messages["condition_unmeasured"].get(lang), metric=metric, needed=needed)
    return ConditionText(condition, _COMPARE[condition.op], metric, needed, unmeasured)


def observable(item: m.Item) -> bool:
    """Whether an item can give evidence about the person: self-ratings and self-reports are claims."""
    if item.dimension is None or item.self_reported:
        return False
    if isinstance(item, m.FreeTextItem):
        return item.evidence_from_text or bool(item.rubric)
    return item.signal is not m.Signal.SELF_RATING_ABOVE_EVIDENCE
