"""The questionnaire format: frozen pydantic models that every questionnaire file is validated against.

A questionnaire file (``questions/<id>.yaml``) is parsed into :class:`Questionnaire`. The shared data
files in ``questions/data/`` are parsed into :class:`Policy`, :class:`PlatformCatalogue` and
:class:`Lexicon`. Together they form a :class:`Bundle`: the exact, self-contained input the engine
scores with. A bundle's content hash is the questionnaire *version*; it is stored with every
assessment and result, so editing a file later never changes an old result.

This module is pure: no I/O, no web or database imports.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuledOutBy = dict[Slug, tuple[Slug, ...]]
"""Answers elsewhere in the form that say this answer cannot be right: other item id to its answer ids (option ids,
or "yes"/"no" for a yes/no item)."""
QuestionnaireId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _OmitWhenUnset(Frozen):
    """Leave fields added after a format was in use out of the dump while they hold their default.

    A questionnaire version is the hash of its dump: a new optional field that appeared in every dump
    would make a new version of every unchanged questionnaire (and restart its norms).
    """

    _omit_unset: tuple[str, ...] = ()

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in self._omit_unset:
            if not data.get(name):
                data.pop(name, None)
        return data


class Lang(StrEnum):
    NL = "nl"
    EN = "en"


class Text(Frozen):
    """A text in both languages the product ships in."""

    nl: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


class Kind(StrEnum):
    SELF_TEST = "self_test"
    HR_ASSESSMENT = "hr_assessment"
    ROLE_ASSESSMENT = "role_assessment"
    REFERENCE_CHECK = "reference_check"
    """Filled in by a referee the candidate worked with: what they observed, and whether the claims hold."""


class Dimension(StrEnum):
    """The six evidence dimensions (PRODUCT.md section 2)."""

    STRATEGY = "strategy"
    ROI = "roi"
    CORPORATE_COMMUNICATION = "corporate_communication"
    INTEGRATION = "integration"
    LEADERSHIP = "leadership"
    TRACK_RECORD = "track_record"


class Signal(StrEnum):
    """Claim signals: what a person says about themselves rather than shows."""

    SELF_TITLE = "self_title"
    VANITY_METRICS = "vanity_metrics"
    VOLUME_BRAGGING = "volume_bragging"
    IMPOSSIBLE_TENURE = "impossible_tenure"
    FOILS_CLAIMED = "foils_claimed"
    BUZZWORD_DENSITY = "buzzword_density"
    CLOSED_ACCOUNTS = "closed_accounts"
    SELF_RATING_ABOVE_EVIDENCE = "self_rating_above_evidence"
    UNVERIFIED_CLAIMS = "unverified_claims"


class Risk(StrEnum):
    """Role-design risks (PRODUCT.md section 4)."""

    ONE_PERSON_SHOW = "one_person_show"
    NO_INTEGRATION = "no_integration"
    VANITY_KPIS = "vanity_kpis"
    NO_ACCOUNTABILITY = "no_accountability"
    NO_CONTINUITY = "no_continuity"
    NO_SENIOR_OVERSIGHT = "no_senior_oversight"
    NO_REASON = "no_reason"
    NO_SUCCESS_MEASURE = "no_success_measure"
    ESCALATION_OFFICE_HOURS = "escalation_office_hours"
    SINGLE_DEPARTMENT = "single_department"


class Discipline(StrEnum):
    MARKETING = "marketing"
    COMMUNICATION = "communication"
    PR = "pr"


class Verdict(StrEnum):
    READY_TO_LEAD = "ready_to_lead"
    READY_WITH_MENTOR = "ready_with_mentor"
    SUPERVISION_ONLY = "supervision_only"
    NOT_RECOMMENDED = "not_recommended"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    """Too little was observed to judge; the result says what is missing."""


class ClaimCheck(StrEnum):
    """A referee's answer to a claim shown as the candidate stated it."""

    CONFIRMED = "confirmed"
    PARTLY = "partly"
    CONTRADICTED = "contradicted"


class Calibration(StrEnum):
    CALIBRATED = "calibrated"
    OVER_CLAIMING = "over_claiming"
    UNDER_CLAIMING = "under_claiming"


