"""The mentor registry: list mentors with their free places, add one, take one out of the pool."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import Field, ValidationError

from app.errors import Invalid
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.scoring.model import Discipline
from app.urls import url_for
from app.web.hr.common import ActiveForm, AssessorHr, CurrentHr, Hr, PersonForm, field_errors, validation_errors

router = APIRouter(include_in_schema=False)


class MentorForm(PersonForm):
    """The new-mentor form as entered (numbers as typed); MentorCreate checks it."""

    discipline: str = Field("", max_length=16)
    years_experience: str = Field("", max_length=4)
    capacity: str = Field("", max_length=4)
    languages: list[str] = Field(default_factory=list)


def _page(
    hr: Hr, *, errors: dict[str, str] | None = None, form: dict[str, object] | None = None, status_code: int = 200
) -> Response:
    return hr.page(
        "hr/mentors/list.html",
        {
            "rows": mentors.registry(hr.session),
            "running": mentors.running_assignments(hr.session),
            "disciplines": list(Discipline),
            "errors": errors or {},
            "form": form or {"languages": ["nl", "en"], "capacity": 2},
        },
        status_code=status_code,
    )


@router.get("/hr/mentors", name="hr_mentors")
def mentor_list(hr: CurrentHr) -> Response:
    """List the registered mentors with their running assignments and free places."""
    return _page(hr)


@router.post("/hr/mentors", name="mentor_create")
def mentor_create(hr: AssessorHr, entered: Annotated[MentorForm, Form()]) -> Response:
    """Register a senior marketing, communication or PR professional as a mentor."""
    form = entered.model_dump()
    try:
        data = MentorCreate.model_validate(form)
        mentors.create(hr.session, data, actor=hr.actor)
    except ValidationError as error:
        # Each field's own message beside it ("Enter a whole number."), in the reader's language.
        return _page(hr, errors=validation_errors(error), form=form, status_code=422)
    except Invalid as error:
        return _page(hr, errors=field_errors(error), form=form, status_code=422)
    return RedirectResponse(url_for(hr.request, "hr_mentors"), status_code=303)


@router.post("/hr/mentors/{mentor_id}/active", name="mentor_set_active")
def mentor_set_active(hr: AssessorHr, mentor_id: int, form: Annotated[ActiveForm, Form()]) -> Response:
    """Take a mentor out of the pool for new assignments, or back in."""
    mentors.set_active(hr.session, mentors.get(hr.session, mentor_id), form.active, actor=hr.actor)
    return RedirectResponse(url_for(hr.request, "hr_mentors"), status_code=303)
