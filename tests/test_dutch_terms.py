"""One Dutch term per thing: "social media", "PR", "Functie" for a vacancy and "Rol" for permissions."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n
from app.accounts.models import UserRole
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
