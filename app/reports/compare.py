"""Candidates of one role side by side, sortable by any column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.candidates.models import Candidate
from app.errors import Invalid
from app.reports import decisions
from app.reports.combined import Combined
from app.reports.headline import Headline, headline
from app.reports.models import Decision
from app.reports.service import combined_result
from app.scoring import model as m

VERDICT_ORDER = {v.value: i for i, v in enumerate(m.Verdict)}
CALIBRATION_ORDER = {"calibrated": 0, "under_claiming": 1, "over_claiming": 2}
DIMENSIONS = tuple(d.value for d in m.DIMENSIONS)
COLUMNS = ("name", "evidence", "claims", "calibration", "verdict", "decision", *DIMENSIONS)


@dataclass(frozen=True)
class Row:
    candidate: Candidate
    combined: Combined
    decision: Decision | None

    @property
    def shown(self) -> Headline:
        """The evidence, claims and verdict every screen shows for this candidate, and their source."""
        return headline(self.combined)

    @property
    def result(self) -> dict[str, Any]:
        return self.combined.result or {}

    def dimension(self, key: str) -> float | None:
        dims = (self.result.get("evidence") or {}).get("dimensions") or {}
        score = (dims.get(key) or {}).get("score")
        return None if score is None else float(score)

    def value(self, column: str) -> Any:
        """The sort key of a column; None sorts last whichever the direction."""
        result = self.result
        if column == "name":
            return (self.candidate.last_name.lower(), self.candidate.first_name.lower())
        if column == "evidence":
            return (result.get("evidence") or {}).get("overall")
        if column == "claims":
            return (result.get("claims") or {}).get("index")
        if column == "calibration":
            return CALIBRATION_ORDER.get((result.get("calibration") or {}).get("code") or "")
        if column == "verdict":
            return VERDICT_ORDER.get(self.combined.verdict or "")
        if column == "decision":
            return str(self.decision.decision) if self.decision else None
        return self.dimension(column)


def _sorted(rows: list[Row], column: str, descending: bool) -> list[Row]:
    present = [r for r in rows if r.value(column) is not None]
    present.sort(key=lambda r: r.value(column), reverse=descending)
    return present + [r for r in rows if r.value(column) is None]


def compare(session: Session, role_id: int, lang: str, *, sort: str = "evidence", order: str = "desc") -> list[Row]:
    """Return the role's candidates (erased ones left out) with their combined results, sorted server-side."""
    if sort not in COLUMNS:
        raise Invalid(f"sort: '{sort}' is not a column; use one of {list(COLUMNS)}", field="sort")
    if order not in ("asc", "desc"):
        raise Invalid(f"order: '{order}' must be 'asc' or 'desc'", field="order")
    candidates = session.exec(
        select(Candidate)
        .where(Candidate.role_id == role_id, col(Candidate.erased_at).is_(None))
        .order_by(col(Candidate.last_name), col(Candidate.first_name), col(Candidate.id))
    ).all()
    rows = []
    for candidate in candidates:
        assert candidate.id is not None
        history = decisions.history(session, candidate.id)
        rows.append(Row(candidate, combined_result(session, candidate, lang), history[0] if history else None))
    # Ties keep the name order, so the table is stable between requests.
    return _sorted(rows, sort, order == "desc")
