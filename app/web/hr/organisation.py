"""The organisation's name, colour, contact person and message texts (admins), with a preview of the mail."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session

from app.db import utcnow
from app.deps import SessionDep
from app.i18n import N_
from app.mail import organisation
from app.mail import service as mail
from app.mail.models import Organisation
from app.web.hr.common import AdminHr, Hr, validation_errors

router = APIRouter(include_in_schema=False)


class OrganisationPageForm(organisation.OrganisationFields):
    """The organisation page's form: the settings as entered and the box that removes the logo."""

    remove_logo: bool = False


SAMPLE_ROLE = N_("Communications adviser")


def _previews(session: Session, org: Organisation) -> dict[str, dict[str, tuple[str, str]]]:
    """The invitation and reminder as a candidate would read them (a sample vacancy, expiry in 14 days)."""
    expires = utcnow() + dt.timedelta(days=14)
    return {
        lang: {
            kind: mail.compose(
                session,
                kind,
                None,
                "Sanne",
                lang,
                expires_at=expires,
                org=org,
                role_title=mail.translate(SAMPLE_ROLE, lang),
            )
            for kind in (mail.KIND_INVITATION, mail.KIND_REMINDER)
        }
        for lang in ("nl", "en")
    }


def _page(hr: Hr, values: dict[str, str], errors: dict[str, str]) -> Response:
    org = organisation.get(hr.session)
    context = {"values": values, "errors": errors, "previews": _previews(hr.session, org), "has_logo": bool(org.logo)}
    return hr.page("hr/organisation.html", context, status_code=422 if errors else 200)


@router.get("/hr/organisation", name="hr_organisation")
def organisation_form(hr: AdminHr) -> Response:
    """Show the organisation's settings and a preview of the e-mails as saved."""
    org = organisation.get(hr.session)
    values = {name: str(getattr(org, name)) for name in organisation.OrganisationFields.model_fields}
    return _page(hr, values, {})


@router.post("/hr/organisation", name="hr_organisation_save")
def organisation_save(
    hr: AdminHr,
    form: Annotated[OrganisationPageForm, Form()],
    logo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Save the organisation's settings; a bad field is named and what was typed is kept."""
    values = form.model_dump(exclude={"remove_logo"})
    try:
        checked = organisation.OrganisationForm.model_validate(values)
    except ValidationError as error:
        return _page(hr, values, validation_errors(error))
    data = logo.file.read(organisation.MAX_LOGO_BYTES + 1) if logo is not None and logo.filename else None
    problem = organisation.logo_problem(data) if data is not None else None
    if problem is not None:
        return _page(hr, values, {"logo": problem})
    organisation.save(hr.session, checked)
    if data is not None or form.remove_logo:
        organisation.set_logo(hr.session, data)
    return hr.see_other("hr_organisation", query={"saved": "1"})


@router.get("/organisation/logo", name="organisation_logo")
def organisation_logo(request: Request, session: SessionDep) -> Response:
    """The organisation's logo, with the type it was checked to be (never sniffed, never a script)."""
    org = organisation.get(session)
    if not org.logo or not org.logo_type:
        return Response(status_code=404)
    # Every HR page shows the logo: a browser asks whether it changed (no-cache) and gets 304 while it has not.
    etag = '"' + hashlib.sha256(org.logo).hexdigest()[:32] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(org.logo, media_type=org.logo_type, headers=headers | {"Content-Disposition": "inline"})


@router.get("/organisation.css", name="organisation_css")
def organisation_css(session: SessionDep) -> Response:
    """The organisation's colour for the candidate's pages (a stylesheet: the CSP allows no inline styles)."""
    colour = organisation.get(session).colour
    # Only a validated #rrggbb ever gets here (organisation.OrganisationForm), so nothing can break out.
    css = (
        f".candidate {{ --org-colour: {colour}; }}\n"
        ".invited-by, #next-steps-title { border-left: .3rem solid var(--org-colour); padding-left: .6rem; }\n"
        if organisation.COLOUR.match(colour)
        else ""
    )
    return Response(css, media_type="text/css", headers={"Cache-Control": "no-cache"})
