"""The /api/v1 resources: questionnaires, roles, candidates, assessments and results."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.events.models import OutboxEvent
from tests.api.conftest import complete


def _candidate(client: TestClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {"first_name": "Sam", "last_name": "de Vries", "email": "sam@example.com", "language": "nl", **extra}
    response = client.post("/api/v1/candidates", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_questionnaire_definition_has_no_scoring_keys(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    listed = client.get("/api/v1/questionnaires", headers=admin_headers).json()
    assert {q["id"] for q in listed["items"]} >= {"self-test", "hr-assessment", "role-assessment"}
    for questionnaire in listed["items"]:
        detail = client.get(f"/api/v1/questionnaires/{questionnaire['id']}", headers=admin_headers)
        assert detail.status_code == 200
        text = detail.text
        for secret in ('"points"', '"key"', '"signal"', '"risk"', '"reveals"', '"real"', '"weight"', '"cutoff"'):
            assert secret not in text, (questionnaire["id"], secret)
        assert detail.json()["sections"][0]["items"][0]["text"]["nl"]
    assert client.get("/api/v1/questionnaires/nope", headers=admin_headers).status_code == 404
    # An option that is an answer only on its own says so, so the ATS can show it that way.
    role = client.get("/api/v1/questionnaires/role-assessment", headers=admin_headers).json()
    served = next(i for s in role["sections"] for i in s["items"] if i["id"] == "departments_served")
    assert [o["id"] for o in served["options"] if o.get("exclusive")] == ["no_other_department"]
    assert "exclusive" not in served["options"][0]


def test_candidate_crud_filter_and_pagination(client: TestClient, admin_headers: dict[str, str], bank: Session) -> None:
    role = client.post("/api/v1/roles", json={"title": "Community manager"}, headers=admin_headers).json()
    first = _candidate(client, admin_headers, role_id=role["id"])
    _candidate(client, admin_headers, first_name="Ada")
    _candidate(client, admin_headers, first_name="Bo", role_id=role["id"])
    page = client.get("/api/v1/candidates", params={"role_id": role["id"], "limit": 1}, headers=admin_headers).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = client.get(
        "/api/v1/candidates", params={"role_id": role["id"], "cursor": page["next_cursor"]}, headers=admin_headers
    ).json()
    ids = {page["items"][0]["id"], *(c["id"] for c in rest["items"])}
    assert first["id"] in ids and len(ids) == 2 and rest["next_cursor"] is None
    since = client.get(
        "/api/v1/candidates", params={"updated_since": "2100-01-01T00:00:00Z"}, headers=admin_headers
    ).json()
    assert since["items"] == []
    changed = client.patch(f"/api/v1/candidates/{first['id']}", json={"last_name": "Jansen"}, headers=admin_headers)
    assert changed.status_code == 200 and changed.json()["last_name"] == "Jansen"
    assert client.get(f"/api/v1/candidates/{first['id']}", headers=admin_headers).json()["last_name"] == "Jansen"
    assert client.get("/api/v1/candidates/999999", headers=admin_headers).status_code == 404


def test_unknown_fields_and_oversized_bodies_are_refused(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    unknown = client.post("/api/v1/roles", json={"title": "x", "salary": 1}, headers=admin_headers)
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["errors"][0]["field"] == "salary"
    huge = client.post("/api/v1/roles", json={"title": "x", "description": "a" * 70_000}, headers=admin_headers)
    assert huge.status_code == 413


def test_candidates_are_found_by_their_external_reference(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    wanted = _candidate(client, admin_headers, external_ref="ATS-1")
    _candidate(client, admin_headers, first_name="Ada", external_ref="ATS-10")
    _candidate(client, admin_headers, first_name="Bo")
    found = client.get("/api/v1/candidates", params={"external_ref": "ATS-1"}, headers=admin_headers).json()
    assert [c["id"] for c in found["items"]] == [wanted["id"]]
    none = client.get("/api/v1/candidates", params={"external_ref": "ATS-2"}, headers=admin_headers).json()
    assert none["items"] == []


def test_a_query_parameter_the_operation_does_not_take_is_named(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    _candidate(client, admin_headers)
    # A misspelt filter must not answer the whole list as if it were the filtered one.
    response = client.get("/api/v1/candidates", params={"externalRef": "ATS-1"}, headers=admin_headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["field"] == "externalRef"
    assert "external_ref" in problem["detail"] and "updated_since" in problem["detail"]
    dutch = client.get(
        "/api/v1/roles", params={"sort": "title"}, headers={**admin_headers, "Accept-Language": "nl"}
    ).json()
    assert dutch["field"] == "sort" and "zoekparameter" in dutch["detail"]
    # The language of problem documents is taken by every operation; one without query parameters says so.
    assert client.get("/api/v1/candidates", params={"lang": "nl"}, headers=admin_headers).status_code == 200
    assert (
        "takes no query parameters"
        in client.get("/api/v1/roles/1/assessment?x=1", headers=admin_headers).json()["detail"]
    )


def test_assessment_lifecycle_through_the_api(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate = _candidate(client, admin_headers)
    created = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate["id"], "questionnaire_id": "self-test"},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["invitation_url"].startswith("http://127.0.0.1:8000/t/") or "/t/" in body["invitation_url"]
    assert body["expires_at"] and body["status"] == "invited"
    shown = client.get(f"/api/v1/assessments/{body['id']}", headers=admin_headers).json()
    assert shown["invitation_url"] is None and shown["status"] == "invited"
    assert client.get(f"/api/v1/assessments/{body['id']}/result", headers=admin_headers).status_code == 404
    listed = client.get("/api/v1/assessments", params={"candidate_id": candidate["id"]}, headers=admin_headers).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]

    result = complete(session, body["id"])
    full = client.get(f"/api/v1/assessments/{body['id']}/result", headers=admin_headers)
    assert full.status_code == 200
    assert full.json()["result"] == result.result  # the engine's contract, unchanged
    assert full.json()["report_url"].endswith(f"/hr/candidates/{candidate['id']}/report")
    assert client.post(f"/api/v1/assessments/{body['id']}/cancel", headers=admin_headers).status_code == 409


def test_cancel_stops_the_link(client: TestClient, admin_headers: dict[str, str], bank: Session) -> None:
    candidate = _candidate(client, admin_headers)
    body = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate["id"], "questionnaire_id": "self-test"},
        headers=admin_headers,
    ).json()
    cancelled = client.post(f"/api/v1/assessments/{body['id']}/cancel", headers=admin_headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    token = body["invitation_url"].rsplit("/", 1)[1]
    assert client.get(f"/t/{token}").status_code == 410


def test_delete_erases_the_candidate_and_emits_the_event(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate = _candidate(client, admin_headers)
    assert client.delete(f"/api/v1/candidates/{candidate['id']}", headers=admin_headers).status_code == 204
    erased = client.get(f"/api/v1/candidates/{candidate['id']}", headers=admin_headers).json()
    assert erased["email"] is None and "Sam" not in erased["first_name"]
    events = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "candidate.erased")).all()
    assert [e.payload["data"]["candidate_id"] for e in events] == [candidate["id"]]


def test_role_assessment_result(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    from app.assessments import service as assessments
    from app.assessments.models import AssessmentMode
    from tests.api.conftest import example

    role = client.post("/api/v1/roles", json={"title": "Social lead"}, headers=admin_headers).json()
    assert client.get(f"/api/v1/roles/{role['id']}/assessment", headers=admin_headers).status_code == 404
    made = assessments.create(
        session,
        questionnaire_id="role-assessment",
        mode=AssessmentMode.HR,
        language="en",
        actor="t",
        role_id=role["id"],
    )
    assessments.save_answers(session, made.assessment, example("role-assessment--one-person-show"))
    assessments.submit(session, made.assessment, actor="t")
    shown = client.get(f"/api/v1/roles/{role['id']}/assessment", headers=admin_headers)
    assert shown.status_code == 200
    assert shown.json()["result"]["role"]["risks"]


def test_only_candidate_questionnaires_can_be_ordered(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate = _candidate(client, admin_headers)
    for questionnaire_id, status in (("hr-assessment", 422), ("role-assessment", 422), ("nope", 404)):
        response = client.post(
            "/api/v1/assessments",
            json={"candidate_id": candidate["id"], "questionnaire_id": questionnaire_id},
            headers=admin_headers,
        )
        assert response.status_code == status, response.text
    refused = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate["id"], "questionnaire_id": "hr-assessment"},
        headers=admin_headers,
    )
    assert "self-test" in refused.json()["detail"]
    reference = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate["id"], "questionnaire_id": "reference-check"},
        headers=admin_headers,
    )
    assert reference.status_code == 422 and "referees" in reference.json()["detail"]
    assert "HR" not in reference.json()["detail"]


def test_blank_names_are_422_not_500(client: TestClient, admin_headers: dict[str, str]) -> None:
    for body in ({"first_name": "0", "last_name": "\r"}, {"first_name": "  ", "last_name": "B"}):
        assert client.post("/api/v1/candidates", json=body, headers=admin_headers).status_code == 422
    assert client.post("/api/v1/roles", json={"title": " \t"}, headers=admin_headers).status_code == 422
