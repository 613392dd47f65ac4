"""The candidate list as a file: CSV (the user's separator, language and number format) and Excel (typed cells).

Both hold exactly the rows and columns the list shows for the same filters (app.web.hr.listing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from babel.dates import format_datetime
from sqlmodel import Session

from app import labels
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.i18n import N_
from app.reports import decisions
from app.reports.headline import number
from app.roles import service as roles

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    ("id", N_("Number")),
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("email", N_("E-mail address")),
    ("role", N_("Role")),
    ("status", N_("Status")),
    ("verdict", N_("Verdict")),
    ("source", N_("Result from")),
    ("evidence", N_("Evidence")),
    ("claims", N_("Claims index")),
    ("decision", N_("Decision")),
    ("updated_at", N_("Last change")),
    ("external_ref", N_("External reference")),
)
BATCH = 200


@dataclass(frozen=True)
class Export:
    """One export: the user's language and its translation function."""

    lang: str
    gettext: Callable[[str], str]

    def headers(self) -> list[str]:
        return [self.gettext(label) for _, label in COLUMNS]

    def label(self, kind: str, code: object) -> str:
        return labels.label(code, kind, self.gettext)

    def text(self, value: object) -> str:
        """Return stored text for a cell: erasure's placeholder in the user's language, no formula."""
        return guard_cell(labels.erased(value, self.gettext))


def guard_cell(value: object) -> str:
    """Render one text cell, neutralising text a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def rows(session: Session, filters: dict[str, object], export: Export) -> Iterator[dict[str, object]]:
    """Yield the list's rows for these filters, typed (numbers, datetimes) and with translated labels."""
    titles = {r.id: r.title for r in roles.all_roles(session)}
    batch: list[Candidate] = []

    def flush() -> Iterator[dict[str, object]]:
        decided = decisions.latest_for(session, [c.id for c in batch if c.id is not None])
        for c in batch:
            decision = decided.get(c.id) if c.id is not None else None
            yield {
                "id": c.id,
                "first_name": export.text(c.first_name),
                "last_name": export.text(c.last_name),
                "email": export.text(c.email),
                "role": guard_cell(titles.get(c.role_id, "")),
                "status": export.label("status", c.status),
                "verdict": export.label("verdict", c.verdict),
                "source": export.label("result_source", c.result_source),
                "evidence": c.evidence_overall,
                "claims": c.claims_index,
                "decision": export.label("decision", decision.decision if decision else None),
                "updated_at": c.updated_at,
                "external_ref": guard_cell(c.external_ref),
            }
        batch.clear()

    for candidate in candidates.iter_candidates(session, batch=BATCH, **filters):
        batch.append(candidate)
        if len(batch) == BATCH:
            yield from flush()
    yield from flush()


def dialect(lang: str) -> str:
    """The CSV separator a spreadsheet of this language expects (Dutch Excel: semicolon; the decimal is a comma)."""
    return ";" if lang == "nl" else ","


def as_csv(session: Session, filters: dict[str, object], export: Export) -> list[str]:
    """Return the CSV file in chunks; Dutch gets a byte order mark so Excel reads UTF-8."""
    buffer = io.StringIO()
    if export.lang == "nl":
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=dialect(export.lang))
    writer.writerow(export.headers())
    for row in rows(session, filters, export):
        writer.writerow([_text(row[key], export.lang) for key, _ in COLUMNS])
    return [buffer.getvalue()]


def _text(value: object, lang: str) -> str:
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, dt.datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=dt.UTC, locale=lang)
    return "" if value is None else str(value)


def as_xlsx(session: Session, filters: dict[str, object], export: Export) -> bytes:
    """Return the Excel workbook: numbers as numbers (one decimal shown), the last change as a date and time."""
    # Imported here: openpyxl is large, and only an export needs it (a worker's memory, app.cli serve).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.gettext(N_("Candidates")))
    sheet.append(export.headers())
    for row in rows(session, filters, export):
        cells: list[object] = []
        for key, _ in COLUMNS:
            value = row[key]
            if isinstance(value, dt.datetime):
                cell = WriteOnlyCell(sheet, value.astimezone(dt.UTC).replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm"
                cells.append(cell)
            elif isinstance(value, float):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = "0.0"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