# --------------------------------------------------------------------------- items


class Option(_OmitWhenUnset):
    """One answer option. ``points`` is its scoring key; ``signal``/``risk`` fire when it is chosen."""

    id: Slug
    text: Text
    points: float = 0.0
    scored: bool = True
    """False for answers like "not checked" or "not applicable": they leave the score untouched."""
    signal: Signal | None = None
    risk: Risk | None = None
    keep_last: bool = False
    """Shown after the shuffled options ("other", "not applicable"), whatever the option order."""
    confirms: ClaimCheck | None = None
    """In a claim check (an item with ``shows_claims``): what choosing this option says about the claim."""
    exclusive: bool = False
    """In a multiple choice: an answer that rules out every other option ("none", "nobody", "not applicable");
    an answer that holds it beside another option is refused."""
    ruled_out_by: RuledOutBy = {}
    """Other answers of the form that say this one cannot have happened ("references confirmed the results"
    beside "references not called"): when one of them is given, this option earns nothing and the result says so."""
    _omit_unset = ("confirms", "exclusive", "ruled_out_by")


class ItemBase(_OmitWhenUnset):
    id: Slug
    text: Text
    help: Text | None = None
    reveals: Annotated[str, Field(min_length=10)]
    """A short note for authors and HR: what the item is meant to reveal."""
    required: bool = True
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    dimension: Dimension | None = None
    signal: Signal | None = None
    verified: bool = False
    """True for HR verification items: their evidence weighs as confirmed by others."""
    self_reported: bool = False
    """True for a person's own report of experience (years, references, documented results): a claim to
    verify, listed in the result, that earns no evidence points until HR or a referee confirms it."""
    shows_claims: tuple[Slug, ...] = ()
    """Self-test item ids whose answers are shown with this item, as the candidate gave them (a referee's
    claim check); the item's options say with ``confirms`` whether the claim holds."""
    _omit_unset = ("shows_claims",)


class ChoiceItem(ItemBase):
    options: Annotated[tuple[Option, ...], Field(min_length=2, max_length=12)]
    ordered: bool = False
    """True when the options form a scale or a range (years, frequency): shown in file order, never shuffled."""

    @model_validator(mode="after")
    def _unique_options(self) -> ChoiceItem:
        ids = [o.id for o in self.options]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"options: option ids must be unique within an item; repeated: {', '.join(dup)}")
        exclusive = [o.id for o in self.options if o.exclusive]
        if exclusive and not isinstance(self, MultipleChoiceItem):
            raise ValueError(
                "options: 'exclusive' is for the options of a multiple_choice item; "
                f"remove it from {', '.join(exclusive)}"
            )
        return self


class SingleChoiceItem(ChoiceItem):
    """Pick one option; the item scores chosen points / highest points (clamped to 0-1)."""

    type: Literal["single_choice"]


class CountRisk(Frozen):
    """A role risk that fires when 1 to ``at_most`` scored options without a risk of their own are chosen.

    Choosing none is left to the options' own risks (``no_other_department`` fires ``no_integration``).
    """

    at_most: Annotated[int, Field(ge=0)]
    risk: Risk


class MultipleChoiceItem(ChoiceItem):
    """Pick several; scores clamp(sum of chosen points / sum of positive points, 0, 1)."""

    type: Literal["multiple_choice"]
    min_choices: Annotated[int, Field(ge=0)] = 1
    max_choices: Annotated[int, Field(ge=1)] | None = None
    count_risk: CountRisk | None = None

    @model_validator(mode="after")
    def _exclusive_alone(self) -> MultipleChoiceItem:
        exclusive = [o.id for o in self.options if o.exclusive]
        if exclusive and self.min_choices > 1:
            raise ValueError(
                f"min_choices: {self.min_choices} leaves no way to choose the exclusive option "
                f"{', '.join(exclusive)} alone; set min_choices to 1 or remove 'exclusive'"
            )
        if len(exclusive) == len(self.options):
            raise ValueError("options: every option is exclusive; a multiple_choice item needs options to combine")
        return self


class ScalePoint(Frozen):
    value: int
    text: Text


