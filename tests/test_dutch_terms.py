"""One Dutch term per thing: "social media", "PR", "Functie" for a vacancy and "Rol" for permissions."""

from __future__ import annotations

import re

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n
from app.accounts.models import UserRole
from app.config import ROOT
from app.labels import label
from app.scoring.policy import Policy
from tests.web.hr.helpers import sign_in_as

# The only texts where "rol" is right: a user's role, the permissions they have in Touchstone.
USER_ROLE_MSGIDS = frozenset(
    {
        "Change role",
        "User role",
        "Role of %(email)s",
        "User's permissions changed",
    }
)


def dutch_texts() -> list[tuple[str, str]]:
    """Return (msgid, msgstr) of every translated Dutch message."""
    catalogue = i18n.read_catalogue("nl")
    return [
        (message.id, message.string)
        for message in catalogue
        if isinstance(message.id, str) and message.id and isinstance(message.string, str) and message.string
    ]


def test_social_media_is_written_one_way() -> None:
    wrong = [text for _, text in dutch_texts() if re.search(r"sociale[ -]?media", text, re.IGNORECASE)]
    assert wrong == []


def test_pr_is_upper_case() -> None:
    wrong = [text for _, text in dutch_texts() if re.search(r"(?<![\w-])pr(?![\w])", text)]
    assert wrong == []


def test_rol_is_only_a_users_role_and_a_vacancy_is_a_functie() -> None:
    wrong = [
        (msgid, text)
        for msgid, text in dutch_texts()
        if re.search(r"\brol(len)?\b", text, re.IGNORECASE) and msgid not in USER_ROLE_MSGIDS
    ]
    assert wrong == []
    dutch = i18n.load_translations()["nl"].gettext
    for msgid in ("Role", "Roles", "Vacancy"):
        assert "Functie" in dutch(msgid)
    assert dutch("User role") == "Rol"


def test_the_users_page_calls_a_users_role_rol(client: TestClient, session: Session) -> None:
    """Msgid "Role" is the vacancy ("Functie"); the users page asks for a user's role ("Rol")."""
    sign_in_as(client, session, UserRole.ADMIN)
    page = client.get("/hr/users?lang=nl").text
    assert '<th scope="col">Rol</th>' in page and '<label for="new-role">Rol</label>' in page
    assert ">Functie<" not in page


def test_the_check_finds_the_wrong_terms() -> None:
    assert re.search(r"sociale[ -]?media", "de Sociale media", re.IGNORECASE)
    assert re.search(r"(?<![\w-])pr(?![\w])", "marketing en pr.")
    assert re.search(r"(?<![\w-])pr(?![\w])", "een pr-professional")
    assert not re.search(r"(?<![\w-])pr(?![\w])", "een PR-professional, prima, sprint")


def _policy() -> Policy:
    return Policy.model_validate(
        yaml.safe_load((ROOT / "questions" / "data" / "scoring-policy.yaml").read_text("utf-8"))
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_and_the_lists_name_a_code_alike(lang: str) -> None:
    """A verdict, calibration, signal or risk reads the same in a report's reasons (the policy) as in HR's lists."""
    policy = _policy()
    gettext = i18n.load_translations()[lang].gettext
    tables = {
        "verdict": {code.value: text for code, text in policy.verdict_labels.items()},
        "calibration": dict(policy.calibration.labels),
        "signal": {code.value: rule.label for code, rule in policy.signals.items()},
        "risk": {code.value: rule.label for code, rule in policy.role.risks.items()},
    }
    differ = [
        (kind, code, text.get(lang), label(code, kind, gettext))
        for kind, table in tables.items()
        for code, text in table.items()
        if text.get(lang) != label(code, kind, gettext)
    ]
    assert differ == []
    assert policy.metric_labels["claims"].get(lang).lower() == gettext("Claims index").lower()


def _dutch_policy_texts(node: object) -> list[str]:
    """Every Dutch text of the policy file ({nl: ..., en: ...} pairs)."""
    if isinstance(node, dict):
        own = [node["nl"]] if isinstance(node.get("nl"), str) else []
        return own + [text for value in node.values() for text in _dutch_policy_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _dutch_policy_texts(value)]
    return []


def test_the_claims_index_is_one_dutch_word() -> None:
    """ "Claimindex" on the lists, so "claimindex" in a reason too, never "claims-index"."""
    data = yaml.safe_load((ROOT / "questions" / "data" / "scoring-policy.yaml").read_text("utf-8"))
    texts = [text for _, text in dutch_texts()] + _dutch_policy_texts(data)
    assert [text for text in texts if re.search(r"claims[ -]?index", text, re.IGNORECASE)] == []
    assert any("claimindex" in text.lower() for text in _dutch_policy_texts(data))
