"""Through the API: an assessment that lets the candidate name referees, and who named each referee."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.assessments import service as assessments
from app.referees import named
from app.referees.models import RefereeCreate
from tests import factories as factory
from tests.assessments.conftest import example


def test_the_invitation_lets_the_candidate_name_referees_and_the_list_says_who_named(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    person = factory.candidate(bank)
    order: dict[str, Any] = {"candidate_id": person.id, "questionnaire_id": "self-test"}
    plain = client.post("/api/v1/assessments", json=order, headers=admin_headers)
    assert plain.status_code == 201 and plain.json()["candidate_names_referees"] is False
    made = client.post("/api/v1/assessments", json=order | {"candidate_names_referees": True}, headers=admin_headers)
    assert made.status_code == 201 and made.json()["candidate_names_referees"] is True
    assert client.get(f"/api/v1/assessments/{made.json()['id']}", headers=admin_headers).json()[
        "candidate_names_referees"
    ]
    bad = client.post("/api/v1/assessments", json=order | {"candidate_names_referees": "maybe"}, headers=admin_headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "candidate_names_referees"

    link = assessments.get(session, made.json()["id"])
    assessments.save_answers(session, link, example("self-test--midlevel"))
    assessments.submit(session, link, actor="candidate")
    data = RefereeCreate(name="Marta Visser", email="marta@visser.nl", relation="client", period="2023", language="en")
    assert named.name(session, link, data, agreed=True, form_key=0) is not None
    url = f"/api/v1/candidates/{person.id}/referees"
    by_hr = client.post(
        url,
        json={"name": "Jan Smit", "email": "jan@smit.nl", "relation": "manager", "period": "2020"},
        headers=admin_headers,
    )
    assert by_hr.status_code == 201 and by_hr.json()["named_by"] == "hr"
    listed = client.get(url, headers=admin_headers).json()["items"]
    assert [(r["email"], r["named_by"]) for r in listed] == [("marta@visser.nl", "candidate"), ("jan@smit.nl", "hr")]
    consent = client.post(
        f"/api/v1/candidates/{person.id}/reference-consent", json={"agreed": True}, headers=admin_headers
    )
    assert consent.json()["recorded_by"] == "candidate"  # the candidate agreed on their own link
    revoked = client.post(f"/api/v1/referees/{listed[0]['id']}/revoke", headers=admin_headers)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"


def test_openapi_documents_named_by_and_the_invitation_option(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "named_by" in schemas["RefereeOut"]["required"]
    assert "candidate" in str(schemas["RefereeOut"]["properties"]["named_by"])
    assert "candidate_names_referees" in schemas["AssessmentIn"]["properties"]
