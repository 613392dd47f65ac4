"""XSS: hostile text in every free-text field a candidate or HR can fill is escaped on every page showing it.

Two walks, so new fields are covered without editing this file:
- the questionnaires' free_text items (self-test, HR assessment, role assessment) are answered with the
  payload, and every page that shows answers is read: HR candidate page and report (the print view is the
  same page with print styles), role page and comparison, HR assessment form, the candidate's section,
  review and result pages, the assessments list, the CSV and JSON exports;
- every form on every HR page is read from the HTML, its text fields filled with the payload and sent,
  then every HR page is read again (lists, details, edit forms, outbox, audit).
The CSV export also neutralises spreadsheet formulas (=, +, -, @, tab).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.mail import service as mail
from app.roles import service as roles
from app.roles.models import RoleCreate
from app.scoring import model as m
from app.web.hr.exports import guard_cell
from tests.assessments.conftest import example
from tests.security.routes import under
from tests.security.world import World
from tests.web.candidate.conftest import csrf_from
from tests.web.hr.helpers import PASSWORD, sign_in_as

PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>"
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _clean(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{where} shows {raw!r} unescaped"


def _free_text_items(session: Session, questionnaire_id: str) -> list[m.FreeTextItem]:
    from app.questionnaires import service as questionnaires

    version = questionnaires.get_current(session, questionnaire_id)
    assert version is not None
    items = assessments.compiled_for(version).questionnaire.items()
    return [item for item in items if isinstance(item, m.FreeTextItem)]


def _answered(session: Session, questionnaire_id: str, persona: str, **create: Any) -> tuple[str, str | None]:
    """Create and submit an assessment whose every free-text answer is the payload; return (id, token)."""
    mode = AssessmentMode.INVITATION if questionnaire_id == "self-test" else AssessmentMode.HR
    created = assessments.create(
        session, questionnaire_id=questionnaire_id, mode=mode, language="en", actor="test", **create
    )
    free = _free_text_items(session, questionnaire_id)
    assert free, f"{questionnaire_id} has no free-text items to test"
    answers = example(f"{questionnaire_id}--{persona}") | {item.id: PAYLOAD for item in free}
    assert not assessments.save_answers(session, created.assessment, answers)
    assessments.submit(session, created.assessment, actor="test")
    return created.assessment.id, created.token


def test_free_text_answers_are_escaped_on_every_page_that_shows_them(client: TestClient, bank: Session) -> None:
    admin = sign_in_as(client, bank, UserRole.ADMIN)
    role = roles.create(bank, RoleCreate(title="Community lead"), actor="test", user_id=admin.id)
    person = candidates.create(
        bank, CandidateCreate(first_name="Xavier", last_name="Ess", email="x@example.org", role_id=role.id), actor="t"
    )
    _self_id, token = _answered(bank, "self-test", "senior", candidate_id=person.id, feedback_to_candidate=True)
    hr_id, _ = _answered(bank, "hr-assessment", "senior", candidate_id=person.id)
    _answered(bank, "role-assessment", "well-designed", role_id=role.id)
    bank.commit()
    pages = [
        f"/hr/candidates/{person.id}",
        f"/hr/candidates/{person.id}/report",
        f"/hr/roles/{role.id}",
        f"/hr/roles/{role.id}/compare",
        f"/hr/assessments/{hr_id}/form",
        "/hr/assessments",
        f"/t/{token}",  # the candidate's result page
    ]
    shown = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _clean(response.text, path)
        shown += response.text.count(ESCAPED)
    # The report shows every free-text answer (self-test, HR notes, the role's business goals).
    report = client.get(f"/hr/candidates/{person.id}/report").text
    assert report.count(ESCAPED) >= len(_free_text_items(bank, "self-test")) + len(
        _free_text_items(bank, "hr-assessment")
    )
    assert shown > 0
    export = client.get(f"/hr/candidates/{person.id}/export.json")
    assert export.headers["content-type"].startswith("application/json")
    assert export.headers["x-content-type-options"] == "nosniff"
    assert PAYLOAD in json.dumps(export.json(), ensure_ascii=False)  # data, not markup: exported as typed


def test_candidate_free_text_is_escaped_while_answering(client: TestClient, bank: Session) -> None:
    """The candidate's own pages (section and review) show typed text back escaped, through the real form."""
    created = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="en", actor="test"
    )
    token = created.token
    csrf = csrf_from(client.get(f"/t/{token}").text)
    client.post(f"/t/{token}", data={"csrf_token": csrf}, follow_redirects=False)
    questionnaire = assessments.compiled_for(assessments.version_of(bank, created.assessment)).questionnaire
    for item in _free_text_items(bank, "self-test"):
        section = next(s for s in questionnaire.sections if any(i.id == item.id for i in s.items))
        saved = client.post(
            f"/t/{token}/s/{section.id}/autosave",
            data={"csrf_token": csrf, "autosave_item": item.id, f"q.{item.id}": PAYLOAD},
        )
        assert saved.status_code == 200, item.id
        _clean(saved.text, f"autosave of {item.id}")
        page = client.get(f"/t/{token}/s/{section.id}")
        _clean(page.text, f"section {section.id}")
        assert ESCAPED in page.text, f"{item.id} is not shown back on its section page"
    _clean(client.get(f"/t/{token}/review").text, "review")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)


