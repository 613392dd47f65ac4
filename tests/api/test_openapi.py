"""The API reference: /openapi.json complete with examples, /docs served from vendored Swagger UI."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import example


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _has_example(spec: dict[str, Any], media: dict[str, Any]) -> bool:
    if "example" in media or "examples" in media:
        return True
    schema = _resolve(spec, media.get("schema", {}))
    if schema.get("type") == "array":
        schema = _resolve(spec, schema.get("items", {}))
    return "example" in schema or "examples" in schema


def test_every_request_and_response_has_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    missing = []
    operations = 0
    for path, methods in spec["paths"].items():
        if not path.startswith(("/api/v1", "/integrations")):
            continue
        for method, operation in methods.items():
            operations += 1
            assert operation.get("summary") and operation.get("description"), (method, path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None and not _has_example(spec, body):
                missing.append(f"{method} {path} request")
            for status, response in operation["responses"].items():
                for media in response.get("content", {}).values():
                    if not _has_example(spec, media):
                        missing.append(f"{method} {path} {status}")
    assert operations >= 18
    assert missing == []


def test_security_schemes_are_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer", "basic"}
    assert spec["paths"]["/api/v1/candidates"]["post"]["parameters"][0]["name"] == "Idempotency-Key"


def test_docs_page_uses_vendored_swagger_ui(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text and "/openapi.json" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows only files from this site
    assert "'self'" in page.headers["content-security-policy"]
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/swagger/init.js").status_code == 200
    assert "/docs" not in client.get("/openapi.json").json()["paths"]


def test_the_document_is_ready_for_client_generators(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    names = set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            # The route's name, not FastAPI's name + path + method.
            names.add(operation["operationId"])
            assert "_api_v1_" not in operation["operationId"], (method, path, operation["operationId"])
            summary = operation["summary"]
            assert summary[0].isupper() and summary.endswith((".", ")")), (method, path, summary)
    assert {"api_candidate_create", "api_assessment_result", "greenhouse_send_test", "healthz"} <= names
    undescribed = [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, value in schema.get("properties", {}).items()
        if not value.get("description")
    ]
    assert undescribed == []
    urls = [
        (name, prop, value.get("format"))
        for name, schema in spec["components"]["schemas"].items()
        for prop, value in schema.get("properties", {}).items()
        if prop.endswith("url")
    ]
    assert urls and all(fmt == "uri" for _name, _prop, fmt in urls), urls
    assert "errors" in spec["components"]["schemas"]["Problem"]["properties"]
    create = spec["paths"]["/api/v1/candidates"]["post"]["responses"]
    assert "Idempotent-Replayed" in create["201"]["headers"]
    assert "Retry-After" in create["429"]["headers"]
    assert "WWW-Authenticate" in create["401"]["headers"]


def test_answer_refusals_match_the_documented_schema(
    client: TestClient, admin_headers: dict[str, str], bank: Session
) -> None:

    spec = client.get("/openapi.json").json()
    candidate = client.post("/api/v1/candidates", json={"first_name": "Ria", "last_name": "Bos"}, headers=admin_headers)
    ordered = client.post(
        "/api/v1/assessments",
        json={"candidate_id": candidate.json()["id"], "questionnaire_id": "self-test"},
        headers=admin_headers,
    )
    url = f"/api/v1/assessments/{ordered.json()['id']}"
    answers = dict(list(example("self-test--guru").items())[:3]) | {"self_title": "guru", "nope": 1}
    replies = [
        ("put", "/answers", client.put(f"{url}/answers", json={"answers": answers}, headers=admin_headers)),
        ("post", "/submit", client.post(f"{url}/submit", json={"answers": answers}, headers=admin_headers)),
        ("post", "/submit", client.post(f"{url}/submit", json={}, headers=admin_headers)),
        ("put", "/answers", client.put(f"{url}/answers", json={"answer": {}}, headers=admin_headers)),
    ]
    for method, suffix, reply in replies:
        assert reply.status_code == 422, reply.text
        documented = spec["paths"]["/api/v1/assessments/{assessment_id}" + suffix][method]["responses"]["422"]
        schema = documented["content"]["application/problem+json"]["schema"]
        validator = jsonschema_rs.validator_for({**schema, "components": spec["components"]})
        assert validator.is_valid(reply.json()), (suffix, list(validator.iter_errors(reply.json())))
    refused = replies[0][2].json()
    assert isinstance(refused["errors"], dict) and refused["kept"] and refused["saved"] == len(refused["kept"])
    assert spec["components"]["schemas"]["AnswersProblem"]["properties"]["errors"]["type"] == "object"
