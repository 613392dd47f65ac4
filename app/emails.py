"""E-mail addresses people type in: checked once, by email-validator (syntax only, no DNS lookup)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from app.errors import Invalid


def checked(value: str, field: str = "email", *, problem: str = "is not an e-mail address") -> str:
    """Return the address trimmed and in lower case, or raise Invalid naming the field and the value.

    One address only: a comma, a line break or a space (header injection in mail) makes it invalid.
    """
    address = value.strip()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(f"{field}: {value!r} {problem}", field=field) from None
    return address.lower()
