"""Idempotency-Key for POST: a retried request gets the stored response instead of making a second row.

The record is written last, in the request's own transaction, so it exists exactly when the change it
describes was committed, and the work before it (a submit's scoring) runs with no write transaction open
(on SQLite, no write lock held). Two requests with the same key cannot both commit: the record's unique
key refuses the second, whose transaction is then rolled back and which answers with the first one's
stored response. On PostgreSQL a transaction-scoped advisory lock (which blocks no writer) also tells a
retry that arrives while the first request still runs (409) from one that arrives after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.responses import JSONResponse

from app import sealing
from app.api.deps import Api
from app.apikeys.models import ApiKey, IdempotencyRecord, IdempotencyStatus
from app.assessments.models import Assessment
from app.errors import Conflict, Invalid
from app.i18n import N_
from app.problems import ProblemResponse, language_headers, template

REPLAYED_HEADER = "Idempotent-Replayed"
OTHER_REQUEST = template(
    N_("Idempotency-Key '%(key)s' was already used with a different request; use a new key for a new request")
)
IN_FLIGHT = template(N_("a request with Idempotency-Key '%(key)s' is still being processed; retry shortly"))

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Any unique string (a UUID); a retry with the same key and body returns the first response.",
    ),
]


def request_hash(method: str, path: str, body: BaseModel | None) -> str:
    """Fingerprint a request: method, path and the validated body in canonical JSON."""
    payload = body.model_dump(mode="json") if body is not None else None
    canonical = json.dumps([method, path, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_elsewhere(session: Session, api_key_id: int, key: str) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return False  # SQLite has one writer at a time: the second request waits for the first to commit.
    acquired = session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": f"idem:{api_key_id}:{key}"}
    ).scalar_one()
    return not acquired


def _candidate_of(session: Session, path: str, payload: Any) -> int | None:
    if not isinstance(payload, dict):
        return None
    found = payload.get("candidate_id")
    if found is None and path.startswith("/api/v1/candidates"):
        found = payload.get("id")  # a candidate's own reply (a referee's reply names its candidate_id)
    if found is None and isinstance(payload.get("assessment_id"), str):
        # A submission's reply holds the result, explanations quoting the candidate's own words included.
        assessment = session.get(Assessment, payload["assessment_id"])
        found = assessment.candidate_id if assessment is not None else None
    return found if isinstance(found, int) else None


# The field of a reply that holds a candidate's link (POST /api/v1/assessments).
LINK_FIELD = "invitation_url"


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _sealed(request: Request, payload: Any) -> tuple[Any, str | None]:
    """Split a reply into what is stored as it is and its link, sealed (links are never stored readable)."""
    if not isinstance(payload, dict) or not isinstance(payload.get(LINK_FIELD), str):
        return payload, None
    return {**payload, LINK_FIELD: None}, sealing.seal(_secret(request), payload[LINK_FIELD])


def _unsealed(request: Request, record: IdempotencyRecord) -> Any:
    """Return the stored reply with its link put back (null when the secret key changed since)."""
    if record.sealed_link is None or not isinstance(record.response_body, dict):
        return record.response_body
    return {**record.response_body, LINK_FIELD: sealing.unseal(_secret(request), record.sealed_link)}


def _stored(request: Request, session: Session, client_id: int, key: str, fingerprint: str) -> JSONResponse | None:
    """Return the stored response for key (None when there is none); 422 for another body, 409 while in flight."""
    existing = session.exec(
        select(IdempotencyRecord).where(IdempotencyRecord.api_key_id == client_id, IdempotencyRecord.key == key)
    ).first()
    if existing is None:
        return None
    if existing.request_hash != fingerprint:
        raise Invalid(OTHER_REQUEST % {"key": key})
    if existing.status == IdempotencyStatus.IN_FLIGHT or existing.response_status is None:
        raise Conflict(IN_FLIGHT % {"key": key})
    return _reply(request, _unsealed(request, existing), existing.response_status, {REPLAYED_HEADER: "true"})


def run(
    session: Session,
    request: Request,
    client: ApiKey,
    key: str | None,
    body: BaseModel | None,
    produce: Callable[[], tuple[int, Any]],
) -> JSONResponse:
    """Run ``produce`` once per Idempotency-Key and answer with its (status, JSON body).

    Nothing is written before ``produce`` runs: its own first write opens the write transaction. The
    record follows its writes; when another request with the same key committed first, this request's
    transaction is rolled back and the stored response is the answer.
    """
    if key is None:
        status, payload = produce()
        return _reply(request, payload, status)
    assert client.id is not None
    client_id = client.id
    fingerprint = request_hash(request.method, request.url.path, body)
    if _locked_elsewhere(session, client_id, key):
        raise Conflict(IN_FLIGHT % {"key": key})
    stored = _stored(request, session, client_id, key, fingerprint)
    if stored is not None:
        return stored
    status, payload = produce()
    response_body, sealed_link = _sealed(request, payload)
    record = IdempotencyRecord(
        api_key_id=client_id,
        key=key,
        request_hash=fingerprint,
        status=IdempotencyStatus.DONE,
        response_status=status,
        response_body=response_body,
        sealed_link=sealed_link,
        candidate_id=_candidate_of(session, request.url.path, payload),
    )
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        # The same key was used by a request that committed while this one ran: undo this one's work.
        session.rollback()
        stored = _stored(request, session, client_id, key, fingerprint)
        if stored is None:  # pragma: no cover - another constraint failed: not a duplicate, a real error
            raise
        return stored
    return _reply(request, payload, status)


def _reply(request: Request, payload: Any, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    if status < 400:
        return JSONResponse(payload, status_code=status, headers=headers)
    # A refusal that is answered rather than raised (a submit's refused answers, whose valid ones are kept)
    # is a problem document like every other error.
    return ProblemResponse(payload, status_code=status, headers={**(headers or {}), **language_headers(request)})


class Once:
    """A POST that runs its work at most once per Idempotency-Key (the header is optional)."""

    def __init__(self, request: Request, key: str | None) -> None:
        self.request, self.key = request, key

    def run(self, api: Api, body: BaseModel | None, produce: Callable[[], tuple[int, Any]]) -> JSONResponse:
        """Answer with ``produce``'s (status, JSON body), or with the stored one for a retry (see ``run``)."""
        return run(api.session, self.request, api.client, self.key, body, produce)


async def _once(request: Request, key: IdempotencyKey = None) -> Once:
    # Async: building the holder touches nothing, so it is not worth a trip to the thread pool.
    return Once(request, key)


# A route's parameter `once: Idempotent` documents the Idempotency-Key header and runs the route's work once per key.
Idempotent = Annotated[Once, Depends(_once)]
