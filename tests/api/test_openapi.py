"""The API reference: /openapi.json complete with examples, /docs served from vendored Swagger UI."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import jsonschema_rs
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.types import Message

from app.config import Settings
from app.db import create_db_engine
from app.main import create_app
from tests.api.conftest import MakeKey, example


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


def _conforms(spec: dict[str, Any], path: str, method: str, status: int, reply: dict[str, Any]) -> None:
    documented = spec["paths"][path][method]["responses"][str(status)]
    schema = documented["content"]["application/problem+json"]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": spec["components"]})
    assert validator.is_valid(reply), list(validator.iter_errors(reply))


def test_the_documented_statuses_are_those_sent(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if not path.startswith(("/api/v1", "/integrations")):
            continue
        for method, operation in methods.items():
            responses = operation["responses"]
            # Any request may be too slow with its body or meet a busy database.
            assert {"408", "503"} <= set(responses), (method, path)
            assert "Retry-After" in responses["503"]["headers"] and "Connection" in responses["408"]["headers"]
            # Greenhouse refuses every credential problem with 401 (as it documents): never 403.
            assert ("403" in responses) is path.startswith("/api/v1"), (method, path)
            # Any body may be over TOUCHSTONE_MAX_BODY_BYTES (PATCH too).
            assert ("requestBody" not in operation) or "413" in responses, (method, path)
    example_503 = spec["paths"]["/api/v1/candidates"]["get"]["responses"]["503"]["content"]["application/problem+json"]
    assert example_503["example"]["title"] == "Database busy"


NL_ACCEPT = {"Accept-Language": "nl"}


def test_a_busy_database_is_answered_as_documented(
    client: TestClient, settings: Settings, db_url: str, make_key: MakeKey
) -> None:
    spec = client.get("/openapi.json").json()
    # One pooled connection, taken by the test: the request cannot get one in time.
    busy = create_db_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    try:
        with busy.connect(), TestClient(create_app(settings, engine=busy, run_startup=False)) as other:
            reply = other.get("/api/v1/candidates", headers={**make_key("read"), **NL_ACCEPT})
    finally:
        busy.dispose()
    assert reply.status_code == 503 and reply.headers["retry-after"]
    assert reply.json()["title"] == "Database bezet"
    _conforms(spec, "/api/v1/candidates", "get", 503, reply.json())


def test_a_body_too_slow_is_answered_as_documented(client: TestClient, settings: Settings, engine: Engine) -> None:
    spec = client.get("/openapi.json").json()
    app = create_app(settings.model_copy(update={"body_timeout_seconds": 0.2}), engine=engine, run_startup=False)
    sent: list[Message] = []

    async def stalled() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/integrations/greenhouse/send_test",
            "raw_path": b"/integrations/greenhouse/send_test",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), (b"content-length", b"50")],
            "client": ("203.0.113.9", 5000),
            "server": ("testserver", 80),
        }

        async def receive() -> Message:
            await anyio.sleep(30)  # the body never comes
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        await app(scope, receive, send)

    # In a thread of its own: the browser tests keep an event loop running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, stalled).result()
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    assert start["status"] == 408 and (b"connection", b"close") in start["headers"]
    _conforms(spec, "/integrations/greenhouse/send_test", "post", 408, json.loads(body))