class LikertItem(ItemBase):
    """A rating scale. With ``signal: self_rating_above_evidence`` it is a self-rating of ``dimension``."""

    type: Literal["likert"]
    min: int = 1
    max: int = 5
    labels: tuple[ScalePoint, ...] = ()
    reverse: bool = False

    @model_validator(mode="after")
    def _range(self) -> LikertItem:
        if self.max <= self.min:
            raise ValueError(f"max: {self.max} must be greater than min ({self.min})")
        for p in self.labels:
            if not self.min <= p.value <= self.max:
                raise ValueError(f"labels: value {p.value} is outside the scale {self.min}..{self.max}")
        return self


class BarsItem(ItemBase):
    """A behaviourally anchored rating scale (HR): every point describes observed behaviour."""

    type: Literal["bars"]
    anchors: Annotated[tuple[ScalePoint, ...], Field(min_length=3, max_length=9)]
    allow_not_observed: bool = True

    @model_validator(mode="after")
    def _ascending(self) -> BarsItem:
        values = [a.value for a in self.anchors]
        if values != sorted(set(values)):
            raise ValueError(f"anchors: values must be unique and ascending, got {values}")
        return self


class SjtKey(Frozen):
    best: Slug
    worst: Slug


class SjtItem(ItemBase):
    """Situational judgement: choose the best and the worst option; scored against an expert key."""

    type: Literal["sjt"]
    options: Annotated[tuple[Option, ...], Field(min_length=3, max_length=8)]
    key: SjtKey

    @model_validator(mode="after")
    def _key_in_options(self) -> SjtItem:
        ids = {o.id for o in self.options}
        for field in ("best", "worst"):
            value = getattr(self.key, field)
            if value not in ids:
                raise ValueError(f"key.{field}: '{value}' is not one of the options {sorted(ids)}")
        if self.key.best == self.key.worst:
            raise ValueError("key.worst: must differ from key.best")
        exclusive = [o.id for o in self.options if o.exclusive]
        if exclusive:
            raise ValueError(
                "options: 'exclusive' is for the options of a multiple_choice item; "
                f"remove it from {', '.join(exclusive)}"
            )
        ruled = [o.id for o in self.options if o.ruled_out_by]
        if ruled:
            raise ValueError(f"options: 'ruled_out_by' is not for scenario options; remove it from {', '.join(ruled)}")
        return self


class NumericKey(Frozen):
    answer: float
    tolerance: Annotated[float, Field(ge=0)]
    """Full credit when |given - answer| <= tolerance."""
    partial_tolerance: Annotated[float, Field(ge=0)] | None = None
    """Half credit when within this wider band."""


class NumericItem(ItemBase):
    type: Literal["numeric"]
    unit: Text | None = None
    min: float | None = None
    max: float | None = None
    key: NumericKey


class TenureItem(ItemBase):
    """Claims of professional use per platform, in years or as a start year."""

    type: Literal["tenure"]
    platforms: Annotated[tuple[Slug, ...], Field(min_length=1)]
    unit: Literal["years", "start_year"] = "years"


class Term(Frozen):
    id: Slug
    text: Text
    real: bool
    note: str = ""
    """For foils: why we are sure it does not exist. For real terms: what it is."""


class FamiliarityItem(ItemBase):
    """Over-claiming list: rate familiarity with real terms and foils (Paulhus et al., 2003)."""

    type: Literal["familiarity"]
    terms: Annotated[tuple[Term, ...], Field(min_length=5)]
    min: int = 0
    max: int = 6
    cutoff: int = 4
    """A rating >= cutoff counts as a claim to know the term."""
    labels: tuple[ScalePoint, ...] = ()

    @model_validator(mode="after")
    def _mix(self) -> FamiliarityItem:
        if not any(t.real for t in self.terms) or all(t.real for t in self.terms):
            raise ValueError("terms: must mix real items and foils (real: false)")
        if not self.min < self.cutoff <= self.max:
            raise ValueError(f"cutoff: {self.cutoff} must lie in ({self.min}, {self.max}]")
        return self


class RubricLevel(Frozen):
    points: float
    text: Text


