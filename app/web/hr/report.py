"""The candidate report: read it (print-ready), rate free text on the rubric, decide, assign a mentor."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app import i18n
from app.assessments import service as assessments
from app.audit import service as audit
from app.candidates import service as candidates
from app.errors import Conflict, Invalid
from app.inputs import MAX_ID
from app.mentors import service as mentors
from app.middleware import leave_slot
from app.reports import decisions
from app.reports import service as reports
from app.reports.headline import headline, number
from app.reports.models import DecisionKind
from app.urls import url_for
from app.web import charts, pdf
from app.web.hr.common import AssessorHr, CurrentHr, Hr

router = APIRouter(include_in_schema=False)


def _context(hr: Hr, candidate_id: int, *, detail: Any = None) -> Any:
    """Build the report's template context and record that this user read it."""
    session, lang = hr.session, hr.lang
    candidate = candidates.get(session, candidate_id)
    report = reports.candidate_report(session, candidate, lang)
    audit.record(session, candidate, actor=hr.actor, action="report.viewed", detail=detail, request_id=hr.request_id)
    result = report.result
    has_candidate_result = bool(result and result.get("evidence"))
    return {
        "report": report,
        "candidate": candidate,
        "result": result,
        "chart": charts.evidence_claims_svg(result, lang, audience="hr") if result and has_candidate_result else None,
        # The headline numbers: the one result every screen shows for this candidate, with its source.
        "shown": headline(report.combined),
        "number": lambda value: number(value, lang),
    }


