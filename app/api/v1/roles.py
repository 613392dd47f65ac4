"""Roles (vacancies) and their role assessment result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.responses import JSONResponse

from app.api import idempotency
from app.api.deps import ReadApi, WriteApi
from app.api.v1.assessment_schemas import RoleAssessmentOut
from app.api.v1.common import Cursor, Limit, invalid_input, listed, problems
from app.api.v1.schemas import MAX_ID, RoleIn, RoleOut, RolePage
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.errors import NotFound
from app.roles import service as roles
from app.roles.models import RoleCreate

router = APIRouter(prefix="/roles", tags=["roles"])
RoleId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", name="api_role_create", status_code=201, response_model=RoleOut, responses=problems(409, 413))
def create_role(api: WriteApi, body: RoleIn, once: idempotency.Idempotent) -> JSONResponse:
    """Create a role (vacancy) that candidates are assessed for."""

    def produce() -> tuple[int, Any]:
        with invalid_input():
            role = roles.create(api.session, RoleCreate(**body.model_dump()), actor=api.actor)
        return 201, RoleOut.model_validate(role).model_dump(mode="json")

    return once.run(api, body, produce)


@router.get("", name="api_roles", response_model=RolePage, responses=problems())
def list_roles(api: ReadApi, cursor: Cursor = None, limit: Limit = 50) -> dict[str, Any]:
    """List roles by title, one page at a time."""
    page = roles.list_roles(api.session, after=cursor, limit=limit)
    return listed(page, RoleOut.model_validate)


@router.get("/{role_id}", name="api_role", response_model=RoleOut, responses=problems(404))
def get_role(api: ReadApi, role_id: RoleId) -> RoleOut:
    """Get one role."""
    return RoleOut.model_validate(roles.get(api.session, role_id))


@router.get(
    "/{role_id}/assessment", name="api_role_assessment", response_model=RoleAssessmentOut, responses=problems(404)
)
def get_role_assessment(api: ReadApi, role_id: RoleId) -> dict[str, Any]:
    """Get the result of the role's latest completed role assessment: risks, advice and whom to hire."""
    role = roles.get(api.session, role_id)
    assessment = roles.latest_role_assessment(api.session, role)
    result = assessments.result_of(api.session, assessment) if assessment else None
    if assessment is None or result is None:
        raise NotFound(f"role {role_id} has no completed role assessment yet")
    return {
        "role_id": role_id,
        "assessment_id": assessment.id,
        "report_url": presenters.report_url(api.settings, assessment),
        "result": result.result,
    }
