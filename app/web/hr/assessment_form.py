"""The HR questionnaire form (structured candidate assessment, role assessment): autosaved, then completed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.candidates import service as candidates
from app.deps import SessionDep
from app.errors import Invalid, NotFound
from app.i18n import N_
from app.reports import interview
from app.reports import service as reports
from app.scoring import model as m
from app.scoring.answers import REQUIRED
from app.urls import url_for
from app.web.answer_messages import Message, problem_message
from app.web.hr.answers import HR_TYPES, NOT_OBSERVED, parse_form
from app.web.hr.common import AssessorHr, Hr
from app.web.templating import render

router = APIRouter(include_in_schema=False)


async def _form_data(request: Request) -> FormData:
    # The form's fields are the questionnaire's item ids, so they cannot be declared one by one. Reading
    # the body in an async dependency lets the handlers stay sync (database work runs in the threadpool).
    return await request.form()


FormDep = Annotated[FormData, Depends(_form_data)]


def _hr_assessment(session: SessionDep, assessment_id: str) -> Assessment:
    assessment = assessments.get(session, assessment_id)
    if assessment.mode != AssessmentMode.HR.value:
        raise NotFound(f"assessment '{assessment_id}' is not filled in by HR")
    return assessment


def _done_url(request: Request, assessment: Assessment) -> str:
    if assessment.candidate_id is not None:
        return str(url_for(request, "candidate_report", candidate_id=assessment.candidate_id))
    if assessment.role_id is not None:
        return str(url_for(request, "hr_role", role_id=assessment.role_id))
    return str(url_for(request, "hr_home"))


def _page(
    hr: Hr,
    assessment: Assessment,
    *,
    shown: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    request, session, lang = hr.request, hr.session, hr.lang
    compiled = assessments.compiled_of(session, assessment)
    candidate = candidates.get(session, assessment.candidate_id) if assessment.candidate_id is not None else None
    answers = assessments.answers_of(session, assessment) | (shown or {})
    items = {item.id: item for item in compiled.questionnaire.items()}
    return hr.page(
        "hr/assessments/form.html",
        {
            "assessment": assessment,
            "questionnaire": compiled.questionnaire,
            "labels": {item.id: item.text.get(lang) for item in compiled.questionnaire.items()},
            "candidate": candidate,
            "answers": answers,
            "problems": {
                item_id: _said(items.get(item_id), answers.get(item_id), problem, hr.lang)
                for item_id, problem in (problems or {}).items()
            },
            "hr_types": HR_TYPES,
            "not_observed": NOT_OBSERVED,
            "completed": assessment.status == AssessmentStatus.COMPLETED.value,
            "done_url": _done_url(request, assessment),
            "saved": request.query_params.get("saved") == "1",
            "guide_questions": interview.beside_scales(hr.settings.questions_dir, lang),
        },
        status_code=status_code,
    )


def _said(item: m.Item | None, value: Any, problem: str, lang: str) -> Message:
    """What HR reads beside a refused or missing answer, in the page's language (the checks speak English)."""
    if problem == REQUIRED:
        return Message(N_("Answer this question to complete the assessment."))
    if item is None:
        return Message(N_("Choose one of the options."))
    return problem_message(item, value, lang)


@router.post("/hr/candidates/{candidate_id}/hr-assessment", name="start_hr_assessment")
def start_hr_assessment(hr: AssessorHr, candidate_id: int, form: FormDep) -> Response:
    """Open the candidate's unfinished HR assessment, or start a new one, and go to its form."""
    candidate = candidates.get(hr.session, candidate_id)
    assessment = reports.start_hr_assessment(hr.session, candidate, language=hr.lang, actor=hr.actor)
    return RedirectResponse(url_for(hr.request, "hr_assessment_form", assessment_id=assessment.id), status_code=303)


@router.get("/hr/assessments/{assessment_id}/form", name="hr_assessment_form")
def hr_assessment_form(hr: AssessorHr, assessment_id: str) -> Response:
    """Show an HR questionnaire (about a candidate or a role) with the answers saved so far."""
    return _page(hr, _hr_assessment(hr.session, assessment_id))


@router.post("/hr/assessments/{assessment_id}/answers", name="hr_assessment_save")
def hr_assessment_save(hr: AssessorHr, assessment_id: str, form: FormDep) -> Response:
    """Save the answers sent (htmx autosave or the Save button); invalid ones are reported, valid ones kept."""
    request, session = hr.request, hr.session
    assessment = _hr_assessment(session, assessment_id)
    questionnaire = assessments.compiled_of(session, assessment).questionnaire
    values = parse_form(questionnaire, form, hr.lang)
    problems = assessments.save_answers(session, assessment, values)
    session.commit()  # the valid answers are stored before the reply says so
    if request.headers.get("hx-request"):
        labels = {item.id: item.text.get(hr.lang) for item in questionnaire.items()}
        return render(
            request,
            "hr/assessments/_saved.html",
            {"problems": problems, "labels": labels},
            status_code=422 if problems and len(problems) == len(values) else 200,
        )
    if problems:
        return _page(hr, assessment, shown=values, problems=problems, status_code=422)
    target = url_for(request, "hr_assessment_form", assessment_id=assessment.id).include_query_params(saved="1")
    return RedirectResponse(target, status_code=303)


@router.post("/hr/assessments/{assessment_id}/complete", name="hr_assessment_complete")
def hr_assessment_complete(hr: AssessorHr, assessment_id: str, form: FormDep) -> Response:
    """Save the last answers, then score and close the assessment (once; a second click changes nothing)."""
    session = hr.session
    assessment = _hr_assessment(session, assessment_id)
    if assessment.status != AssessmentStatus.COMPLETED.value:
        questionnaire = assessments.compiled_of(session, assessment).questionnaire
        values = parse_form(questionnaire, form, hr.lang)
        problems = assessments.save_answers(session, assessment, values)
        if problems:
            session.commit()  # the valid answers are kept, and stored before the page is rendered
            return _page(hr, assessment, shown=values, problems=problems, status_code=422)
        try:
            assessments.submit(session, assessment, actor=hr.actor)
        except Invalid as error:
            missing = dict(error.extra.get("errors") or {})
            return _page(hr, assessment, problems=missing, status_code=422)
    return RedirectResponse(_done_url(hr.request, assessment), status_code=303)
