"""Candidates in the HR workspace: list with filters and CSV export, create, edit and detail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from app import i18n
from app.accounts.deps import AssessorUser, CurrentUser
from app.accounts.models import User
from app.assessments import service as assessments_service
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate, CandidateKind, CandidateUpdate
from app.deps import SessionDep
from app.errors import Conflict, Invalid, NotFound
from app.i18n import N_
from app.inputs import MAX_ID
from app.mail import service as mail
from app.reports import decisions
from app.reports.headline import number
from app.roles import service as roles
from app.web.hr import exports, labels, oncelink
from app.web.hr.common import actor, field_errors, optional_url, page, see_other, validation_errors
from app.web.hr.listing import CandidateFilters, CandidateQuery
from app.web.links import base_url_mismatch

router = APIRouter(include_in_schema=False)


@router.get("/hr/candidates", name="hr_candidates")
def candidate_list(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    listed: CandidateFilters,
    after: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """List candidates with filters (role, status, verdict), search, sorting and keyset pages."""
    filters = listed.filters()
    result = candidates.list_candidates(session, after=after, limit=50, **filters)
    query = listed.shown()
    # htmx (the filter form) swaps only the results; a normal request gets the whole page.
    template = "hr/candidates/_results.html" if request.headers.get("hx-request") else "hr/candidates/list.html"
    return page(
        request,
        user,
        template,
        {
            "page": result,
            "roles": {r.id: r for r in roles.all_roles(session)},
            "filters": listed.shown(),
            "query": query,
            "statuses": candidates.STATUSES,
            "verdicts": candidates.VERDICTS,
            "sorts": candidates.SORTS,
            "first_page": after is None,
            "decisions": decisions.latest_for(session, [c.id for c in result.items if c.id is not None]),
            "invitation_mail": mail.invitation_mail_per_candidate(
                session, [c.id for c in result.items if c.id is not None]
            ),
            "labels": labels,  # the mail-state texts (hr/_mail_state.html)
            "number": lambda value: number(value, i18n.negotiate(request)),
        },
    )


def export_detail(filters: dict[str, Any]) -> dict[str, Any]:
    """Describe an export for the audit log: the fixed filters, and only whether a search text was used.

    The audit log cannot be changed, so free-form text (a name, an e-mail address) must never enter it:
    erasure could not remove it.
    """
    fixed = {k: v for k, v in filters.items() if k != "q" and v is not None}
    return {"filters": fixed, "searched": filters.get("q") is not None}


def _export(request: Request, session: SessionDep, user: User, listed: CandidateQuery, kind: str) -> Response:
    filters = listed.filters()
    # Check the filters before the file is made: a bad one is a 422 page, not a broken file.
    candidates.list_candidates(session, limit=1, **filters)
    audit.record(
        session, actor=actor(user), action="candidates.exported", detail=export_detail(filters) | {"format": kind}
    )
    lang = i18n.negotiate(request)
    export = exports.Export(lang, i18n.load_translations()[lang].gettext)
    # Made in full before the first byte goes out: the session ends before the response is sent, so no
    # transaction stays open while the client downloads (a few MB for 100,000 candidates).
    if kind == "xlsx":
        body: bytes | str = exports.as_xlsx(session, filters, export)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = "".join(exports.as_csv(session, filters, export))
        media = "text/csv; charset=utf-8"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="candidates.{kind}"'}
    )


@router.get("/hr/candidates.csv", name="hr_candidates_csv")
def candidate_csv(request: Request, session: SessionDep, user: CurrentUser, listed: CandidateFilters) -> Response:
    """Download the candidates list, as filtered on screen, as CSV in the user's language and number format."""
    return _export(request, session, user, listed, "csv")


@router.get("/hr/candidates.xlsx", name="hr_candidates_xlsx")
def candidate_xlsx(request: Request, session: SessionDep, user: CurrentUser, listed: CandidateFilters) -> Response:
    """Download the candidates list, as filtered on screen, as an Excel workbook with typed cells."""
    return _export(request, session, user, listed, "xlsx")


def _form(
    request: Request, user: User, session: SessionDep, values: dict[str, Any], errors: dict[str, str], **extra: Any
) -> Response:
    return page(
        request,
        user,
        "hr/candidates/form.html",
        {"values": values, "errors": errors, "roles": roles.all_roles(session), **extra},
        status_code=422 if errors else 200,
    )


CandidateFields = dict[str, Any]


@router.get("/hr/candidates/new", name="hr_candidate_new")
def candidate_new(request: Request, session: SessionDep, user: AssessorUser, role_id: int | None = None) -> Response:
    """Show the form for a new candidate."""
    values = {"language": "en", "kind": "applicant", "role_id": role_id}
    return _form(request, user, session, values, {}, candidate=None)


