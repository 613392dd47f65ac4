"""What a section form tells about how it was answered: when the server showed it, and pasted free text.

``shown_at`` is signed with the app's secret key (itsdangerous), so neither its time nor the page it
belongs to can be changed in the browser; the browser's clock is never used. A missing, altered or
expired value only means the save does not count towards the section's time: the answers are saved
all the same. The paste flags come from candidate.js; without JavaScript there are none.
"""

from __future__ import annotations

import time

from itsdangerous import BadData, TimestampSigner
from starlette.datastructures import FormData

from app.assessments.conduct import Visit
from app.assessments.models import Assessment
from app.scoring import model as m

SHOWN_AT = "shown_at"
PASTED_PREFIX = "pasted."
MAX_VISIT_SECONDS = 12 * 3600
"""A page saved later than this after it was shown says nothing about the time it took: not counted."""
_SALT = "touchstone section shown-at v1"


def _signer(secret_key: str) -> TimestampSigner:
    return TimestampSigner(secret_key, salt=_SALT)


def _subject(assessment: Assessment, section: m.Section) -> str:
    return f"{assessment.id}:{section.id}"


def shown_at(secret_key: str, assessment: Assessment, section: m.Section) -> str:
    """Return the signed "shown now" value of a section page for one assessment."""
    return _signer(secret_key).sign(_subject(assessment, section)).decode("ascii")


def visit(secret_key: str, form: FormData, assessment: Assessment, section: m.Section) -> Visit | None:
    """Return the visit a save belongs to, or None when its shown-at value is missing, altered or expired."""
    value = form.get(SHOWN_AT)
    if not isinstance(value, str) or not value or len(value) > 300:
        return None
    try:
        subject, signed = _signer(secret_key).unsign(value, max_age=MAX_VISIT_SECONDS, return_timestamp=True)
    except BadData:
        return None
    if subject.decode("utf-8", "replace") != _subject(assessment, section):
        return None  # signed for another page or another person's assessment
    return Visit(section.id, signed.timestamp(), time.time())


def pasted_field(item_id: str) -> str:
    """Return the name of the hidden field candidate.js sets when a free-text answer is pasted."""
    return f"{PASTED_PREFIX}{item_id}"


def pasted(form: FormData, items: list[m.Item]) -> set[str]:
    """Return the free-text items among ``items`` whose answer the browser marked as pasted."""
    return {i.id for i in items if isinstance(i, m.FreeTextItem) and form.get(pasted_field(i.id)) == "1"}
