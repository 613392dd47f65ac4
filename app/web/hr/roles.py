"""Roles (vacancies) in the HR workspace: list, create, edit, detail with the role assessment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from app import i18n
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.errors import Invalid
from app.roles import service as roles
from app.roles.models import Role, RoleCreate
from app.urls import url_for
from app.web.hr.common import AssessorHr, CurrentHr, Hr, field_errors, optional_url, validation_errors

router = APIRouter(include_in_schema=False)


@router.get("/hr/roles", name="hr_roles")
def role_list(hr: CurrentHr, after: str | None = None) -> Response:
    """List the roles by title, a page at a time."""
    result = roles.list_roles(hr.session, after=after, limit=50)
    return hr.page("hr/roles/list.html", {"page": result, "first_page": after is None})


def _form(hr: Hr, values: dict[str, Any], errors: dict[str, str], role: Role | None = None) -> Response:
    context = {"values": values, "errors": errors, "role": role}
    return hr.page("hr/roles/form.html", context, status_code=422 if errors else 200)


@router.get("/hr/roles/new", name="hr_role_new")
def role_new(hr: AssessorHr) -> Response:
    """Show the form for a new role."""
    return _form(hr, {"language": hr.lang}, {})


class RoleForm(BaseModel):
    """The role form's fields as entered; the service's RoleCreate checks them."""

    title: str = Field("", max_length=200)
    department: str = Field("", max_length=200)
    description: str = Field("", max_length=10_000)
    language: str = Field("en", max_length=8)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.strip(),
            "department": self.department.strip() or None,
            "description": self.description.strip() or None,
            "language": self.language,
        }


RoleFormData = Annotated[RoleForm, Form()]


def _validate(values: dict[str, Any]) -> RoleCreate:
    data = RoleCreate.model_validate(values)
    i18n.check_language(data.language)
    return data


def _save(hr: Hr, form: RoleForm, role: Role | None) -> Response:
    """Create (``role`` None) or update a role; show the form again with the errors when it fails."""
    values = form.values()
    try:
        if role is None:
            created = roles.create(hr.session, _validate(values), actor=hr.actor, user_id=hr.user.id)
            return hr.see_other("hr_role", role_id=created.id)
        roles.update(hr.session, role, _validate(values), actor=hr.actor)
        return hr.see_other("hr_role", role_id=role.id, query={"saved": "1"})
    except ValidationError as error:
        return _form(hr, values, validation_errors(error), role)
    except Invalid as error:
        return _form(hr, values, field_errors(error), role)


@router.post("/hr/roles", name="hr_role_create")
def role_create(hr: AssessorHr, form: RoleFormData) -> Response:
    """Create a role and open its page."""
    return _save(hr, form, None)


@router.get("/hr/roles/{role_id}/edit", name="hr_role_edit")
def role_edit(hr: AssessorHr, role_id: int) -> Response:
    """Show the form that changes a role."""
    role = roles.get(hr.session, role_id)
    return _form(hr, role.model_dump(), {}, role)


@router.post("/hr/roles/{role_id}/edit", name="hr_role_update")
def role_update(hr: AssessorHr, role_id: int, form: RoleFormData) -> Response:
    """Save changes to a role."""
    return _save(hr, form, roles.get(hr.session, role_id))


@router.get("/hr/roles/{role_id}", name="hr_role")
def role_detail(hr: CurrentHr, role_id: int) -> Response:
    """Show a role with the risks and advice of its latest role assessment."""
    request, session = hr.request, hr.session
    role = roles.get(session, role_id)
    latest = roles.latest_role_assessment(session, role)
    result = assessments.localised_result(session, latest, hr.lang) if latest else None
    open_one = roles.open_role_assessment(session, role)
    context = {
        "role": role,
        "assessment": latest,
        "role_result": (result or {}).get("role"),
        "open_assessment": open_one,
        "open_url": _form_url(request, open_one.id) if open_one else None,
        "compare_url": optional_url(request, "role_compare", role_id=role.id),
        "candidates_url": url_for(request, "hr_candidates").include_query_params(role_id=role.id),
    }
    return hr.page("hr/roles/detail.html", context)


def _form_url(request: Request, assessment_id: str) -> str:
    # The HR questionnaire form belongs to the HR-reports part of the workspace.
    return optional_url(request, "hr_assessment_form", assessment_id=assessment_id) or (
        f"/hr/assessments/{assessment_id}/form"
    )


@router.post("/hr/roles/{role_id}/assess", name="hr_role_assess")
def role_assess(hr: AssessorHr, role_id: int) -> Response:
    """Start (or continue) the role assessment of this role and open its form."""
    role = roles.get(hr.session, role_id)
    existing = roles.open_role_assessment(hr.session, role)
    if existing is None:
        existing = assessments.create(
            hr.session,
            questionnaire_id=roles.ROLE_ASSESSMENT_ID,
            mode=AssessmentMode.HR,
            language=role.language if role.language in i18n.SUPPORTED else hr.lang,
            actor=hr.actor,
            role_id=role.id,
        ).assessment
    return RedirectResponse(_form_url(hr.request, existing.id), status_code=303)
