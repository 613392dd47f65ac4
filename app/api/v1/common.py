"""What every /api/v1 route shares: documented problem responses and page parameters."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Path, Query
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError

from app.errors import Invalid, NotFound
from app.pagination import MAX_LIMIT, Page

Row = TypeVar("Row")


class ProblemField(BaseModel):
    """One invalid part of a request."""

    location: str = Field(description="Where it was: body, query, path or header.")
    field: str = Field(description="The field, dotted for nested ones (candidate.email, events.0).")
    message: str = Field(description="What was wrong with it.")


class ProblemBase(BaseModel):
    """What every RFC 9457 problem document holds."""

    type: str = Field(json_schema_extra={"format": "uri"}, description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong in this request, naming the field and value.")
    instance: str = Field(description="The path of the request.")
    request_id: str | None = Field(default=None, description="Quote it when asking for help: it keys our logs.")


ANSWERS_PROBLEM_EXAMPLE: dict[str, Any] = {
    "type": "https://touchstone.invalid/problems/invalid-input",
    "title": "Invalid input",
    "status": 422,
    "detail": "1 answer(s) saved, 1 refused: item 'roi_campaign': 950 is out of range; use 0 to 100",
    "instance": "/api/v1/assessments/9f2c4e0a1b3d4c5e/answers",
    "request_id": "3f1c2b0a9d8e7f6a",
    "errors": {"roi_campaign": "950 is out of range; use 0 to 100"},
    "kept": ["self_title"],
    "saved": 5,
    "assessment_id": "9f2c4e0a1b3d4c5e",
}


class AnswersProblem(ProblemBase):
    """The 422 of PUT .../answers and POST .../submit: answers refused by item id; the valid ones were saved."""

    errors: dict[str, str] = Field(
        description="Item id to why its answer was refused (on submit also: why a required answer is missing)."
    )
    kept: list[str] = Field(description="The item ids of the answers sent that were saved.")
    saved: int = Field(description="How many answers are stored now, in total.")
    assessment_id: str = Field(description="The assessment the answers belong to.")

    model_config = {"json_schema_extra": {"examples": [ANSWERS_PROBLEM_EXAMPLE]}}


class Problem(ProblemBase):
    """An RFC 9457 problem document."""

    errors: list[ProblemField] | None = Field(default=None, description="Validation errors (422), one per field.")
    field: str | None = Field(default=None, description="The one field that was wrong, when there is one.")
    required_scope: str | None = Field(default=None, description="The scope the API key lacks (403).")

    model_config = {
        "extra": "allow",
        "json_schema_extra": {
            "examples": [
                {
                    "type": "https://touchstone.invalid/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "candidate 999 does not exist",
                    "instance": "/api/v1/candidates/999",
                    "request_id": "3f1c2b0a9d8e7f6a",
                }
            ]
        },
    }


_PROBLEM = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
ANSWERS_PROBLEM_REF = "#/components/schemas/AnswersProblem"
_TEXT = {
    400: "The request could not be read.",
    401: "No API key, or a wrong or revoked one (see WWW-Authenticate).",
    403: "The API key lacks the scope this request needs, or no key may do this (answer an assessment that"
    " a referee or HR fills in).",
    404: "The object does not exist.",
    408: "The request body did not arrive within the time limit (TOUCHSTONE_BODY_TIMEOUT_SECONDS); nothing was"
    " touched and the connection is closed. Any request with a body may get it.",
    409: "Conflict: the object's state forbids this, or the same Idempotency-Key is still being processed.",
    410: "The assessment has expired or was cancelled, or the candidate was erased (read-only).",
    413: "The request body is larger than the limit.",
    422: "Invalid input: a field is wrong, unknown fields were sent, or an Idempotency-Key was reused.",
    429: "Too many requests for this key this minute; see Retry-After.",
    503: "The database is busy (a lock or a pooled connection was not free in time) or unavailable, or the instance"
    " has more requests than it takes at once; nothing was saved. Any request may get it; try again after Retry-After.",
}
# The titles Touchstone gives these statuses, where they are not HTTP's phrase (the examples show them).
_TITLES = {408: "Request timeout", 503: "Database busy"}


_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with: Bearer under /api/v1, Basic for Greenhouse.",
            "schema": {"type": "string"},
        }
    },
    408: {
        "Connection": {
            "description": "close: the rest of the body is never read.",
            "schema": {"type": "string", "enum": ["close"]},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before the next request with this key.",
            "schema": {"type": "integer"},
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    },
}
REPLAYED = {
    "Idempotent-Replayed": {
        "description": "true when this is the stored response to an earlier request with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


# What any route may answer: a body it cannot read, no key, invalid input, its key's rate limit, a body too slow
# (app.middleware) and a busy or unavailable database (app.problems).
ALWAYS = frozenset({400, 401, 408, 422, 429, 503})


def problems(*codes: int, forbidden: bool = True) -> dict[int | str, dict[str, Any]]:
    """Document the problem responses of a route (auth, rate limit, validation, timeouts always apply).

    ``forbidden``: whether a key can be refused with 403 (a missing scope); the Greenhouse routes refuse every
    credential problem with 401 and pass False.
    """
    wanted = sorted(ALWAYS | set(codes) | ({403} if forbidden else set()))
    return {
        code: {
            "description": _TEXT[code],
            "content": {_PROBLEM: {"schema": {"$ref": PROBLEM_REF}, "example": _example(code)}},
            **({"headers": _HEADERS[code]} if code in _HEADERS else {}),
        }
        for code in wanted
    }


def answer_problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Document the problem responses of a route that saves answers: its 422 may name refused answers by item."""
    documented = problems(*codes)
    documented[422] = {
        "description": "Invalid input: answers refused by item id (AnswersProblem; the valid ones were saved), or"
        " an invalid request (Problem: a field is wrong, unknown fields were sent, an Idempotency-Key was reused).",
        "content": {
            _PROBLEM: {
                "schema": {"anyOf": [{"$ref": ANSWERS_PROBLEM_REF}, {"$ref": PROBLEM_REF}]},
                "example": ANSWERS_PROBLEM_EXAMPLE,
            }
        },
    }
    return documented