class FreeTextItem(ItemBase):
    """Open text: automatic text signals now, a rubric rating by HR later."""

    type: Literal["free_text"]
    max_length: Annotated[int, Field(ge=10, le=10_000)] = 2000
    text_signals: tuple[Signal, ...] = ()
    """Which lexicon signals to look for (buzzword_density, vanity_metrics, volume_bragging, self_title)."""
    evidence_from_text: bool = False
    """When true, concrete business results in the text count as evidence for ``dimension``."""
    rubric: tuple[RubricLevel, ...] = ()


class YesNoAnswer(_OmitWhenUnset):
    points: float = 0.0
    signal: Signal | None = None
    ruled_out_by: RuledOutBy = {}
    """As an option's ``ruled_out_by``: answers elsewhere in the form that say this answer cannot be right."""
    _omit_unset = ("ruled_out_by",)


class YesNoItem(ItemBase):
    """A yes/no verification (HR): confirmed or not."""

    type: Literal["yes_no"]
    yes: YesNoAnswer = YesNoAnswer(points=1.0)
    no: YesNoAnswer = YesNoAnswer(points=0.0)


Item = Annotated[
    SingleChoiceItem
    | MultipleChoiceItem
    | LikertItem
    | BarsItem
    | SjtItem
    | NumericItem
    | TenureItem
    | FamiliarityItem
    | FreeTextItem
    | YesNoItem,
    Field(discriminator="type"),
]


class Section(Frozen):
    id: Slug
    title: Text
    intro: Text | None = None
    items: Annotated[tuple[Item, ...], Field(min_length=1)]


class Questionnaire(Frozen):
    id: QuestionnaireId
    kind: Kind
    title: Text
    description: Text
    estimated_minutes: Annotated[int, Field(ge=1, le=240)]
    audience: Text | None = None
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Questionnaire:
        seen: set[str] = set()
        for section in self.sections:
            for item in section.items:
                if item.id in seen:
                    raise ValueError(f"sections: item id '{item.id}' is used twice")
                seen.add(item.id)
        return self

    @model_validator(mode="after")
    def _claim_checks(self) -> Questionnaire:
        for item in self.items():
            confirms = [o.confirms for o in getattr(item, "options", ()) if o.confirms is not None]
            if item.shows_claims and not isinstance(item, SingleChoiceItem):
                raise ValueError(f"sections: item '{item.id}' shows claims, so it must be a single_choice item")
            if item.shows_claims and not {ClaimCheck.CONFIRMED, ClaimCheck.CONTRADICTED} <= set(confirms):
                raise ValueError(
                    f"sections: item '{item.id}' shows claims, so its options must include one with "
                    "'confirms: confirmed' and one with 'confirms: contradicted'"
                )
            if confirms and not item.shows_claims:
                raise ValueError(f"sections: item '{item.id}' has options with 'confirms' but no 'shows_claims'")
        if self.kind is Kind.REFERENCE_CHECK:
            self._reference_rules()
        return self

    @model_validator(mode="after")
    def _ruled_out(self) -> Questionnaire:
        """Every ``ruled_out_by`` names another choice or yes/no item of this questionnaire and its answers."""
        items = {item.id: item for item in self.items()}
        for item in items.values():
            for answer_id, rules in ruled_out_rules(item).items():
                for other_id, answers in rules.items():
                    where = f"sections: item '{item.id}', answer '{answer_id}', ruled_out_by"
                    other = items.get(other_id)
                    if other is None or other is item:
                        what = "the item itself" if other is item else "no item of this questionnaire"
                        raise ValueError(f"{where}: '{other_id}' is {what}; name another choice or yes/no item")
                    known = answer_ids(other)
                    if not known:
                        raise ValueError(f"{where}: '{other_id}' is a {other.type} item; name a choice or yes/no item")
                    unknown = [a for a in answers if a not in known]
                    if unknown or not answers:
                        raise ValueError(
                            f"{where}: {unknown or 'no answers'} for '{other_id}'; choose from {sorted(known)}"
                        )
        return self

    def _reference_rules(self) -> None:
        """A reference check asks about every dimension on an anchored scale with "not observed", and a claim."""
        items = self.items()
        scaled = {i.dimension for i in items if isinstance(i, BarsItem) and i.allow_not_observed}
        missing = [d.value for d in DIMENSIONS if d not in scaled]
        if missing:
            raise ValueError(
                "sections: a reference_check needs a bars item with allow_not_observed for every dimension; "
                f"missing: {', '.join(missing)}"
            )
        if not any(i.shows_claims for i in items):
            raise ValueError("sections: a reference_check needs at least one claim check (an item with shows_claims)")

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def answer_ids_in_order(item: Item) -> tuple[str, ...]:
    """The ids an answer to a choice or yes/no item is given by (option ids, or "yes"/"no"), in the file's order;
    empty for other types."""
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        return tuple(o.id for o in item.options)
    if isinstance(item, YesNoItem):
        return ("yes", "no")
    return ()


