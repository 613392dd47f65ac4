"""Candidates of one role side by side, sortable by any column."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app import i18n
from app.accounts.deps import CurrentUser
from app.deps import SessionDep
from app.reports import compare as comparing
from app.reports.headline import number
from app.roles import service as roles
from app.web.hr import common

router = APIRouter(include_in_schema=False)


@router.get("/hr/roles/{role_id}/compare", name="role_compare")
def role_compare(
    request: Request,
    role_id: int,
    session: SessionDep,
    user: CurrentUser,
    sort: Annotated[str, Query(max_length=32)] = "evidence",
    order: Annotated[str, Query(max_length=4)] = "desc",
) -> Response:
    """Compare the role's candidates: evidence, claims, calibration, verdict and the six dimensions."""
    role = roles.get(session, role_id)
    lang = i18n.negotiate(request)
    rows = comparing.compare(session, role_id, lang, sort=sort, order=order)
    return common.page(
        request,
        user,
        "hr/reports/compare.html",
        {
            "role": role,
            "rows": rows,
            "sort": sort,
            "order": order,
            "dimensions": comparing.DIMENSIONS,
            "number": lambda value: number(value, lang),
        },
    )
