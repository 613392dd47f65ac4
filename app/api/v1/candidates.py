"""Candidates: create, read, list, change and erase (GDPR)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from starlette.responses import JSONResponse

from app.api import idempotency
from app.api.deps import ReadApi, WriteApi
from app.api.v1.common import Cursor, Limit, invalid_input, listed, problems
from app.api.v1.schemas import MAX_ID, CandidateIn, CandidateOut, CandidatePage, CandidateUpdate, Moment
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.candidates.models import CandidateUpdate as Changes
from app.privacy import service as privacy
from app.roles import service as roles

router = APIRouter(prefix="/candidates", tags=["candidates"])
CandidateId = Annotated[int, Path(ge=1, le=MAX_ID)]
Status = Literal["none", "created", "invited", "started", "completed", "expired", "cancelled"]


@router.post(
    "", name="api_candidate_create", status_code=201, response_model=CandidateOut, responses=problems(404, 409, 413)
)
def create_candidate(api: WriteApi, body: CandidateIn, once: idempotency.Idempotent) -> JSONResponse:
    """Create a candidate, optionally for a role."""

    def produce() -> tuple[int, Any]:
        if body.role_id is not None:
            roles.get(api.session, body.role_id)  # NotFound rather than a foreign-key failure
        with invalid_input():
            candidate = candidates.create(api.session, CandidateCreate(**body.model_dump()), actor=api.actor)
        return 201, CandidateOut.model_validate(candidate).model_dump(mode="json")

    return once.run(api, body, produce)


@router.get("", name="api_candidates", response_model=CandidatePage, responses=problems())
def list_candidates(
    api: ReadApi,
    role_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Status | None = None,
    updated_since: Annotated[Moment | None, Query(description="Only candidates changed at or after this time.")] = None,
    external_ref: Annotated[
        str | None, Query(max_length=200, description="Only the candidates with this reference of yours (exact).")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """List candidates, most recently changed first, filtered by role, status, change time or your reference."""
    page = candidates.list_candidates(
        api.session,
        role_id=role_id,
        status=status,
        updated_since=updated_since,
        external_ref=external_ref,
        after=cursor,
        limit=limit,
    )
    return listed(page, CandidateOut.model_validate)


@router.get("/{candidate_id}", name="api_candidate", response_model=CandidateOut, responses=problems(404))
def get_candidate(api: ReadApi, candidate_id: CandidateId) -> CandidateOut:
    """Get one candidate."""
    return CandidateOut.model_validate(candidates.get(api.session, candidate_id))


@router.patch(
    "/{candidate_id}", name="api_candidate_update", response_model=CandidateOut, responses=problems(404, 410, 413)
)
def update_candidate(api: WriteApi, candidate_id: CandidateId, body: CandidateUpdate) -> CandidateOut:
    """Change the fields given (the others keep their value); an erased candidate is read-only (410)."""
    candidate = candidates.get(api.session, candidate_id)
    candidates.ensure_not_erased(candidate)
    if body.role_id is not None:
        roles.get(api.session, body.role_id)
    with invalid_input():
        changes = Changes(**body.model_dump(exclude_unset=True))
        changed = candidates.update(api.session, candidate, changes, actor=api.actor)
    return CandidateOut.model_validate(changed)


@router.delete("/{candidate_id}", name="api_candidate_delete", status_code=204, responses=problems(404))
def delete_candidate(api: WriteApi, candidate_id: CandidateId) -> Response:
    """Erase the candidate's personal data (GDPR); scores stay, anonymised. Emits candidate.erased.

    Idempotent: erasing again answers 204 and re-runs every step.
    """
    privacy.erase_candidate(api.session, candidates.get(api.session, candidate_id), actor=api.actor)
    return Response(status_code=204)
