"""Pages behind a personal link /t/{token}: consent, one section per page, review, submit, feedback."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app import i18n
from app.assessments import service as assessments
from app.assessments.conduct import Visit
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.deps import SessionDep, SettingsDep
from app.errors import Conflict, Invalid
from app.mail import organisation
from app.referees import networks
from app.referees import service as referees
from app.roles.models import Role
from app.scoring import model as m
from app.urls import url_for
from app.web import csrf
from app.web.candidate import conduct, consent, feedback, forms, guessing, items
from app.web.candidate.http import PrivatePageRoute
from app.web.templating import render

# Every /t/ route first refuses addresses that guess links (see guessing.py), then checks the form's CSRF token.
router = APIRouter(
    include_in_schema=False, route_class=PrivatePageRoute, dependencies=[Depends(guessing.guard), csrf.Protected]
)

# No length limits here: a mangled link must get the friendly 404 page (by_token refuses long ones), not a 422.
Token = Annotated[str, Path()]
SectionId = Annotated[str, Path()]


async def _form(request: Request) -> FormData:
    # The body is already in memory (app.middleware.RequestBodyMiddleware); parsing it on the event loop
    # lets the routes stay synchronous.
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


def _questionnaire(session: Session, assessment: Assessment) -> m.Questionnaire:
    return assessments.compiled_of(session, assessment).questionnaire


def _go(request: Request, name: str, **params: str) -> RedirectResponse:
    return RedirectResponse(url_for(request, name, **params), status_code=303)


def _done(assessment: Assessment) -> bool:
    return assessment.status == AssessmentStatus.COMPLETED


def _base(request: Request, assessment: Assessment, token: str) -> dict[str, Any]:
    return {"token": token, "assessment": assessment, "anonymous": assessment.mode == AssessmentMode.ANONYMOUS}


@router.get("/t/{token}", name="candidate_link")
def link(request: Request, session: SessionDep, token: Token) -> Response:
    """Open a personal link: the consent notice, the place to resume, or the feedback once submitted."""
    assessment = guessing.by_token(request, session, token)
    context = _base(request, assessment, token)
    if assessment.mode != AssessmentMode.ANONYMOUS:
        # Who invites, for which vacancy, and whom to ask: named on the candidate's pages.
        role = session.get(Role, assessment.role_id) if assessment.role_id is not None else None
        context |= {"organisation": organisation.get(session), "role_title": role.title if role else ""}
    if _done(assessment):
        if assessment.mode != AssessmentMode.ANONYMOUS and not assessment.feedback_to_candidate:
            return render(request, "candidate/thanks.html", context)
        lang = i18n.negotiate(request)
        result = assessments.localised_result(session, assessment, lang)
        if result is None:  # pragma: no cover - a completed assessment always has its result
            return render(request, "candidate/thanks.html", context)
        policy = assessments.compiled_of(session, assessment).policy
        context["feedback"] = feedback.build(result, policy.mentoring.target, lang)
        return render(request, "candidate/feedback.html", context)
    questionnaire = _questionnaire(session, assessment)
    if not consent.given(assessment):
        context["questionnaire"] = questionnaire
        return render(request, "candidate/consent.html", context)
    if assessment.current_section == assessments.REVIEW:
        return _go(request, "candidate_review", token=token)
    section = forms.resume_section(questionnaire, assessment.current_section)
    return _go(request, "candidate_section", token=token, section_id=section.id)


@router.post("/t/{token}", name="candidate_start")
def start(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Token,
    keep_longer: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Record the consent (and the optional consent to keep the data up to a year) and open the first section."""
    assessment = guessing.by_token(request, session, token)
    if not _done(assessment):
        consent.record(session, assessment, keep_longer=keep_longer == "yes")
        networks.record_candidate(session, settings, assessment, _address(request))
        session.commit()
    return _go(request, "candidate_link", token=token)


