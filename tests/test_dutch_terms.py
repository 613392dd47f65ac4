"""One Dutch term per thing: "social media", "PR", "Functie" for a vacancy and "Rol" for permissions."""

from __future__ import annotations

import re

from app import i18n

# The only texts where "rol" is right: a user's role, the permissions they have in Touchstone.
USER_ROLE_MSGIDS = frozenset(
    {
        "Change role",
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
    for msgid in ("Role", "Roles", "Vacancy"):
        assert "Functie" in i18n.load_translations()["nl"].gettext(msgid)


def test_the_check_finds_the_wrong_terms() -> None:
    assert re.search(r"sociale[ -]?media", "de Sociale media", re.IGNORECASE)
    assert re.search(r"(?<![\w-])pr(?![\w])", "marketing en pr.")
    assert re.search(r"(?<![\w-])pr(?![\w])", "een pr-professional")
    assert not re.search(r"(?<![\w-])pr(?![\w])", "een PR-professional, prima, sprint")
