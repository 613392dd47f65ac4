"""A Dutch HR or candidate page holds no English: no untranslated message id, no validation phrase of pydantic's."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n
from app.accounts.models import UserRole
from tests import factories
from tests.web.hr.helpers import sign_in_as

# pydantic's and our services' English, which a form must never show a Dutch reader.
ENGLISH_PHRASES = (
    "String should have",
    "is not an e-mail address",
    "is out of range",
    "Input should be",
    "Field required",
    "Value error",
)


class _Text(HTMLParser):
    """Collect the text a reader sees (no scripts or styles), one piece per text node."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


@cache
def english_msgids() -> frozenset[str]:
    """Message ids of two words or more whose Dutch translation differs (single words can be Dutch too)."""
    catalogue = i18n.read_catalogue("nl")
    return frozenset(
        m.id
        for m in catalogue
        if isinstance(m.id, str) and m.string and m.string != m.id and " " in m.id and "%(" not in m.id
    )


def untranslated(html: str) -> list[str]:
    text = visible_text(html)
    found = [msgid for msgid in english_msgids() if re.search(rf"(^|\n){re.escape(msgid)}($|\n)", text)]
    return sorted(found) + [phrase for phrase in ENGLISH_PHRASES if phrase in text]


def test_the_check_finds_english() -> None:
    assert untranslated("<p>Sign out</p><p>String should have at least 1 character</p>") == [
        "Sign out",
        "String should have",
    ]
    assert untranslated("<p>Uitloggen</p>") == []


def test_dutch_hr_pages_hold_no_english(client: TestClient, bank: Session) -> None:
    role = factories.role(bank, "Social media lead")
    person = factories.persona(bank, "midlevel", role_id=role.id)
    sign_in_as(client, bank, UserRole.ADMIN)
    client.cookies.set("lang", "nl")
    pages = [
        "/",
        "/self-test",
        "/hr",
        "/hr/candidates",
        "/hr/candidates/new",
        f"/hr/candidates/{person.id}",
        f"/hr/candidates/{person.id}/edit",
        "/hr/roles",
        f"/hr/roles/{role.id}",
        "/hr/assessments",
        "/hr/mentors",
        "/hr/outbox",
        "/hr/audit",
        "/hr/users",
        "/hr/admin/api-keys",
        "/hr/admin/webhooks",
        "/hr/account/password",
    ]
    problems = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        found = untranslated(response.text)
        if found:
            problems[path] = found
    assert problems == {}
