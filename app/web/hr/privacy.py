"""HR pages for the GDPR rights of one candidate: export their data, erase them on request."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.routing import NoMatchFound

from app.audit import service as audit
from app.candidates import service as candidates
from app.i18n import N_
from app.privacy import service as privacy
from app.urls import url_for
from app.web.hr.common import AdminHr, AssessorHr

router = APIRouter(include_in_schema=False)

CONFIRM_WORD = "erase"
CONFIRM_MESSAGE = N_("Tick the box to confirm that the data may be erased.")


@router.get("/hr/candidates/{candidate_id}/export.json", name="privacy_export")
def export(hr: AssessorHr, candidate_id: int) -> Response:
    """Download everything stored about one candidate as JSON."""
    candidate = candidates.get(hr.session, candidate_id)
    data = privacy.export_candidate(hr.session, candidate)
    audit.record(hr.session, candidate, actor=hr.user.email, action="candidate.exported", request_id=hr.request_id)
    filename = f"candidate-{candidate.id}.json"
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/hr/candidates/{candidate_id}/erase", name="privacy_erase_form")
def erase_form(hr: AdminHr, candidate_id: int) -> Response:
    """Ask for confirmation before erasing a candidate's personal data."""
    candidate = candidates.get(hr.session, candidate_id)
    return hr.page("hr/privacy/erase.html", {"candidate": candidate, "errors": {}})


class EraseForm(BaseModel):
    """The erasure form: the confirmation box's value."""

    confirm: str = Field("", max_length=50)


@router.post("/hr/candidates/{candidate_id}/erase", name="privacy_erase")
def erase(hr: AdminHr, candidate_id: int, form: Annotated[EraseForm, Form()]) -> Response:
    """Erase the candidate's personal data everywhere; their anonymous scores stay for norms."""
    candidate = candidates.get(hr.session, candidate_id)
    if form.confirm != CONFIRM_WORD:
        context = {"candidate": candidate, "errors": {"confirm": CONFIRM_MESSAGE}}
        return hr.page("hr/privacy/erase.html", context, status_code=422)
    privacy.erase_candidate(hr.session, candidate, actor=hr.user.email, reason="request")
    return RedirectResponse(_after_erase(hr.request, candidate_id), status_code=303)


def _after_erase(request: Request, candidate_id: int) -> str:
    # The candidate page belongs to the HR workspace; fall back to its list or start page.
    for name, params in (("hr_candidate", {"candidate_id": candidate_id}), ("hr_candidates", {}), ("hr_home", {})):
        try:
            return str(url_for(request, name, **params).include_query_params(erased=candidate_id))
        except NoMatchFound:
            continue
    return "/hr"
