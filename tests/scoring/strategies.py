"""Hypothesis strategies that build valid answers for any questionnaire."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from app.scoring import model as m


def answer_for(item: m.Item) -> st.SearchStrategy[Any]:
    if isinstance(item, m.SjtItem):
        ids = [o.id for o in item.options]
        return st.permutations(ids).map(lambda p: {"best": p[0], "worst": p[1]})
    if isinstance(item, m.SingleChoiceItem):
        return st.sampled_from([o.id for o in item.options])
    if isinstance(item, m.MultipleChoiceItem):
        ids = [o.id for o in item.options]
        high = item.max_choices or len(ids)
        alone = {o.id for o in item.options if o.exclusive}
        # An exclusive option ("none", "not applicable") is an answer only on its own.
        return st.lists(st.sampled_from(ids), min_size=max(1, item.min_choices), max_size=high, unique=True).map(
            lambda chosen: next(([c] for c in chosen if c in alone), chosen)
        )
    if isinstance(item, m.LikertItem):
        return st.integers(item.min, item.max)
    if isinstance(item, m.BarsItem):
        return st.one_of(st.none(), st.sampled_from([a.value for a in item.anchors]))
    if isinstance(item, m.NumericItem):
        low = item.min if item.min is not None else -1e6
        high = item.max if item.max is not None else 1e6
        return st.one_of(st.just(item.key.answer), st.floats(low, high, allow_nan=False, allow_infinity=False))
    if isinstance(item, m.TenureItem):
        return st.fixed_dictionaries({}, optional={p: st.one_of(st.none(), st.integers(0, 40)) for p in item.platforms})
    if isinstance(item, m.FamiliarityItem):
        return st.fixed_dictionaries({t.id: st.integers(item.min, item.max) for t in item.terms})
    if isinstance(item, m.FreeTextItem):
        words = st.sampled_from(
            ["synergy", "leads", "revenue", "followers", "42", "€5,000", "we", "grew", "guru", "posts", "the", "%"]
        )
        return st.lists(words, min_size=1 if item.required else 0, max_size=60).map(" ".join)
    if isinstance(item, m.YesNoItem):
        return st.sampled_from(["yes", "no"])
    raise TypeError(type(item))


def answers_for(questionnaire: m.Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({item.id: answer_for(item) for item in questionnaire.items()})
