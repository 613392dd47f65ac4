"""Statuses an integrator relies on: Allow on 405, malformed JSON named as such, any unknown id is 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import MakeKey


def test_405_allows_every_method_of_the_path(client: TestClient, make_key: MakeKey) -> None:
    headers = make_key("read", "write")
    answer = client.post("/api/v1/candidates/1", headers=headers)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "DELETE, GET, PATCH"
    assert answer.json()["detail"] == "POST is not allowed here; use DELETE, GET, PATCH"
    assert client.put("/api/v1/candidates", headers=headers).headers["allow"] == "GET, POST"


def test_malformed_json_names_the_body_and_the_parse_error(client: TestClient, make_key: MakeKey) -> None:
    headers = {**make_key("write"), "Content-Type": "application/json"}
    answer = client.post("/api/v1/roles", content=b'{"title": "x",', headers=headers)
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["location"] == "body" and error["field"] == "body"
    assert error["message"].startswith("the body is not valid JSON: ") and "at character" in error["message"]


def test_an_id_of_any_shape_is_unknown(client: TestClient, make_key: MakeKey) -> None:
    headers = make_key("read", "write")
    for unknown in ("0123abcd", "not-hex", "ZZZ", "x" * 300):
        for path in (f"/api/v1/assessments/{unknown}", f"/api/v1/assessments/{unknown}/result"):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 404, (path, answer.text)
        assert client.get(f"/api/v1/questionnaires/{unknown}", headers=headers).status_code == 404


def test_an_integer_id_of_any_shape_is_unknown(client: TestClient, make_key: MakeKey) -> None:
    headers = make_key("read", "write", "webhooks")
    for unknown in ("abc", "-1", "0", "1.5", "１", "99999999999999999999"):
        for path in (
            f"/api/v1/candidates/{unknown}",
            f"/api/v1/roles/{unknown}",
            f"/api/v1/referees/{unknown}",
            f"/api/v1/webhook-endpoints/{unknown}",
            f"/api/v1/candidates/{unknown}/referees",
        ):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 404, (path, answer.text)
            assert answer.json()["title"] == "Not found"
        patched = client.patch(f"/api/v1/candidates/{unknown}", json={"first_name": "A"}, headers=headers)
        assert patched.status_code == 404, patched.text


def test_null_for_a_field_a_candidate_always_has_is_refused(client: TestClient, make_key: MakeKey) -> None:
    headers = make_key("read", "write")
    created = client.post("/api/v1/candidates", json={"first_name": "Sam", "last_name": "Bos"}, headers=headers)
    url = f"/api/v1/candidates/{created.json()['id']}"
    for field in ("first_name", "last_name", "language"):
        refused = client.patch(url, json={field: None}, headers=headers)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        assert refused.json()["errors"][0]["message"] == "This field cannot be empty; leave it out to keep its value."
    dutch = client.patch(url, json={"first_name": None}, headers={**headers, "Accept-Language": "nl"})
    assert dutch.json()["errors"][0]["message"] == "Dit veld kan niet leeg zijn; laat het weg om de waarde te houden."
    # A field that may be empty is emptied by null; a field left out keeps its value.
    cleared = client.patch(url, json={"email": "sam@example.com"}, headers=headers)
    cleared = client.patch(url, json={"email": None}, headers=headers)
    assert cleared.status_code == 200 and cleared.json()["email"] is None and cleared.json()["first_name"] == "Sam"


def test_unreadable_bodies_are_named(client: TestClient, make_key: MakeKey) -> None:
    headers = make_key("write")
    json_type = {**headers, "Content-Type": "application/json"}
    deep = b"[" * 30_000 + b"]" * 30_000  # within the test limit of 64 KiB, far beyond what Python parses
    for content, expected in ((b'{"first_name":"\xff"}', "the body is not valid UTF-8: "), (deep, "nested too deeply")):
        answer = client.post("/api/v1/candidates", content=content, headers=json_type)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        assert problem["title"] == "Invalid request" and problem["detail"].startswith("body: ")
        assert [(e["location"], e["field"]) for e in problem["errors"]] == [("body", "body")]
        assert expected in problem["errors"][0]["message"]
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        answer = client.post(
            "/api/v1/roles", content=b'{"title": "Lead"}', headers={**headers, "Content-Type": content_type}
        )
        assert answer.status_code == 422, answer.text
        message = answer.json()["errors"][0]["message"]
        assert content_type in message and "Content-Type: application/json" in message
        assert "dictionary" not in answer.text
    dutch = client.post(
        "/api/v1/roles", content=b"{}", headers={**headers, "Content-Type": "text/plain", "Accept-Language": "nl"}
    )
    assert dutch.json()["errors"][0]["message"].startswith("de inhoud is verstuurd als text/plain")