def _section_page(
    request: Request,
    session: Session,
    assessment: Assessment,
    token: str,
    section: m.Section,
    page: forms.PageInput | None = None,
    *,
    status_code: int = 200,
    held_back: bool = False,
    left_open: tuple[m.Section, int] | None = None,
    not_saved: bool = False,
) -> Response:
    compiled = assessments.compiled_of(session, assessment)
    questionnaire = compiled.questionnaire
    values = assessments.answers_of(session, assessment)
    if page is not None:
        values.update(page.shown)
    problems = page.problems if page else {}
    lang = i18n.negotiate(request)
    i18n.current_locale.set(lang)  # the questions are rendered here, before the page
    context = {
        **_base(request, assessment, token),
        "questionnaire": questionnaire,
        "section": section,
        "progress": forms.progress(questionnaire, section),
        "previous": forms.neighbour(questionnaire, section, -1),
        "problems": problems,
        "held_back": held_back,
        "left_open": left_open,
        "not_saved": not_saved,
        "first_number": forms.first_number(questionnaire, section),
        "item_html": items.section_items(
            request.app.state.templates,
            lang,
            compiled,
            section,
            values,
            problems,
            seed=assessment.option_seed,
            claims=referees.claims_in_questions(session, assessment, lang),
        ),
        "shown_at": conduct.shown_at(_secret(request), assessment, section),
    }
    return render(request, "candidate/section.html", context, status_code=status_code)


# Set when "Save and continue" left questions open on the step before: that step's id.
LEFT_OPEN = "from"


@router.get("/t/{token}/s/{section_id}", name="candidate_section")
def section_form(
    request: Request,
    session: SessionDep,
    token: Token,
    section_id: SectionId,
    left: Annotated[str, Query(alias=LEFT_OPEN)] = "",
) -> Response:
    """Show one section with the answers saved so far, and how many questions the step left behind has open."""
    assessment = guessing.by_token(request, session, token)
    if _done(assessment) or not consent.given(assessment):
        return _go(request, "candidate_link", token=token)
    questionnaire = _questionnaire(session, assessment)
    section = forms.section_of(questionnaire, section_id)
    left_open = _left_open(session, assessment, questionnaire, left)
    return _section_page(request, session, assessment, token, section, left_open=left_open)


def _left_open(
    session: Session, assessment: Assessment, questionnaire: m.Questionnaire, section_id: str
) -> tuple[m.Section, int] | None:
    # Counted now rather than carried in the address: what was answered since (in another tab) counts too,
    # and an edited address can at most show a true count for another step.
    left = next((s for s in questionnaire.sections if s.id == section_id), None)
    if left is None:
        return None
    count = forms.still_open(questionnaire, left, assessments.answers_of(session, assessment))
    return (left, count) if count else None


@router.post("/t/{token}/s/{section_id}", name="candidate_section_save")
@csrf.keeps_input
def section_save(request: Request, session: SessionDep, form: FormDep, token: Token, section_id: SectionId) -> Response:
    """Save a whole section (the form without JavaScript), then go on; problems re-show the page (422)."""
    assessment = guessing.by_token(request, session, token)
    if _done(assessment) or not consent.given(assessment):
        csrf.enforce(request)  # no open page to show again
        return _go(request, "candidate_link", token=token)
    questionnaire = _questionnaire(session, assessment)
    section = forms.section_of(questionnaire, section_id)
    page = forms.read_items(list(section.items), form, i18n.negotiate(request))
    if csrf.refused(request):
        # The form's token failed (the browser lost its cookie while the page was open): nothing is saved,
        # and the page comes back with what was typed and a fresh token, to be sent once more.
        typed = replace(page, problems={})  # checked when it is sent again; "your other answers are saved" is untrue
        return _section_page(request, session, assessment, token, section, typed, status_code=403, not_saved=True)
    backwards = form.get("go") == "back"
    target = forms.neighbour(questionnaire, section, -1 if backwards else 1)
    how = _how(request, form, assessment, section, list(section.items))
    if page.problems:
        # Back or forward, the page stays: an answer that cannot be saved lives only in the form, so leaving
        # would lose what was typed. The valid answers are saved all the same.
        _save(session, assessment, page.values, section.id, how)
        return _section_page(request, session, assessment, token, section, page, status_code=422, held_back=backwards)
    resume_at = target.id if target else (section.id if backwards else assessments.REVIEW)
    _save(session, assessment, page.values, resume_at, how)
    if target is not None and not backwards:
        # Moving on with questions open is allowed (they can be answered later); the next page says how many.
        answers = assessments.answers_of(session, assessment)
        if forms.still_open(questionnaire, section, answers):
            url = url_for(request, "candidate_section", token=token, section_id=target.id)
            return RedirectResponse(url.include_query_params(**{LEFT_OPEN: section.id}), status_code=303)
    if target is not None:
        return _go(request, "candidate_section", token=token, section_id=target.id)
    if backwards:
        return _go(request, "candidate_section", token=token, section_id=section.id)
    return _go(request, "candidate_review", token=token)