class _Forms(HTMLParser):
    """Collect the forms of a page with their fields (inputs, textareas, first option of each select)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self._select = page, [], None  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(self.page, a.get("action") or self.page, a.get("method", "get").lower()))
        elif not self.forms or "name" not in a:
            if tag == "option" and self._select is not None and a.get("value"):
                self.forms[-1].fields.append((self._select, "select", a["value"]))
                self._select = None
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "radio"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.forms[-1].fields.append((a["name"], a.get("type", "text"), a.get("value", "")))
        elif tag == "textarea":
            self.forms[-1].fields.append((a["name"], "textarea", ""))
        elif tag == "select":
            self._select = a["name"]


TEXT = {"text", "textarea", "search", "url"}
# Forms whose submission would end the walk: signing out, erasing the candidate, changing one's own access.
SKIP = ("/logout", "/erase")
counter = itertools.count()


def _filled(form: Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, kind, value in form.fields:
        if kind in TEXT:
            value = PAYLOAD if kind != "url" else "https://hooks.example.org/" + PAYLOAD
        elif kind == "email":
            value = f"xss{next(counter)}@example.org"
        elif kind == "password":
            value = PASSWORD
        elif kind == "number" and not value:
            value = "1"
        data.setdefault(name, []).append(value)
    return data


def _hr_pages(world: World, bank: Session | None = None) -> list[str]:
    pages = [world.url(p) for m, p, _n, _r in under("/hr") if m == "GET" and not p.endswith((".csv", ".xlsx", ".json"))]
    if bank is not None:  # every message of the outbox, not only the world's
        pages += [f"/hr/outbox/{message.id}" for message in mail.list_outbox(bank, limit=200)]
    return pages


def test_hr_form_text_fields_are_escaped_everywhere(client: TestClient, bank: Session, world: World) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"webhook_allow_private": True})  # type: ignore[attr-defined]
    forms: list[Form] = []
    for page in _hr_pages(world):
        parser = _Forms(page)
        parser.feed(client.get(page).text)
        forms.extend(parser.forms)
    sent = set()
    for form in forms:
        if not any(kind in TEXT for _n, kind, _v in form.fields) or form.action.endswith(SKIP):
            continue
        target = urlsplit(form.action).path
        key = (target, form.method)
        if key in sent:
            continue
        sent.add(key)
        data = _filled(form)
        if form.method == "post":
            response = client.post(target, data=data, follow_redirects=True)
        else:
            response = client.get(target, params=data)
        assert response.status_code < 500, f"{form.method} {target} from {form.page}: {response.status_code}"
        _clean(response.text, f"the answer to {form.method} {target}")
    assert len(sent) >= 8, f"the walk sent only {sorted(sent)}"
    # Text HR reads that no form of theirs wrote: queued mail and audit entries.
    mail.queue(bank, to="x@example.org", subject=PAYLOAD, body=PAYLOAD, language="en", kind="test")
    short = "<script>alert(1)</script>"  # audit columns hold 50 characters
    audit.record(bank, actor=PAYLOAD, action=short, object_type=short, object_id=short, detail={"x": PAYLOAD})
    bank.flush()
    escaped = 0
    for page in _hr_pages(world, bank):
        text = client.get(page).text
        _clean(text, page)
        escaped += text.count(ESCAPED)
    assert escaped >= len(sent), "the payload was stored in too few places: the walk did not reach the fields"


def test_csv_export_neutralises_formulas(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.VIEWER)
    for first, last, ref in (('=HYPERLINK("http://evil")', "+Plus", "@SUM(A1)"), ("Normal", "-Minus", "-2+3")):
        candidates.create(
            session,
            CandidateCreate(
                first_name=first, last_name=last, email=f"{last[1:].lower()}@example.org", external_ref=ref
            ),
            actor="test",
        )
    response = client.get("/hr/candidates.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    cells = [value for row in rows for value in row.values() if value]
    assert cells and not [c for c in cells if c[0] in "=+-@\t\r"], "a cell starts with a formula character"
    assert {r["First name"] for r in rows} == {'\'=HYPERLINK("http://evil")', "Normal"}
    assert {r["External reference"] for r in rows} == {"'@SUM(A1)", "'-2+3"}
    filtered = list(csv.DictReader(io.StringIO(client.get("/hr/candidates.csv?q=hyperlink").text)))
    assert len(filtered) == 1 and filtered[0]["Last name"] == "'+Plus"
    assert guard_cell("\tTAB") == "'\tTAB" and guard_cell(12.5) == "12.5" and guard_cell(None) == ""
