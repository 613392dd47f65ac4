"""The assessments list: every questionnaire taken or filled in, filtered, newest change first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import col, select

from app.assessments.models import AssessmentStatus, Result
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.errors import Invalid
from app.questionnaires import service as questionnaires
from app.roles import service as roles
from app.web.hr.common import CurrentHr
from app.web.hr.listing import AssessmentFilters

router = APIRouter(include_in_schema=False)

STATUSES = tuple(s.value for s in AssessmentStatus)


@router.get("/hr/assessments", name="hr_assessments")
def assessment_list(
    hr: CurrentHr,
    listed: AssessmentFilters,
    after: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """List assessments filtered by role, status, verdict and questionnaire, a page at a time."""
    session = hr.session
    if listed.status and listed.status not in STATUSES:
        raise Invalid(f"status '{listed.status}' is not one of {', '.join(STATUSES)}", field="status")
    result = candidates.list_assessments(session, after=after, limit=50, **listed.filters())
    ids = [a.id for a in result.items]
    # One query each for the rows of this page, not one per row.
    people = {a.candidate_id for a in result.items if a.candidate_id is not None}
    names = {
        c.id: f"{c.first_name} {c.last_name}"
        for c in session.exec(select(Candidate).where(col(Candidate.id).in_(people)))
    }
    verdicts = {r.assessment_id: r for r in session.exec(select(Result).where(col(Result.assessment_id).in_(ids)))}
    questionnaire_of = questionnaires.questionnaire_ids(session, {a.questionnaire_version_id for a in result.items})
    query = listed.shown()
    context = {
        "page": result,
        "names": names,
        "results": verdicts,
        "questionnaire_of": questionnaire_of,
        "questionnaires": sorted(set(questionnaires.questionnaire_ids(session).values())),
        "roles": {r.id: r for r in roles.all_roles(session)},
        "statuses": STATUSES,
        "verdicts": candidates.VERDICTS,
        "filters": query,
        "query": query,
        "first_page": after is None,
    }
    return hr.page("hr/assessments_list.html", context)
