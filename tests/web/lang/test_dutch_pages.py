"""A Dutch page holds no English and no codes: no untranslated message id, no validation phrase of pydantic's,
no code the app stores ("report.viewed", "hr_assessment", "pr", "[erased]") where a reader expects words.

The crawl covers the HR workspace, the candidate's pages (consent, every section, review, feedback), the
anonymous self-test and the referee's pages, each in Dutch.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n, labels
from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from app.apikeys.models import ApiScope
from app.assessments import service as assessments
from app.candidates import invitations
from app.config import Settings
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.privacy import erasure
from app.referees import service as referees
from app.referees.models import RefereeCreate
from app.webhooks import service as webhooks
from tests import factories
from tests.assessments.conftest import example
from tests.web.candidate.conftest import csrf_from, form_for, invite, self_test_questionnaire
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


# Words that must never reach a Dutch reader: the engine's old terms that the display labels replace.
BANNED_WORDS = ("Gekalibreerd", "IJdelheids-KPI")


def _raw_codes() -> frozenset[str]:
    """Codes that are no words in a Dutch text: every labelled code with a dot, underscore or hyphen, and a few more."""
    codes = {
        code
        for kind, table in labels.LABELS.items()
        if kind not in ("language", "actor")
        for code in table
        if any(mark in code for mark in "._-")
    }
    # English status words and the disciplines' codes (lower-case "pr" is no Dutch spelling).
    # ("communication" is no code to look for: a candidate may write it in their own English job title.)
    return frozenset(codes | {"pr", "invited", "started", "completed", "expired", "cancelled"})


RAW_CODES = _raw_codes()


class _Text(HTMLParser):
    """Collect the text a reader sees (no scripts or styles), one piece per text node.

    Text marked as another language (``<article lang="en">``: the English e-mail's preview) is left out.
    With ``skip_code`` the text of <code> elements is left out too: a page may show a code on purpose there
    (the webhook events an ATS subscribes to, beside their label).
    """

    def __init__(self, skip_code: bool = False) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._hidden = ("script", "style", "code") if skip_code else ("script", "style")
        self._foreign: list[tuple[str, int]] = []  # (tag, how many of that tag are open) of another language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._hidden:
            self._skip += 1
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1] = (tag, self._foreign[-1][1] + 1)
        lang = dict(attrs).get("lang")
        if tag != "html" and lang and not lang.startswith("nl"):
            self._foreign.append((tag, 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            self._skip -= 1
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1] = (tag, self._foreign[-1][1] - 1)
            if self._foreign[-1][1] == 0:
                self._foreign.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._foreign and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str, *, skip_code: bool = False) -> str:
    parser = _Text(skip_code)
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


def raw_codes(html: str) -> list[str]:
    """Return the codes (and banned words) that stand as whole words in the visible text."""
    text = visible_text(html, skip_code=True)
    found = [code for code in RAW_CODES if re.search(rf"(?<![\w./-]){re.escape(code)}(?![\w/-]|\.\w)", text)]
    found += [word for word in (labels.ERASED, *BANNED_WORDS) if word in visible_text(html)]
    return sorted(found)


def problems_of(html: str) -> list[str]:
    return untranslated(html) + raw_codes(html)


def test_the_check_finds_raw_codes() -> None:
    assert raw_codes("<p>report.viewed</p><td>pr</td><td>hr_assessment</td><p>[erased] [erased]</p>") == [
        "[erased]",
        "hr_assessment",
        "pr",
        "report.viewed",
    ]
    assert raw_codes("<p>Gekalibreerd</p>") == ["Gekalibreerd"]
    assert raw_codes("<p>Rapport bekeken, PR, https://example.org/self-test, prima</p>") == []
    assert raw_codes("<label>Assessment gestart <code>assessment.started</code></label>") == []


def test_the_check_finds_english() -> None:
    assert untranslated("<p>Sign out</p><p>String should have at least 1 character</p>") == [
        "Sign out",
        "String should have",
    ]
    assert untranslated("<p>Uitloggen</p>") == []


def _crawl(client: TestClient, pages: list[str]) -> dict[str, list[str]]:
    """Fetch each page (status 200) and return what each one shows that a Dutch reader should not see."""
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert '<html lang="nl">' in response.text, path
        if problems := problems_of(response.text):
            found[path] = problems
    return found


def test_dutch_hr_pages_hold_no_english_and_no_codes(client: TestClient, bank: Session, settings: Settings) -> None:
    role = factories.role(bank, "Social media lead")
    person = factories.persona(bank, "midlevel", role_id=role.id)
    factories.persona(bank, "guru", role_id=role.id)
    mentors.create(
        bank,
        MentorCreate(name="Pia Prins", email="pia@example.org", discipline="pr", years_experience=12, languages=["nl"]),
        actor="test",
    )
    referees.record_consent(bank, person, actor="hr@example.org")
    referees.add(
        bank,
        person,
        RefereeCreate(name="Marta Visser", email="marta@example.org", relation="manager", period="2021-2024"),
        actor="hr@example.org",
        expires_at=None,
    )
    apikeys.create_key(bank, name="ATS", scopes=[str(scope) for scope in ApiScope], actor="hr@example.org")
    webhooks.create_endpoint(
        bank,
        settings.model_copy(update={"webhook_allow_private": True}),  # no DNS look-up for the example host
        url="https://ats.example.org/touchstone",
        events=list(labels.LABELS["event"]),
        description=None,
        actor="hr@example.org",
    )
    # An erased candidate who had a referee and an e-mail: their placeholders show in lists and the outbox.
    gone = factories.persona(bank, "senior", role_id=role.id)
    invitations.invite(bank, settings, gone, actor="hr@example.org", expires_at=None, send=True)
    referees.record_consent(bank, gone, actor="hr@example.org")
    referees.add(
        bank,
        gone,
        RefereeCreate(name="Kees Bos", email="kees@example.org", relation="colleague", period="2019-2020"),
        actor="hr@example.org",
        expires_at=None,
    )
    erasure.erase_candidate(bank, gone, actor="hr@example.org")
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
        f"/hr/candidates/{person.id}/report",
        f"/hr/candidates/{person.id}/interview-guide",
        f"/hr/candidates/{person.id}/referees",
        f"/hr/candidates/{person.id}/erase",
        f"/hr/candidates/{gone.id}",
        f"/hr/candidates/{gone.id}/report",
        f"/hr/candidates/{gone.id}/referees",
        "/hr/roles",
        f"/hr/roles/{role.id}",
        f"/hr/roles/{role.id}/compare",
        f"/hr/roles/{role.id}/invite-list",
        "/hr/assessments",
        "/hr/mentors",
        "/hr/outbox",
        "/hr/audit",  # after the pages above, so it lists views, changes and the erasure
        "/hr/users",
        "/hr/organisation",
        "/hr/admin/api-keys",
        "/hr/admin/webhooks",
        "/hr/account/password",
    ]
    assert _crawl(client, pages) == {}


def test_dutch_candidate_pages_hold_no_english_and_no_codes(client: TestClient, bank: Session) -> None:
    """An invited candidate in Dutch: consent, every section, the review and the feedback."""
    person = factories.candidate(bank, "Noor", "Smit")
    token = invite(bank, language="nl", candidate_id=person.id)
    client.cookies.set("lang", "nl")
    questionnaire = self_test_questionnaire(bank)
    pages = [f"/t/{token}"]
    found = _crawl(client, pages)
    consent = client.get(f"/t/{token}")
    started = client.post(f"/t/{token}", data={"csrf_token": csrf_from(consent.text)}, follow_redirects=False)
    assert started.status_code == 303
    sections = [f"/t/{token}/s/{section.id}" for section in questionnaire.sections]
    found |= _crawl(client, [*sections, f"/t/{token}/review"])  # the review lists every unanswered question
    answers = example("self-test--midlevel")
    csrf = csrf_from(client.get(sections[0]).text)
    for section in questionnaire.sections:
        data = {**form_for(questionnaire, section.id, answers), "csrf_token": csrf, "go": "next"}
        assert client.post(f"/t/{token}/s/{section.id}", data=data, follow_redirects=False).status_code == 303
    submitted = client.post(f"/t/{token}/review", data={"csrf_token": csrf}, follow_redirects=False)
    assert submitted.status_code == 303
    found |= _crawl(client, [f"/t/{token}"])  # the feedback
    assert "Waar je staat" in client.get(f"/t/{token}").text
    assert found == {}


def test_dutch_self_test_pages_hold_no_english_and_no_codes(client: TestClient, bank: Session) -> None:
    """The anonymous self-test in Dutch: the privacy notice, a weak result's feedback on every section's way."""
    client.cookies.set("lang", "nl")
    found = _crawl(client, ["/self-test"])
    start = client.post("/self-test", data={"csrf_token": csrf_from(client.get("/self-test").text)})
    token = re.search(r"/t/([A-Za-z0-9_-]+)/s/", str(start.url))
    assert token, start.url
    questionnaire = self_test_questionnaire(bank)
    answers = example("self-test--guru")
    csrf = csrf_from(start.text)
    for section in questionnaire.sections:
        path = f"/t/{token.group(1)}/s/{section.id}"
        found |= _crawl(client, [path])
        data = {**form_for(questionnaire, section.id, answers), "csrf_token": csrf, "go": "next"}
        assert client.post(path, data=data, follow_redirects=False).status_code == 303
    assert client.post(f"/t/{token.group(1)}/review", data={"csrf_token": csrf}, follow_redirects=False).is_redirect
    found |= _crawl(client, [f"/t/{token.group(1)}"])
    assert found == {}


def test_dutch_referee_pages_hold_no_english_and_no_codes(client: TestClient, bank: Session) -> None:
    """A referee in Dutch: the notice with the candidate's claims, then every question page."""
    person = factories.persona(bank, "midlevel")
    referees.record_consent(bank, person, actor="hr@example.org")
    token = referees.add(
        bank,
        person,
        RefereeCreate(
            name="Marta Visser", email="marta@example.org", relation="manager", period="2021-2024", language="nl"
        ),
        actor="hr@example.org",
        expires_at=None,
    ).token
    client.cookies.set("lang", "nl")
    found = _crawl(client, [f"/r/{token}"])
    notice = client.get(f"/r/{token}")
    started = client.post(f"/r/{token}", data={"csrf_token": csrf_from(notice.text)})
    assert started.status_code == 200
    [row] = referees.list_for(bank, person.id)  # type: ignore[arg-type]
    questionnaire = assessments.compiled_of(bank, row.assessment).questionnaire  # type: ignore[arg-type]
    found |= _crawl(client, [f"/t/{token}/s/{section.id}" for section in questionnaire.sections])
    found |= _crawl(client, [f"/t/{token}/review"])
    assert found == {}