def listed(rows: Page[Row] | Iterable[Row], shown: Callable[[Row], Any]) -> dict[str, Any]:
    """Answer a list route: each row as the API shows it, and the cursor of the next page (null on the last)."""
    if isinstance(rows, Page):
        return {"items": [shown(row) for row in rows.items], "next_cursor": rows.next_cursor}
    return {"items": [shown(row) for row in rows], "next_cursor": None}


def route_name(route: APIRoute) -> str:
    """Use a route's name as its operationId (api_candidate_create), the method name in generated clients."""
    return route.name


def _example(code: int) -> dict[str, Any]:
    title = _TITLES.get(code) or HTTPStatus(code).phrase
    return {
        "type": "https://touchstone.invalid/problems/" + "-".join(title.lower().replace("'", "").split()),
        "title": title,
        "status": code,
        "detail": _TEXT[code],
        "instance": "/api/v1/candidates/31",
        "request_id": "3f1c2b0a9d8e7f6a5b4c3d2e1f0a9b8c",
    }


API_DESCRIPTION = """\
The JSON API for applicant tracking systems, and the Greenhouse Assessment Partner API.

**Authentication.** `/api/v1`: `Authorization: Bearer <key>`; a key has the scopes `read` (every GET),
`write` (every POST, PATCH, DELETE), `webhooks` (webhook endpoints, instead of read and write) and/or
`greenhouse`. `/integrations/greenhouse`: HTTP Basic with the
key as user name and an empty password. Admins create keys in the HR workspace or with
`touchstone create-api-key NAME --scopes read,write`. No, a wrong or a revoked key: 401; a missing scope: 403
(on the Greenhouse endpoints 401, as Greenhouse documents).

**Idempotency.** Send `Idempotency-Key` on every POST: a retry with the same key and body returns the
first response (`Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422;
while the first request is still running, 409.

**Errors** are RFC 9457 problem documents (`application/problem+json`). Unknown body fields: 422. Bodies
over the size limit: 413; a body that does not arrive in time: 408. More requests per key per minute than
allowed: 429 with `Retry-After`. A busy or unavailable database: 503 with `Retry-After` (nothing was saved).

**Pagination.** Lists return `items` and `next_cursor`; pass it back as `cursor` until it is null.

**Webhooks** (registered through `/api/v1/webhook-endpoints` with the `webhooks` scope, or by an admin in
the HR workspace) are signed per the Standard Webhooks spec
(`webhook-id`, `webhook-timestamp`, `webhook-signature`): `assessment.started`, `assessment.completed`,
`assessment.expired`, `assessment.cancelled`, `candidate.erased`, `reference.completed` (a referee
submitted) and `result.updated` (the candidate's combined result changed). Failed deliveries are retried with
backoff with the same `webhook-id`; answer 410 to stop them.
"""


def install_problem_schema(app: FastAPI) -> None:
    """Complete the app's OpenAPI document: the Problem schema the responses refer to and the API's guide
    (the `webhooks` section comes from app.api.v1.webhook_events, included by app.main)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for model in (Problem, AnswersProblem):
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
            spec["info"]["description"] = API_DESCRIPTION
            _polish(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _polish(spec: dict[str, Any]) -> None:
    """Make the document ready for client generators: sentence summaries, replay headers, no unused schemas."""
    for section in ("paths", "webhooks"):
        for operations in spec.get(section, {}).values():
            for operation in operations.values():
                description = operation.get("description") or ""
                if description:
                    # The docstring's first paragraph, a sentence, instead of the title-cased function name.
                    operation["summary"] = " ".join(description.split("\n\n")[0].split())
                headers = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}
                if "Idempotency-Key" in headers:
                    for code, response in operation.get("responses", {}).items():
                        if code.startswith("2"):
                            response.setdefault("headers", {}).update(REPLAYED)
    for operations in spec.get("webhooks", {}).values():
        for operation in operations.values():
            # FastAPI's defaults; the receiver's answers (2XX, 410) are what count.
            operation["responses"].pop("422", None)
            operation["responses"].pop("200", None)
    if "/HTTPValidationError" not in json.dumps([spec.get("paths"), spec.get("webhooks")]):
        for unused in ("HTTPValidationError", "ValidationError"):
            spec["components"]["schemas"].pop(unused, None)


@contextmanager
def invalid_input() -> Iterator[None]:
    """Report a service's own validation of our input as 422 (e.g. a name that is blank once trimmed)."""
    try:
        yield
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise Invalid(f"{field}: {first['msg']}", field=field) from None


async def _assessment_id(
    assessment_id: Annotated[str, Path(description="The assessment's id (as created: 32 hexadecimal digits).")],
) -> str:
    # Async: a check this small is not worth a trip to the thread pool (FastAPI runs a plain def there).
    # Any string is a possible id to a client: one we cannot have issued is unknown (404), not invalid (422).
    if len(assessment_id) > 64 or not HEX_ID.fullmatch(assessment_id):
        raise NotFound(f"assessment '{assessment_id[:64]}' does not exist")
    return assessment_id


HEX_ID = re.compile(r"[0-9a-f]+")
AssessmentId = Annotated[str, Depends(_assessment_id)]

Cursor = Annotated[
    str | None,
    Query(max_length=500, pattern=r"^[A-Za-z0-9_-]*$", description="The next_cursor of the previous page."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
