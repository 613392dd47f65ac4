"""How a questionnaire is shown to one person: the option order, shuffled per assessment and reproducible."""

from __future__ import annotations

import hashlib

from app.scoring import model as m


def option_order(item: m.ChoiceItem | m.SjtItem, seed: int | None) -> list[m.Option]:
    """The options of ``item`` in the order this assessment shows them.

    With a seed, options are shuffled per item (the same seed always gives the same order, so the review
    page and the integrity check see what the person saw); items whose options form a scale
    (``ordered``) keep their order, and options marked ``keep_last`` ("other") stay at the end.
    """
    options = list(item.options)
    if seed is None or (isinstance(item, m.ChoiceItem) and item.ordered):
        return options
    moving = sorted((o for o in options if not o.keep_last), key=lambda o: _rank(seed, item.id, o.id))
    return moving + [o for o in options if o.keep_last]


def term_order(item: m.FamiliarityItem, seed: int | None) -> list[m.Term]:
    """The terms of a familiarity list in the order this assessment shows them (shuffled with a seed)."""
    if seed is None:
        return list(item.terms)
    return sorted(item.terms, key=lambda term: _rank(seed, item.id, term.id))


def _rank(seed: int, item_id: str, choice_id: str) -> bytes:
    # Sorting by a keyed hash is a uniformly random permutation that needs no random number generator,
    # so the order is the same on every machine and Python version.
    return hashlib.sha256(f"{seed}:{item_id}:{choice_id}".encode()).digest()