def answer_ids(item: Item) -> frozenset[str]:
    """The ids an answer to a choice or yes/no item is given by, as a set (see ``answer_ids_in_order``)."""
    return frozenset(answer_ids_in_order(item))


def ruled_out_rules(item: Item) -> dict[str, RuledOutBy]:
    """Per answer id of ``item`` that has any, its ``ruled_out_by``."""
    if isinstance(item, SingleChoiceItem | MultipleChoiceItem):
        return {o.id: o.ruled_out_by for o in item.options if o.ruled_out_by}
    if isinstance(item, YesNoItem):
        return {key: answer.ruled_out_by for key, answer in (("yes", item.yes), ("no", item.no)) if answer.ruled_out_by}
    return {}


# --------------------------------------------------------------------------- shared data


class Platform(Frozen):
    id: Slug
    name: str
    launched: dt.date
    precision: Literal["day", "month", "year"] = "day"
    discontinued: dt.date | None = None
    """When the platform closed (as a social network); no experience can be gained after it."""
    source: Annotated[str, Field(min_length=8)]
    note: str = ""


class PlatformCatalogue(Frozen):
    platforms: Annotated[tuple[Platform, ...], Field(min_length=1)]


Terms = dict[Lang, tuple[str, ...]]


class Lexicon(_OmitWhenUnset):
    """Term lists for the automatic text signals, per language (``questions/data/lexicon.yaml``).

    Matching is case-insensitive and on whole words; a Dutch term that the English list does not also
    hold matches every Dutch inflection (``afspraak`` matches ``afspraken``) through its Snowball stem.
    """

    buzzwords: Terms
    vanity_metrics: Terms
    business_metrics: Terms
    """Business outcomes: with a figure in the same clause they make a concrete, checkable result."""
    reducible_metrics: Terms = {}
    """Outcomes where a result is fewer of them ("complaints"): a concrete result only beside a decrease."""
    decreases: Terms = {}
    """Words of a fall ("fell", "gehalveerd") that make a reducible outcome with a figure a result."""
    reactions_and_losses: Terms = {}
    """An audience's reaction or a loss ("commented", "lost"): a clause with one states no result achieved."""
    money_terms: Terms = {}
    """Currency words: they make a figure an amount of money, never an outcome on their own."""
    volume_terms: Terms
    self_titles: Terms
    neutral_phrases: Terms = {}
    """Phrases that hold an outcome word but are no outcome ("sales team"); they are skipped."""
    negations: Terms = {}
    """Words that take back the terms after them in the same clause ("instead of likes")."""
    durations: Terms = {}
    """Units that make a figure a duration ("3 years"), not a result."""
    frequencies: Terms = {}
    """Rates of output ("per day", "dagelijks") that turn a volume term into volume offered as proof."""
    clause_breaks: Terms = {}
    """Words that start a new clause ("but", "maar")."""
    figure_words: Terms = {}
    """Figures in words ("doubled", "verdubbelde", "twice as many"): like a number, they make an outcome a result."""
    _omit_unset = ("figure_words",)


# Iterating an Enum class is slow; the hot scoring path uses these tuples instead.
DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)
SIGNALS: tuple[Signal, ...] = tuple(Signal)
RISKS: tuple[Risk, ...] = tuple(Risk)
VERDICTS: tuple[Verdict, ...] = tuple(Verdict)
"""From best to worst."""