class CandidateFormModel(BaseModel):
    """The candidate form's fields as entered; CandidateCreate and CandidateUpdate check them."""

    first_name: str = Field("", max_length=200)
    last_name: str = Field("", max_length=200)
    email: str = Field("", max_length=320)
    language: str = Field("en", max_length=8)
    kind: str = Field(CandidateKind.APPLICANT.value, max_length=16)
    role_id: str = Field("", max_length=20)
    external_ref: str = Field("", max_length=200)

    def values(self) -> CandidateFields:
        """Return the fields for the service, the role as a number (or None)."""
        role = self.role_id.strip()
        # A number beyond the id range names no role: -1 makes the lookup say so instead of overflowing.
        role_id = (int(role) if int(role) <= MAX_ID else -1) if role.isdigit() else None
        return self.model_dump() | {"role_id": role_id}


def _candidate_form(form: Annotated[CandidateFormModel, Form()]) -> CandidateFields:
    return form.values()


CandidateForm = Annotated[CandidateFields, Depends(_candidate_form)]


def _save(
    request: Request, session: SessionDep, user: User, values: CandidateFields, candidate: Candidate | None
) -> Response:
    """Create (``candidate`` None) or update a candidate; show the form again with the errors when it fails."""
    try:
        if values["role_id"] is not None:
            roles.get(session, values["role_id"])
        if candidate is None:
            created = candidates.create(session, CandidateCreate.model_validate(values), actor=actor(user))
            return see_other(request, "hr_candidate", candidate_id=created.id)
        candidates.update(session, candidate, CandidateUpdate.model_validate(values), actor=actor(user))
        return see_other(request, "hr_candidate", candidate_id=candidate.id, query={"saved": "1"})
    except ValidationError as error:
        errors = validation_errors(error)
    except (Invalid, Conflict) as error:
        errors = field_errors(error)
    except NotFound:
        errors = {"role_id": "this role does not exist"}
    if candidate is not None:
        session.refresh(candidate)  # the page shows the saved candidate beside the rejected values
    return _form(request, user, session, values, errors, candidate=candidate)


@router.post("/hr/candidates", name="hr_candidate_create")
def candidate_create(
    request: Request,
    session: SessionDep,
    user: AssessorUser,
    values: CandidateForm,
) -> Response:
    """Create a candidate and open their page."""
    return _save(request, session, user, values, candidate=None)


@router.get("/hr/candidates/{candidate_id}/edit", name="hr_candidate_edit")
def candidate_edit(request: Request, session: SessionDep, user: AssessorUser, candidate_id: int) -> Response:
    """Show the form that changes a candidate (an erased candidate is read-only: 410)."""
    candidate = candidates.get(session, candidate_id)
    candidates.ensure_not_erased(candidate)
    values = candidate.model_dump()
    return _form(request, user, session, values, {}, candidate=candidate)


@router.post("/hr/candidates/{candidate_id}/edit", name="hr_candidate_update")
def candidate_update(
    request: Request,
    session: SessionDep,
    user: AssessorUser,
    candidate_id: int,
    values: CandidateForm,
) -> Response:
    """Save changes to a candidate."""
    return _save(request, session, user, values, candidates.get(session, candidate_id))


EXTRA_LINKS = (
    ("candidate_report", N_("Report")),
    ("hr_interview_guide", N_("Interview guide")),
    ("hr_referees", N_("Referees")),
    ("privacy_export", N_("Export personal data")),
    ("privacy_erase_form", N_("Erase personal data")),
)


def detail_context(request: Request, session: SessionDep, candidate: Candidate) -> dict[str, Any]:
    """Return what the candidate page shows (also used to re-render it with invitation errors)."""
    assessments = candidates.list_assessments(session, candidate_id=candidate.id, limit=200).items
    links = [(label, optional_url(request, name, candidate_id=candidate.id)) for name, label in EXTRA_LINKS]
    return {
        "candidate": candidate,
        "role": roles.get(session, candidate.role_id) if candidate.role_id else None,
        "assessments": assessments,
        "questionnaires": {a.id: assessments_service.version_of(session, a).questionnaire_id for a in assessments},
        "labels": labels,
        "extra_links": [(label, url) for label, url in links if url],
        "new_link": None,
        "mail_states": mail.latest_per_assessment(session, [a.id for a in assessments]),
        "base_url_mismatch": base_url_mismatch(request, request.app.state.settings),
        "invite_errors": {},
        "invite_values": {"expires_in_days": 14, "feedback_to_candidate": True, "send": bool(candidate.email)},
    }


@router.get("/hr/candidates/{candidate_id}", name="hr_candidate")
def candidate_detail(request: Request, session: SessionDep, user: CurrentUser, candidate_id: int) -> Response:
    """Show a candidate with their assessments and invitations."""
    candidate = candidates.get(session, candidate_id)
    # GDPR: who saw a candidate's personal data is part of the audit trail.
    audit.record(session, candidate, actor=actor(user), action="candidate.viewed")
    context = detail_context(request, session, candidate)
    context["new_link"] = oncelink.take(request)
    response = page(request, user, "hr/candidates/detail.html", context)
    oncelink.forget(request, response)
    return response
