"""The filters of the HR lists, declared once per list for the page, its htmx swap and its exports.

An HTML form sends every field, the "all" choice of a select as an empty string: an empty (or blank) value
means "no filter", never a 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, Field

from app.inputs import MAX_ID


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Id = Annotated[Annotated[int, Field(ge=1, le=MAX_ID)] | None, BeforeValidator(_blank_is_none)]
Text = Annotated[Annotated[str, Field(max_length=200)] | None, BeforeValidator(_blank_is_none)]


class Listing(BaseModel):
    """What every list's query has: the filters set, as they go into links (the pager, the exports)."""

    def shown(self) -> dict[str, str]:
        """Return the filters set (left out: those meaning "all")."""
        return {k: str(v) for k, v in self.model_dump().items() if v is not None}


class CandidateQuery(Listing):
    """The candidate list's filters and order, for the page and the CSV and xlsx exports."""

    role_id: Id = None
    status: Text = None
    verdict: Text = None
    q: Text = None
    sort: Annotated[str, BeforeValidator(lambda v: v or "updated"), Field(max_length=20)] = "updated"
    order: Annotated[str, BeforeValidator(lambda v: v or "desc"), Field(pattern="^(asc|desc)$")] = "desc"

    def filters(self) -> dict[str, Any]:
        """Return the arguments of candidates.list_candidates (blank filters left out)."""
        return {
            "role_id": self.role_id,
            "status": self.status,
            "verdict": self.verdict,
            "q": self.q.strip() if self.q else None,
            "sort": self.sort,
            "descending": self.order != "asc",
        }


class AssessmentQuery(Listing):
    """The assessments list's filters."""

    role_id: Id = None
    status: Text = None
    verdict: Text = None
    questionnaire_id: Text = None

    def filters(self) -> dict[str, Any]:
        """Return the arguments of candidates.list_assessments."""
        return self.model_dump()


CandidateFilters = Annotated[CandidateQuery, Query()]
AssessmentFilters = Annotated[AssessmentQuery, Query()]
