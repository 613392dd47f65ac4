"""Property-based run of schemathesis against /openapi.json: every operation, a few examples each."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import Session

from app.apikeys import service as apikeys

EXAMPLES = 8
# positive_data_acceptance is left out: schema-valid input can still break a rule no schema can state
# (an opaque cursor that was never issued, an expiry in the past, an unknown candidate id) and then a
# 422 or 404 problem is the right answer. Every other check (server errors, status codes, content
# types, headers, response schemas, negative data rejection, auth) runs.


def test_every_operation_conforms_to_its_schema(client: TestClient, session: Session, bank: Session) -> None:
    _key, secret = apikeys.create_key(
        session, name="fuzz", scopes=["read", "write", "greenhouse", "webhooks"], actor="test"
    )
    bearer = {"Authorization": f"Bearer {secret}"}
    basic = {"Authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    # The ATS-facing operations; /readyz and /healthz belong to operations and probe the database themselves.
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if op.path.startswith(("/api", "/integrations"))
    ]
    assert len(operations) >= 18
    for operation in operations:
        _fuzz(operation, basic if operation.path.startswith("/integrations") else bearer)()


def _fuzz(operation: schemathesis.APIOperation, headers: dict[str, str]) -> Callable[[], None]:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        # A fresh key per request: reusing one with another body is a (tested) 422 the schema cannot express.
        case.call_and_validate(
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, excluded_checks=[positive_data_acceptance]
        )

    return run