@router.post("/t/{token}/s/{section_id}/autosave", name="candidate_autosave")
def autosave(request: Request, session: SessionDep, form: FormDep, token: Token, section_id: SectionId) -> Response:
    """Save one question as it is answered (htmx) and return a short status for it."""
    assessment = guessing.by_token(request, session, token)
    item_id = _field(form.get("autosave_item"))
    section = forms.section_of(_questionnaire(session, assessment), section_id)
    item = next((i for i in section.items if i.id == item_id), None)
    if item is None:
        raise Invalid(f"autosave_item '{item_id}' is not a question of section '{section_id}'")
    if not consent.given(assessment) and not _done(assessment):
        raise Conflict("answers can be saved once the consent notice has been accepted")
    context: dict[str, Any] = {"item": item, "problem": None, "state": "saved"}
    page = forms.read_items([item], form, i18n.negotiate(request))
    try:
        _save(session, assessment, page.values, section.id, _how(request, form, assessment, section, [item]))
    except Conflict:
        # Submitted before (or while) this answer came in: it is not stored, and the page says so.
        context["state"] = "submitted"
        return render(request, "candidate/_autosave.html", context, status_code=409)
    if item.id in page.incomplete:
        context["state"] = "incomplete"
    elif item.id in page.problems:
        # 422 names the question; candidate.js still shows the message beside it.
        context.update(state="problem", problem=page.problems[item.id])
        return render(request, "candidate/_autosave.html", context, status_code=422)
    return render(request, "candidate/_autosave.html", context)


@dataclass(frozen=True)
class _How:
    """How a save's answers were given: the visit to the section page and the pasted free texts."""

    visit: Visit | None
    pasted: set[str]


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _how(request: Request, form: FormData, assessment: Assessment, section: m.Section, saved: list[m.Item]) -> _How:
    return _How(conduct.visit(_secret(request), form, assessment, section), conduct.pasted(form, saved))


def _save(session: Session, assessment: Assessment, values: dict[str, Any], section: str, how: _How) -> None:
    assessments.save_answers(session, assessment, values, section=section, visit=how.visit, pasted=how.pasted)
    # Committed at once, in this thread: the write lock is never held while a page renders.
    session.commit()


@router.get("/t/{token}/review", name="candidate_review")
def review(request: Request, session: SessionDep, token: Token) -> Response:
    """List what is still unanswered, with links to it, and offer to submit."""
    assessment = guessing.by_token(request, session, token)
    if _done(assessment) or not consent.given(assessment):
        return _go(request, "candidate_link", token=token)
    return _review_page(request, session, assessment, token)


def _review_page(
    request: Request, session: Session, assessment: Assessment, token: str, *, status_code: int = 200
) -> Response:
    questionnaire = _questionnaire(session, assessment)
    answers = assessments.answers_of(session, assessment)
    answered, total = forms.answered_count(questionnaire, answers)
    context = {
        **_base(request, assessment, token),
        "questionnaire": questionnaire,
        "outstanding": forms.outstanding(questionnaire, answers, i18n.negotiate(request)),
        "answered": answered,
        "total": total,
        "last_section": questionnaire.sections[-1],
    }
    return render(request, "candidate/review.html", context, status_code=status_code)


@router.post("/t/{token}/review", name="candidate_submit")
def submit(request: Request, session: SessionDep, settings: SettingsDep, token: Token) -> Response:
    """Submit once: a second click, tab or replayed request lands on the same feedback."""
    assessment = guessing.by_token(request, session, token)
    if not consent.given(assessment) and not _done(assessment):
        return _go(request, "candidate_link", token=token)
    try:
        assessments.submit(session, assessment, actor=consent.ACTOR)
    except Invalid:
        return _review_page(request, session, assessment, token, status_code=422)
    networks.record_submission(session, settings, assessment, _address(request))
    session.commit()
    return _go(request, "candidate_link", token=token)


def _address(request: Request) -> str | None:
    # The client address as uvicorn gives it: from X-Forwarded-For only behind a trusted proxy.
    return request.client.host if request.client else None


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""
