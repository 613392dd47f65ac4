"""Choosing some of a known set: the API key scopes and a mentor's languages share one check."""

from __future__ import annotations

import pytest

from app.errors import Invalid
from app.inputs import some_of


def test_some_of_trims_sorts_and_keeps_each_once() -> None:
    assert some_of([" write", "read", "write", ""], ["read", "write", "webhooks"], field="scopes", none_given="x") == [
        "read",
        "write",
    ]


def test_some_of_names_the_unknown_values_and_what_is_allowed() -> None:
    with pytest.raises(Invalid) as raised:
        some_of(["read", "admin"], ["write", "read"], field="scopes", none_given="give at least one scope")
    assert raised.value.detail == "scopes: admin not known; use some of read, write"
    assert raised.value.extra["field"] == "scopes"


def test_some_of_refuses_nothing_chosen_with_the_callers_words() -> None:
    with pytest.raises(Invalid, match=r"^languages: name at least one language$"):
        some_of([" "], ["nl", "en"], field="languages", none_given="name at least one language")
