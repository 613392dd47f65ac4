"""Crafted input never gives a 500: huge integers, control characters, tampered cursors, impossible dates.

The walks use the running app's routes (tests/security/routes.py) with real objects behind every id
(world.py), on SQLite and PostgreSQL, so a new route is covered without editing this file.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.candidates.models import Candidate
from app.roles.models import Role
from app.scoring import model as m
from tests.security.routes import PARAM, route_table
from tests.security.world import World
from tests.web.hr.helpers import csrf

HUGE = "9" * 23
INT_ROUTES = [
    (m, p, n) for m, p, n, route in route_table() if m == "GET" and any(
        q.field_info.annotation is int for q in route.dependant.path_params
    )
]  # fmt: skip


def _cursor(*values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def test_huge_ids_in_any_path_are_404(client: TestClient, bank: Session, world: World) -> None:
    assert len(INT_ROUTES) >= 10
    problems = []
    for method, path, name in INT_ROUTES:
        url = PARAM.sub(
            lambda m: (
                HUGE
                if m.group(1).endswith("_id") and "assessment" not in m.group(1)
                else world.ids.get(m.group(1), "1")
            ),
            path,
        )
        response = client.request(method, url, follow_redirects=False)
        if response.status_code != 404:
            problems.append(f"{method} {url} ({name}): {response.status_code}")
    assert not problems, "\n".join(problems)
    page = client.get(f"/hr/candidates/{HUGE}", headers={"Accept-Language": "nl"})
    assert page.status_code == 404 and "Pagina niet gevonden" in page.text


@pytest.mark.parametrize(
    "query",
    [
        {"role_id": HUGE},
        {"role_id": "9999999999"},
        {"after": "not-a-cursor"},
        {"after": _cursor("updated", True, "yesterday", 1)},
        {"after": _cursor("updated", True, "2026-01-01T00:00:00+00:00", HUGE)},
        {"after": _cursor("updated", True, "2026-01-01T00:00:00+00:00", int(HUGE))},
        {"after": _cursor("evidence", True, {"x": 1}, 1), "sort": "evidence"},
        {"q": "zeb\x00edeus"},
        {"status": "com\x1bpleted"},
    ],
)
def test_candidate_list_refuses_crafted_queries(client: TestClient, world: World, query: dict[str, str]) -> None:
    response = client.get("/hr/candidates", params=query)
    assert 400 <= response.status_code < 500, (query, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"after": _cursor("x")},
        {"after": _cursor(int(HUGE))},
        {"actor": "a\x00b"},
        {"object_id": "1\x00"},
    ],
)
def test_audit_page_refuses_crafted_queries(client: TestClient, world: World, query: dict[str, str]) -> None:
    response = client.get("/hr/audit", params=query, headers={"Accept-Language": "en"})
    assert response.status_code == 400 or response.status_code == 422, (query, response.status_code)
    assert "text/html" in response.headers["content-type"]


def test_tampered_api_cursors_are_problem_documents(client: TestClient, bank: Session) -> None:
    _key, secret = apikeys.create_key(bank, name="c", scopes=["read"], actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    for path, cursor in [
        ("/api/v1/candidates", _cursor("updated", True, "nonsense", 1)),
        ("/api/v1/assessments", _cursor("nonsense", "x")),
        ("/api/v1/candidates", "AAAA"),
    ]:
        response = client.get(path, params={"cursor": cursor}, headers=headers)
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["field"] == "cursor"


@pytest.mark.parametrize("text", ["Zeb\x00edeus", "Zeb\x07edeus", "Zeb\u009bedeus"])
def test_control_characters_are_refused_in_api_text(client: TestClient, bank: Session, text: str) -> None:
    _key, secret = apikeys.create_key(bank, name="w", scopes=["write"], actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.post("/api/v1/candidates", json={"first_name": text, "last_name": "Q"}, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "first_name" and "control character" in body["detail"]
    role = client.post("/api/v1/roles", json={"title": f"Lead {text}"}, headers=headers)
    assert role.status_code == 422 and role.json()["field"] == "title"
    assert bank.exec(select(Candidate).where(Candidate.last_name == "Q")).first() is None
    assert bank.exec(select(Role).where(Role.title.startswith("Lead"))).first() is None  # type: ignore[attr-defined]


def test_control_characters_are_refused_in_hr_forms_with_a_dutch_message(
    client: TestClient, bank: Session, world: World
) -> None:
    token = csrf(client, "/hr/candidates/new")
    response = client.post(
        "/hr/candidates",
        data={"first_name": "Nul\x00", "last_name": "Byte", "csrf_token": token},
        headers={"Accept-Language": "nl"},
    )
    assert response.status_code == 422
    assert "stuurteken" in response.text
    assert bank.exec(select(Candidate).where(Candidate.last_name == "Byte")).first() is None


def test_a_candidate_keeps_the_other_answers_when_one_text_holds_a_nul(client: TestClient, bank: Session) -> None:
    created = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.API, language="nl", actor="test"
    )
    assert created.token is not None
    _key, secret = apikeys.create_key(bank, name="a", scopes=["write"], actor="test")
    response = client.put(
        f"/api/v1/assessments/{created.assessment.id}/answers",
        json={"answers": {"result_story": "Omzet +20%\x00", "roi_campaign": 65}},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert "result_story" in response.json()["detail"] and "U+0000" in response.json()["detail"]
    saved = assessments.answers_of(bank, created.assessment)
    assert saved.get("roi_campaign") == 65 and "result_story" not in saved


@pytest.mark.parametrize("kind", [m.NumericItem, m.TenureItem, m.LikertItem, m.FamiliarityItem])
def test_a_400_digit_number_is_a_422_naming_the_item(client: TestClient, bank: Session, kind: type) -> None:
    created = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
    )
    questionnaire = assessments.compiled_of(bank, created.assessment).questionnaire
    found = next(i for i in questionnaire.items() if isinstance(i, kind))
    item = found.id
    huge = int("9" * 400)
    value: object = huge
    if isinstance(found, m.TenureItem):
        value = {next(iter(found.platforms)): huge}
    elif isinstance(found, m.FamiliarityItem):
        value = {found.terms[0].id: huge}
    _key, secret = apikeys.create_key(bank, name="n", scopes=["write"], actor="test")
    response = client.put(
        f"/api/v1/assessments/{created.assessment.id}/answers",
        content=json.dumps({"answers": {item: value}}),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert item in response.json()["detail"] and "digits" in response.json()["detail"]


def _candidate_page(client: TestClient, bank: Session, item_type: type) -> tuple[str, str, str, str]:
    """Return (token, section id, item id, csrf) of an invitation with consent given, for an item of a type."""
    from app.web.candidate import consent

    created = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="nl", actor="test"
    )
    assert created.token is not None
    consent.record(bank, created.assessment)
    questionnaire = assessments.compiled_of(bank, created.assessment).questionnaire
    section, item = next((s, i) for s in questionnaire.sections for i in s.items if isinstance(i, item_type))
    page = client.get(f"/t/{created.token}/s/{section.id}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.status_code
    return created.token, section.id, item.id, token.group(1)


def test_a_400_digit_rating_on_the_candidate_pages_names_the_question(client: TestClient, bank: Session) -> None:
    link, section, item, token = _candidate_page(client, bank, m.LikertItem)
    saved = client.post(
        f"/t/{link}/s/{section}/autosave",
        data={"csrf_token": token, "autosave_item": item, f"q.{item}": "9" * 400},
        headers={"Accept-Language": "nl"},
    )
    assert (
        saved.status_code == 422 and f'id="err-{item}"' in saved.text and "Kies een van de mogelijkheden." in saved.text
    )
    whole = client.post(f"/t/{link}/s/{section}", data={"csrf_token": token, f"q.{item}": "9" * 400})
    assert whole.status_code == 422 and f'id="err-{item}"' in whole.text


def test_a_nul_in_a_candidates_text_costs_only_that_answer(client: TestClient, bank: Session) -> None:
    link, section, item, token = _candidate_page(client, bank, m.FreeTextItem)
    response = client.post(
        f"/t/{link}/s/{section}",
        data={"csrf_token": token, f"q.{item}": "Ik liet de omzet\x00 groeien"},
        headers={"Accept-Language": "nl"},
    )
    assert response.status_code == 422
    assert "stuurteken" in response.text and "Ik liet de omzet" in response.text  # what was typed stays


def test_a_400_digit_rating_in_the_hr_form_is_a_422_naming_the_item(
    client: TestClient, bank: Session, world: World
) -> None:
    form = world.ids["assessment_id"]
    assessment = assessments.get(bank, form)
    item = next(i for i in assessments.compiled_of(bank, assessment).questionnaire.items() if isinstance(i, m.BarsItem))
    token = csrf(client, f"/hr/assessments/{form}/form")
    response = client.post(f"/hr/assessments/{form}/answers?lang=en", data={"csrf_token": token, item.id: "9" * 400})
    assert response.status_code == 422
    # Named in the summary of questions needing attention, and explained beside the item.
    assert f'href="#item-{item.id}"' in response.text
    assert f'id="problem-{item.id}">Choose one of the options.' in response.text


def test_the_routes_checked_per_answer_exist() -> None:
    """A renamed answer route would silently lose its exemption (and answers their per-item messages)."""
    from app.inputs import ANSWER_ROUTES

    names = {n for _m, _p, n, _r in route_table()}
    assert ANSWER_ROUTES <= names, sorted(ANSWER_ROUTES - names)


def _form_fields(route: Any) -> list[tuple[str, Any]]:
    """Return (name, type) of a route's form fields; a form model's fields count one by one."""
    found: list[tuple[str, Any]] = []
    for param in route.dependant.body_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += [(field.alias or name, field.annotation) for name, field in annotation.model_fields.items()]
        else:
            found.append((param.alias, annotation))
    return found


def test_huge_numbers_in_any_form_field_are_refused(client: TestClient, bank: Session, world: World) -> None:
    """Every integer form field of every browser form, and every form field that holds an id, gets 23 nines."""
    from tests.security.routes import browser_writes

    table = {(m, p, n): route for m, p, n, route in route_table()}
    token = csrf(client, "/hr/roles")
    problems = []
    tried = 0
    for key in browser_writes():
        method, path, name = key
        fields = [name for name, annotation in _form_fields(table[key]) if annotation is int or name.endswith("_id")]
        for field in sorted(set(fields)):
            tried += 1
            data = {"csrf_token": token, field: HUGE}
            response = client.request(method, world.url(path), data=data, follow_redirects=False)
            if response.status_code >= 500:
                problems.append(f"{method} {path} ({name}) {field}={HUGE}: {response.status_code}")
    assert tried >= 3
    assert not problems, "\n".join(problems)
