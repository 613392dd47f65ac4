"""The candidate report: read it (print-ready), rate free text on the rubric, decide, assign a mentor."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app import i18n
from app.accounts import service as accounts
from app.accounts.deps import AssessorUser, CurrentUser
from app.accounts.models import User
from app.assessments import service as assessments
from app.audit import service as audit
from app.candidates import service as candidates
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Invalid
from app.inputs import MAX_ID
from app.mentors import service as mentors
from app.reports import decisions
from app.reports import service as reports
from app.reports.headline import headline, number
from app.reports.models import DecisionKind
from app.web import charts, pdf
from app.web.hr import common

router = APIRouter(include_in_schema=False)


def _context(request: Request, session: SessionDep, candidate_id: int, user: User, *, detail: Any = None) -> Any:
    """Build the report's template context and record that this user read it."""
    lang = i18n.negotiate(request)
    candidate = candidates.get(session, candidate_id)
    report = reports.candidate_report(session, candidate, lang)
    audit.record(
        session,
        candidate,
        actor=accounts.actor_of(user),
        action="report.viewed",
        detail=detail,
        request_id=getattr(request.state, "request_id", None),
    )
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
    request: Request,
    session: SessionDep,
    candidate_id: int,
    user: User,
    *,
    errors: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(request, session, candidate_id, user)
    response = common.page(
        request,
        user,
        "hr/reports/report.html",
        {
            **context,
            "decision_kinds": list(DecisionKind),
            "follows": decisions.FOLLOWS,
            "errors": errors or {},
            "form": form or {},
            "mentors": [row for row in mentors.registry(session) if row.mentor.active],
        },
        status_code=status_code,
    )
    # A report holds personal data: never keep it in a shared or browser cache (the /hr middleware
    # says so too; the report must not depend on it).
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(request: Request, candidate_id: int, anchor: str) -> RedirectResponse:
    url = str(request.url_for("candidate_report", candidate_id=candidate_id))
    return RedirectResponse(f"{url}#{anchor}", status_code=303)


@router.get("/hr/candidates/{candidate_id}/report", name="candidate_report")
def candidate_report(request: Request, candidate_id: int, session: SessionDep, user: CurrentUser) -> Response:
    """Show the candidate's combined report: scores with explanations, claims, verdict, mentoring, decision."""
    return _report_page(request, session, candidate_id, user)