def _report_page(
    hr: Hr,
    candidate_id: int,
    *,
    errors: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(hr, candidate_id)
    response = hr.page(
        "hr/reports/report.html",
        {
            **context,
            "decision_kinds": list(DecisionKind),
            "follows": decisions.FOLLOWS,
            "errors": errors or {},
            "form": form or {},
            "mentors": [row for row in mentors.registry(hr.session) if row.mentor.active],
        },
        status_code=status_code,
    )
    # A report holds personal data: never keep it in a shared or browser cache (the /hr middleware
    # says so too; the report must not depend on it).
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(request: Request, candidate_id: int, anchor: str) -> RedirectResponse:
    url = str(url_for(request, "candidate_report", candidate_id=candidate_id))
    return RedirectResponse(f"{url}#{anchor}", status_code=303)


@router.get("/hr/candidates/{candidate_id}/report", name="candidate_report")
def candidate_report(hr: CurrentHr, candidate_id: int) -> Response:
    """Show the candidate's combined report: scores with explanations, claims, verdict, mentoring, decision."""
    return _report_page(hr, candidate_id)


def _pdf_html(hr: Hr, candidate_id: int, part: str) -> tuple[str, str]:
    """Return the report's HTML for the PDF and the file's name; the read transaction has ended on return."""
    lang = hr.lang
    i18n.current_locale.set(lang)
    context = _context(hr, candidate_id, detail={"pdf": part})
    page = {
        **context,
        "request": hr.request,
        "lang": lang,
        "pdf": True,
        "summary_only": part == "summary",
        "can_edit": False,
        "static_base": pdf.STATIC_BASE,
        "errors": {},
        "form": {},
    }
    templates = hr.request.app.state.templates
    html = templates.env.get_template("hr/reports/report_pdf.html").render(page)
    # Laying out the PDF takes a second or more: the read transaction ends first, so PostgreSQL never sees it
    # idle in transaction (and ends it) and the pooled connection serves other requests meanwhile.
    hr.session.commit()  # a GET writes nothing here (its audit row is in already): this only ends the transaction
    return html, f"report-{context['candidate'].id}-{part}.pdf"


@router.get("/hr/candidates/{candidate_id}/report.pdf", name="candidate_report_pdf")
async def candidate_report_pdf(
    hr: CurrentHr,
    candidate_id: int,
    part: Annotated[str, Query(pattern="^(summary|full)$")] = "summary",
) -> Response:
    """Download the report as PDF: the one-page summary (part=summary) or everything (part=full)."""
    html, name = await run_in_threadpool(_pdf_html, hr, candidate_id, part)
    # The layout touches no database: the request gives its place among those the process works on at once
    # back first, so that a few downloads at a time never hold up every candidate's page for a second.
    leave_slot(hr.request)
    return Response(
        await run_in_threadpool(pdf.render, html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


class RubricForm(BaseModel):
    """A rubric rating: which free-text item, and the points of the chosen level."""

    item_id: str = Field(max_length=64)
    points: float


@router.post("/hr/assessments/{assessment_id}/rubric", name="rate_rubric")
def rate_rubric(hr: AssessorHr, assessment_id: str, rating: Annotated[RubricForm, Form()]) -> Response:
    """Rate one free-text answer on its rubric; the assessment is re-scored at once."""
    session = hr.session
    item_id, points = rating.item_id, rating.points
    assessment = assessments.get_shared(session, assessment_id)
    if assessment.candidate_id is None:
        raise Invalid(f"assessment '{assessment_id}' is not about a candidate")
    assert hr.user.id is not None
    assessments.set_rubric(session, assessment, item_id, points, user_id=hr.user.id)
    candidates.refresh_summary(session, assessment.candidate_id)
    detail = {"item": item_id, "points": points}
    audit.record(session, assessment, actor=hr.actor, action="rubric.rated", detail=detail)
    return _back(hr.request, assessment.candidate_id, f"text-{item_id}")


class DecisionForm(BaseModel):
    """The decision form as entered; the decision service checks the reason an override needs."""

    decision: str = Field("", max_length=32)
    note: str = Field("", max_length=4000)
    reason: str = Field("", max_length=4000)


@router.post("/hr/candidates/{candidate_id}/decisions", name="record_decision")
def record_decision(hr: AssessorHr, candidate_id: int, entered: Annotated[DecisionForm, Form()]) -> Response:
    """Record HR's decision; one against the recommended verdict is an override and needs a reason."""
    candidate = candidates.get(hr.session, candidate_id)
    form = entered.model_dump()
    if entered.decision not in {str(k) for k in DecisionKind}:
        errors = {"decision": True}
        return _report_page(hr, candidate_id, errors=errors, form=form, status_code=422)
    combined = reports.combined_result(hr.session, candidate, hr.lang)
    try:
        decisions.record(
            hr.session,
            candidate=candidate,
            combined=combined,
            decision=DecisionKind(entered.decision),
            note=entered.note,
            reason=entered.reason,
            user_id=hr.user.id,
            actor=hr.actor,
            settings=hr.settings,
            request_id=hr.request_id,
        )
    except Invalid as error:
        errors = {str(error.extra.get("field", "reason")): True}
        return _report_page(hr, candidate_id, errors=errors, form=form, status_code=422)
    return _back(hr.request, candidate_id, "decision")


class MentorChoiceForm(BaseModel):
    """The mentor chosen for the candidate's mentoring plan."""

    mentor_id: int = Field(ge=1, le=MAX_ID)


class EndAssignmentForm(BaseModel):
    """Where to go back to after ending an assignment: the candidate's report or the mentors page."""

    back: Literal["report", "mentors"] = "report"


@router.post("/hr/candidates/{candidate_id}/mentor", name="assign_mentor")
def assign_mentor(hr: AssessorHr, candidate_id: int, form: Annotated[MentorChoiceForm, Form()]) -> Response:
    """Give the candidate's mentoring plan to a mentor; a full or inactive mentor is refused (409)."""
    candidate = candidates.get(hr.session, candidate_id)
    combined = reports.combined_result(hr.session, candidate, hr.lang)
    plan = (combined.result or {}).get("mentoring") or {}
    try:
        mentors.assign(
            hr.session,
            mentor_id=form.mentor_id,
            candidate_id=candidate_id,
            plan={"discipline": plan.get("discipline"), "focus": plan.get("focus") or []},
            user_id=hr.user.id,
            actor=hr.actor,
        )
    except Conflict as error:
        errors = {"mentor": str(error.extra.get("reason", "capacity")), "mentor_detail": error.detail}
        return _report_page(hr, candidate_id, errors=errors, status_code=409)
    return _back(hr.request, candidate_id, "mentoring")


@router.post("/hr/mentor-assignments/{assignment_id}/end", name="end_mentor_assignment")
def end_mentor_assignment(hr: AssessorHr, assignment_id: int, form: Annotated[EndAssignmentForm, Form()]) -> Response:
    """End a mentoring assignment, which frees a place with the mentor."""
    assignment = mentors.end_assignment(hr.session, assignment_id, user_id=hr.user.id, actor=hr.actor)
    if form.back == "mentors":
        return RedirectResponse(url_for(hr.request, "hr_mentors"), status_code=303)
    return _back(hr.request, assignment.candidate_id, "mentoring")
