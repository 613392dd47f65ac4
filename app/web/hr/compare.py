"""Candidates of one role side by side, sortable by any column."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.reports import compare as comparing
from app.reports.headline import number
from app.roles import service as roles
from app.web.hr.common import CurrentHr

router = APIRouter(include_in_schema=False)


@router.get("/hr/roles/{role_id}/compare", name="role_compare")
def role_compare(
    hr: CurrentHr,
    role_id: int,
    sort: Annotated[str, Query(max_length=32)] = "evidence",
    order: Annotated[str, Query(max_length=4)] = "desc",
) -> Response:
    """Compare the role's candidates: evidence, claims, calibration, verdict and the six dimensions."""
    role = roles.get(hr.session, role_id)
    lang = hr.lang
    rows = comparing.compare(hr.session, role_id, lang, sort=sort, order=order)
    return hr.page(
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
