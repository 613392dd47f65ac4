"""The organisation that invites: named in its e-mails and on the candidate's pages (a mail without it
looks like phishing). One row; its texts replace the default opening of the invitation and reminder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session, col, select

from app import emails
from app.db import utcnow
from app.errors import Invalid
from app.i18n import N_
from app.mail.models import Organisation

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Fixed messages (translated where the form shows them).
BAD_COLOUR = N_("Use a colour like #1a5fb4: # and six hexadecimal digits.")
BAD_EMAIL = N_("This is not one e-mail address.")
TOO_LONG = N_("At most 200 characters.")
TEXT_TOO_LONG = N_("At most 4,000 characters.")


# A field as entered: any length up to 10,000 (OrganisationForm checks the rest).
Entered = Annotated[str, Field(max_length=10_000)]


class OrganisationFields(BaseModel):
    """The organisation form as entered (any length up to 10,000; OrganisationForm checks the rest)."""

    name: Entered = ""
    colour: Entered = ""
    contact_name: Entered = ""
    contact_email: Entered = ""
    invitation_text_nl: Entered = ""
    invitation_text_en: Entered = ""
    reminder_text_nl: Entered = ""
    reminder_text_en: Entered = ""


class OrganisationForm(OrganisationFields):
    """What an admin sets, checked; blank fields mean "not set"."""

    @field_validator("*", mode="before")
    @classmethod
    def _trim(cls, value: object) -> object:
        return value.strip().replace("\r\n", "\n") if isinstance(value, str) else value

    @field_validator("name", "contact_name")
    @classmethod
    def _short(cls, value: str) -> str:
        if len(value) > 200:
            raise ValueError(TOO_LONG)
        return value

    @field_validator("invitation_text_nl", "invitation_text_en", "reminder_text_nl", "reminder_text_en")
    @classmethod
    def _text(cls, value: str) -> str:
        if len(value) > 4000:
            raise ValueError(TEXT_TOO_LONG)
        return value

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if value and not COLOUR.match(value):
            raise ValueError(BAD_COLOUR)
        return value.lower()

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            return emails.checked(value, "contact_email") if value else value
        except Invalid:
            raise ValueError(BAD_EMAIL) from None


def get(session: Session) -> Organisation:
    """Return the organisation (blank until an admin sets it; not stored until then)."""
    return session.get(Organisation, 1) or Organisation(id=1)


@dataclass(frozen=True)
class Brand:
    """What the HR workspace's header shows of the organisation: its name and whether it has a logo."""

    name: str
    has_logo: bool


def brand(session: Session) -> Brand:
    """Return the organisation's name and whether a logo is set, without loading the logo itself."""
    row = session.exec(
        select(Organisation.name, col(Organisation.logo).is_not(None)).where(Organisation.id == 1)
    ).first()
    return Brand(name=row[0], has_logo=bool(row[1])) if row else Brand(name="", has_logo=False)


def save(session: Session, form: OrganisationForm) -> Organisation:
    """Store the organisation's settings."""
    organisation = session.get(Organisation, 1) or Organisation(id=1)
    for name, value in form.model_dump().items():
        setattr(organisation, name, value)
    organisation.updated_at = utcnow()
    session.add(organisation)
    session.flush()
    return organisation


def text(organisation: Organisation, kind: str, language: str) -> str:
    """Return the organisation's own opening for kind ("invitation" or "reminder") in language, or ""."""
    return str(getattr(organisation, f"{kind}_text_{'nl' if language == 'nl' else 'en'}", ""))


MAX_LOGO_BYTES = 200_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_TOO_BIG = N_("The logo is larger than 200 kB.")
LOGO_NOT_IMAGE = N_("The logo must be a PNG or JPEG image.")


def logo_problem(data: bytes) -> str | None:
    """Return why data cannot be the logo (a fixed message id), or None."""
    if len(data) > MAX_LOGO_BYTES:
        return LOGO_TOO_BIG
    if not any(data.startswith(magic) for magic in LOGO_TYPES):
        return LOGO_NOT_IMAGE
    return None


def set_logo(session: Session, data: bytes | None) -> None:
    """Store the logo (checked with logo_problem first), or remove it with None."""
    organisation = session.get(Organisation, 1) or Organisation(id=1)
    organisation.logo = data
    organisation.logo_type = next((t for magic, t in LOGO_TYPES.items() if data and data.startswith(magic)), None)
    organisation.updated_at = utcnow()
    session.add(organisation)
    session.flush()
