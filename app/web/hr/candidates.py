"""Candidates in the HR workspace: list with filters and CSV export, create, edit and detail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from app import emails, i18n
from app.assessments import service as assessments_service
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate, CandidateKind, CandidateUpdate
from app.errors import Conflict, Invalid, NotFound
from app.i18n import N_
from app.inputs import MAX_ID
from app.mail import service as mail
from app.reports import decisions
from app.reports.headline import number
from app.roles import service as roles
from app.web.hr import exports, labels, oncelink
from app.web.hr.common import AssessorHr, CurrentHr, Hr, field_errors, optional_url, validation_errors
from app.web.hr.listing import CandidateFilters, CandidateQuery
from app.web.links import base_url_mismatch

router = APIRouter(include_in_schema=False)
NO_SUCH_ROLE = N_("This role does not exist.")


@router.get("/hr/candidates", name="hr_candidates")
def candidate_list(
    hr: CurrentHr,
    listed: CandidateFilters,
    after: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """List candidates with filters (role, status, verdict), search, sorting and keyset pages."""
    session = hr.session
    filters = listed.filters()
    result = candidates.list_candidates(session, after=after, limit=50, **filters)
    query = listed.shown()
    # htmx (the filter form) swaps only the results; a normal request gets the whole page.
    template = "hr/candidates/_results.html" if hr.request.headers.get("hx-request") else "hr/candidates/list.html"
    return hr.page(
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
            "number": lambda value: number(value, hr.lang),
        },
    )


def export_detail(filters: dict[str, Any]) -> dict[str, Any]:
    """Describe an export for the audit log: the fixed filters, and only whether a search text was used.

    The audit log cannot be changed, so free-form text (a name, an e-mail address) must never enter it:
    erasure could not remove it.
    """
    fixed = {k: v for k, v in filters.items() if k != "q" and v is not None}
    return {"filters": fixed, "searched": filters.get("q") is not None}


def _export(hr: Hr, listed: CandidateQuery, kind: str) -> Response:
    session = hr.session
    filters = listed.filters()
    # Check the filters before the file is made: a bad one is a 422 page, not a broken file.
    candidates.list_candidates(session, limit=1, **filters)
    audit.record(
        session, actor=hr.actor, action="candidates.exported", detail=export_detail(filters) | {"format": kind}
    )
    lang = hr.lang
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
def candidate_csv(hr: CurrentHr, listed: CandidateFilters) -> Response:
    """Download the candidates list, as filtered on screen, as CSV in the user's language and number format."""
    return _export(hr, listed, "csv")


@router.get("/hr/candidates.xlsx", name="hr_candidates_xlsx")
def candidate_xlsx(hr: CurrentHr, listed: CandidateFilters) -> Response:
    """Download the candidates list, as filtered on screen, as an Excel workbook with typed cells."""
    return _export(hr, listed, "xlsx")


def _form(hr: Hr, values: dict[str, Any], errors: dict[str, str], **extra: Any) -> Response:
    return hr.page(
        "hr/candidates/form.html",
        {"values": values, "errors": errors, "roles": roles.all_roles(hr.session), **extra},
        status_code=422 if errors else 200,
    )


CandidateFields = dict[str, Any]


@router.get("/hr/candidates/new", name="hr_candidate_new")
def candidate_new(hr: AssessorHr, role_id: int | None = None) -> Response:
    """Show the form for a new candidate, in the language the HR user reads the page in."""
    # The language decides the invitation's and the test's language: an untouched select must not
    # quietly turn a Dutch page's candidate into an English one (the role form does the same).
    values = {"language": hr.lang, "kind": "applicant", "role_id": role_id}
    return _form(hr, values, {}, candidate=None)


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


def _address_error(values: CandidateFields) -> dict[str, str]:
    """Return the e-mail field's problem as the service would name it, or nothing for a blank or good address."""
    address = str(values.get("email") or "").strip()
    try:
        if address:
            emails.checked(address)
    except Invalid as error:
        return field_errors(error)
    return {}


def _save(hr: Hr, values: CandidateFields, candidate: Candidate | None) -> Response:
    """Create (``candidate`` None) or update a candidate; show the form again with the errors when it fails."""
    session = hr.session
    try:
        if values["role_id"] is not None:
            roles.get(session, values["role_id"])
        if candidate is None:
            created = candidates.create(session, CandidateCreate.model_validate(values), actor=hr.actor)
            return hr.see_other("hr_candidate", candidate_id=created.id)
        candidates.update(session, candidate, CandidateUpdate.model_validate(values), actor=hr.actor)
        return hr.see_other("hr_candidate", candidate_id=candidate.id, query={"saved": "1"})
    except ValidationError as error:
        # pydantic stops before the service reads the address: name a bad one now too, not on the next try.
        errors = _address_error(values) | validation_errors(error)
    except (Invalid, Conflict) as error:
        errors = field_errors(error)
    except NotFound:
        errors = {"role_id": i18n.translate(NO_SUCH_ROLE)}
    if candidate is not None:
        session.refresh(candidate)  # the page shows the saved candidate beside the rejected values
    return _form(hr, values, errors, candidate=candidate)


@router.post("/hr/candidates", name="hr_candidate_create")
def candidate_create(hr: AssessorHr, values: CandidateForm) -> Response:
    """Create a candidate and open their page."""
    return _save(hr, values, candidate=None)


@router.get("/hr/candidates/{candidate_id}/edit", name="hr_candidate_edit")
def candidate_edit(hr: AssessorHr, candidate_id: int) -> Response:
    """Show the form that changes a candidate (an erased candidate is read-only: 410)."""
    candidate = candidates.get(hr.session, candidate_id)
    candidates.ensure_not_erased(candidate)
    values = candidate.model_dump(include=set(CandidateFormModel.model_fields))  # the fields the form edits
    return _form(hr, values, {}, candidate=candidate)


@router.post("/hr/candidates/{candidate_id}/edit", name="hr_candidate_update")
def candidate_update(hr: AssessorHr, candidate_id: int, values: CandidateForm) -> Response:
    """Save changes to a candidate."""
    return _save(hr, values, candidates.get(hr.session, candidate_id))


EXTRA_LINKS = (
    ("candidate_report", N_("Report")),
    ("hr_interview_guide", N_("Interview guide")),
    ("hr_referees", N_("Referees")),
    ("privacy_export", N_("Export personal data")),
    ("privacy_erase_form", N_("Erase personal data")),
)


def detail_context(hr: Hr, candidate: Candidate) -> dict[str, Any]:
    """Return what the candidate page shows (also used to re-render it with invitation errors)."""
    request, session = hr.request, hr.session
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
        "base_url_mismatch": base_url_mismatch(request, hr.settings),
        "invite_errors": {},
        "invite_values": {"expires_in_days": 14, "feedback_to_candidate": True, "send": bool(candidate.email)},
    }


@router.get("/hr/candidates/{candidate_id}", name="hr_candidate")
def candidate_detail(hr: CurrentHr, candidate_id: int) -> Response:
    """Show a candidate with their assessments and invitations."""
    candidate = candidates.get(hr.session, candidate_id)
    # GDPR: who saw a candidate's personal data is part of the audit trail.
    audit.record(hr.session, candidate, actor=hr.actor, action="candidate.viewed")
    context = detail_context(hr, candidate)
    context["new_link"] = oncelink.take(hr.request)
    response = hr.page("hr/candidates/detail.html", context)
    oncelink.forget(hr.request, response)
    return response