@router.get("/hr/candidates/{candidate_id}/report.pdf", name="candidate_report_pdf")
def candidate_report_pdf(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CurrentUser,
    part: Annotated[str, Query(pattern="^(summary|full)$")] = "summary",
) -> Response:
    """Download the report as PDF: the one-page summary (part=summary) or everything (part=full)."""
    lang = i18n.negotiate(request)
    i18n.current_locale.set(lang)
    context = _context(request, session, candidate_id, user, detail={"pdf": part})
    page = {
        **context,
        "request": request,
        "lang": lang,
        "pdf": True,
        "summary_only": part == "summary",
        "can_edit": False,
        "static_base": pdf.STATIC_BASE,
        "errors": {},
        "form": {},
    }
    templates = request.app.state.templates
    html = templates.env.get_template("hr/reports/report_pdf.html").render(page)
    candidate = context["candidate"]
    name = f"report-{candidate.id}-{part}.pdf"
    return Response(
        pdf.render(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


class RubricForm(BaseModel):
    """A rubric rating: which free-text item, and the points of the chosen level."""

    item_id: str = Field(max_length=64)
    points: float


@router.post("/hr/assessments/{assessment_id}/rubric", name="rate_rubric")
def rate_rubric(
    request: Request,
    assessment_id: str,
    session: SessionDep,
    user: AssessorUser,
    rating: Annotated[RubricForm, Form()],
) -> Response:
    """Rate one free-text answer on its rubric; the assessment is re-scored at once."""
    item_id, points = rating.item_id, rating.points
    assessment = assessments.get(session, assessment_id)
    if assessment.candidate_id is None:
        raise Invalid(f"assessment '{assessment_id}' is not about a candidate")
    assert user.id is not None
    assessments.set_rubric(session, assessment, item_id, points, user_id=user.id)
    candidates.refresh_summary(session, assessment.candidate_id)
    audit.record(
        session,
        assessment,
        actor=accounts.actor_of(user),
        action="rubric.rated",
        detail={"item": item_id, "points": points},
    )
    return _back(request, assessment.candidate_id, f"text-{item_id}")


class DecisionForm(BaseModel):
    """The decision form as entered; the decision service checks the reason an override needs."""

    decision: str = Field("", max_length=32)
    note: str = Field("", max_length=4000)
    reason: str = Field("", max_length=4000)


@router.post("/hr/candidates/{candidate_id}/decisions", name="record_decision")
def record_decision(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: AssessorUser,
    entered: Annotated[DecisionForm, Form()],
) -> Response:
    """Record HR's decision; one against the recommended verdict is an override and needs a reason."""
    candidate = candidates.get(session, candidate_id)
    form = entered.model_dump()
    if entered.decision not in {str(k) for k in DecisionKind}:
        errors = {"decision": True}
        return _report_page(request, session, candidate_id, user, errors=errors, form=form, status_code=422)
    combined = reports.combined_result(session, candidate, i18n.negotiate(request))
    try:
        decisions.record(
            session,
            candidate=candidate,
            combined=combined,
            decision=DecisionKind(entered.decision),
            note=entered.note,
            reason=entered.reason,
            user_id=user.id,
            actor=accounts.actor_of(user),
            settings=settings,
            request_id=getattr(request.state, "request_id", None),
        )
    except Invalid as error:
        errors = {str(error.extra.get("field", "reason")): True}
        return _report_page(request, session, candidate_id, user, errors=errors, form=form, status_code=422)
    return _back(request, candidate_id, "decision")


class MentorChoiceForm(BaseModel):
    """The mentor chosen for the candidate's mentoring plan."""

    mentor_id: int = Field(ge=1, le=MAX_ID)


class EndAssignmentForm(BaseModel):
    """Where to go back to after ending an assignment: the candidate's report or the mentors page."""

    back: Literal["report", "mentors"] = "report"


@router.post("/hr/candidates/{candidate_id}/mentor", name="assign_mentor")
def assign_mentor(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: AssessorUser,
    form: Annotated[MentorChoiceForm, Form()],
) -> Response:
    """Give the candidate's mentoring plan to a mentor; a full or inactive mentor is refused (409)."""
    candidate = candidates.get(session, candidate_id)
    combined = reports.combined_result(session, candidate, i18n.negotiate(request))
    plan = (combined.result or {}).get("mentoring") or {}
    try:
        mentors.assign(
            session,
            mentor_id=form.mentor_id,
            candidate_id=candidate_id,
            plan={"discipline": plan.get("discipline"), "focus": plan.get("focus") or []},
            user_id=user.id,
            actor=accounts.actor_of(user),
        )
    except Conflict as error:
        errors = {"mentor": str(error.extra.get("reason", "capacity")), "mentor_detail": error.detail}
        return _report_page(request, session, candidate_id, user, errors=errors, status_code=409)
    return _back(request, candidate_id, "mentoring")


@router.post("/hr/mentor-assignments/{assignment_id}/end", name="end_mentor_assignment")
def end_mentor_assignment(
    request: Request,
    assignment_id: int,
    session: SessionDep,
    user: AssessorUser,
    form: Annotated[EndAssignmentForm, Form()],
) -> Response:
    """End a mentoring assignment, which frees a place with the mentor."""
    assignment = mentors.end_assignment(session, assignment_id, user_id=user.id, actor=accounts.actor_of(user))
    if form.back == "mentors":
        return RedirectResponse(request.url_for("hr_mentors"), status_code=303)
    return _back(request, assignment.candidate_id, "mentoring")
