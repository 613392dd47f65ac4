"""Find one row by its primary key or raise NotFound naming it: the one get-or-404 every service uses."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

from app.errors import NotFound
from app.i18n import N_
from app.problems import template

Row = TypeVar("Row")

# The sentence of each kind of row not found, registered so that problem documents and error pages say it in
# the reader's language with its key ("kandidaat 42 bestaat niet"). A label not listed here stays English.
NOT_FOUND = (
    template(N_("API key %(key)s does not exist")),
    template(N_("assessment %(key)s does not exist")),
    template(N_("candidate %(key)s does not exist")),
    template(N_("delivery %(key)s does not exist")),
    template(N_("mail message %(key)s does not exist")),
    template(N_("mentor %(key)s does not exist")),
    template(N_("mentor assignment %(key)s does not exist")),
    template(N_("questionnaire %(key)s does not exist")),
    template(N_("questionnaire version %(key)s does not exist")),
    template(N_("referee %(key)s does not exist")),
    template(N_("role %(key)s does not exist")),
    template(N_("user %(key)s does not exist")),
    template(N_("webhook endpoint %(key)s does not exist")),
)


def get_or_404(session: Session, model: type[Row], key: Any, label: str) -> Row:
    """Return the ``model`` row with primary key ``key``, or raise NotFound ("candidate 7 does not exist")."""
    found = session.get(model, key)
    if found is None:
        shown = f"'{key}'" if isinstance(key, str) else str(key)
        raise NotFound(f"{label} {shown} does not exist")
    return found
