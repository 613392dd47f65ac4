"""Candidates: create, change, look up, list (filtered, searched, sorted, keyset-paged) and summarise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, or_, tuple_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import emails, i18n
from app.assessments import changes as assessment_changes
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus, Result, status_is
from app.audit import service as audit
from app.candidates import retention
from app.candidates.models import CANDIDATE_STATUSES, NO_ASSESSMENT, Candidate, CandidateCreate, CandidateUpdate
from app.db import UTCDateTime, as_utc, utcnow
from app.db.lookup import get_or_404
from app.errors import Gone, Invalid
from app.i18n import N_
from app.inputs import MAX_ID
from app.pagination import Page, bad_cursor, clamp_limit, decode_cursor, encode_cursor
from app.questionnaires.models import QuestionnaireVersion
from app.scoring import model as scoring_model
from app.scoring.verdict import RANK as VERDICT_RANK

SORTS = ("updated", "name", "evidence", "claims", "verdict")
VERDICTS = tuple(v.value for v in scoring_model.Verdict)
STATUSES = CANDIDATE_STATUSES


def _name_key(first: str, last: str) -> str:
    return f"{last} {first}".casefold()[:401]


def _check(candidate: Candidate) -> None:
    if candidate.email is not None:
        emails.checked(candidate.email)
    i18n.check_language(candidate.language)
    for field in ("first_name", "last_name"):
        if not getattr(candidate, field):
            raise Invalid(f"{field}: must not be empty", field=field)


def create(session: Session, data: CandidateCreate, *, actor: str) -> Candidate:
    """Create a candidate (names trimmed, e-mail checked) and record it in the audit log."""
    checked = CandidateCreate.model_validate(data.model_dump())
    candidate = Candidate.model_validate(checked)
    if candidate.email:
        candidate.email = candidate.email.lower()
    _check(candidate)
    candidate.name_key = _name_key(candidate.first_name, candidate.last_name)
    retention.schedule(candidate)
    audit.saved(session, candidate, actor=actor, action="candidate.created")
    return candidate


def get(session: Session, candidate_id: int) -> Candidate:
    """Return one candidate or raise NotFound."""
    return get_or_404(session, Candidate, candidate_id, "candidate")


# Shown on HR pages in the reader's language (app.problems translates fixed details); the API gets it in English.
ERASED_READ_ONLY = N_(
    "This candidate's personal data was erased; the record is read-only. "
    "Add them as a new candidate if they apply again."
)


def ensure_not_erased(candidate: Candidate) -> None:
    """Raise Gone (410) for an erased candidate: erasure is final, nothing may link personal data to them again."""
    if candidate.erased_at is not None:
        raise Gone(ERASED_READ_ONLY, candidate_id=candidate.id)


def update(session: Session, candidate: Candidate, changes: CandidateUpdate, *, actor: str) -> Candidate:
    """Apply the fields given in changes (others keep their value) and record which ones changed."""
    ensure_not_erased(candidate)
    given = changes.model_dump(exclude_unset=True)
    changed: list[str] = []
    for field, value in given.items():
        if field in ("first_name", "last_name", "language", "kind") and value is None:
            continue
        if field in ("email", "external_ref") and value == "":
            value = None
        if field == "email" and value:
            value = value.lower()
        if getattr(candidate, field) != value:
            setattr(candidate, field, value)
            changed.append(field)
    if not changed:
        return candidate
    _check(candidate)
    candidate.name_key = _name_key(candidate.first_name, candidate.last_name)
    candidate.updated_at = utcnow()
    retention.schedule(candidate)
    audit.saved(session, candidate, actor=actor, action="candidate.updated", detail={"fields": sorted(changed)})
    return candidate


def refresh_summary(session: Session, candidate_id: int | None) -> None:
    """Recompute the candidate's list columns (status, verdict, scores, last activity) from their assessments.

    The status is that of the latest invitation (an HR form counts only when there is none). The verdict
    and scores are the result every screen shows (app.reports.headline), stored by ``record_result``.
    """
    if candidate_id is None:
        return
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return
    latest = session.exec(
        select(Assessment)
        .where(Assessment.candidate_id == candidate_id)
        .order_by(
            case((col(Assessment.mode) == AssessmentMode.HR.value, 1), else_=0),
            col(Assessment.created_at).desc(),
            col(Assessment.id).desc(),
        )
    ).first()
    last_activity = session.exec(
        select(func.max(Assessment.updated_at)).where(Assessment.candidate_id == candidate_id)
    ).one()
    candidate.status = AssessmentStatus(latest.status) if latest else NO_ASSESSMENT
    candidate.last_activity_at = last_activity
    if last_activity is not None and last_activity > candidate.updated_at:
        candidate.updated_at = last_activity
    retention.schedule(candidate)
    session.add(candidate)
    session.flush()


def record_result(
    session: Session,
    candidate: Candidate,
    *,
    source: str | None,
    verdict: str | None,
    evidence: float | None,
    claims: float | None,
) -> None:
    """Store the result the screens show for the candidate (the lists filter and sort on these columns)."""
    candidate.result_source = source
    candidate.verdict = verdict
    candidate.verdict_rank = VERDICT_RANK.get(scoring_model.Verdict(verdict)) if verdict else None
    candidate.evidence_overall = evidence
    candidate.claims_index = claims
    session.add(candidate)
    session.flush()


# Sort name -> (column, nullable). Nullable keys sort their empty rows last in both directions.
_SORT_COLUMNS: dict[str, tuple[Any, bool]] = {
    "updated": (col(Candidate.updated_at), False),
    "name": (col(Candidate.name_key), False),
    "evidence": (col(Candidate.evidence_overall), True),
    "claims": (col(Candidate.claims_index), True),
    "verdict": (col(Candidate.verdict_rank), True),
}


# Kept with every change the assessment lifecycle makes (it cannot import this package).
assessment_changes.subscribe(refresh_summary)


def _filtered(
    *,
    role_id: int | None,
    status: str | None,
    verdict: str | None,
    q: str | None,
    updated_since: dt.datetime | None,
    external_ref: str | None,
) -> SelectOfScalar[Candidate]:
    query = select(Candidate)
    if external_ref is not None:
        query = query.where(Candidate.external_ref == external_ref)
    if role_id is not None:
        query = query.where(Candidate.role_id == role_id)
    if status:
        if status not in STATUSES:
            raise Invalid(f"status '{status}' is not one of {', '.join(STATUSES)}", field="status")
        query = query.where(Candidate.status == status)
    if verdict:
        if verdict not in VERDICTS:
            raise Invalid(f"verdict '{verdict}' is not one of {', '.join(VERDICTS)}", field="verdict")
        query = query.where(Candidate.verdict == verdict)
    if q and q.strip():
        term = q.strip()
        query = query.where(
            or_(
                col(Candidate.first_name).icontains(term, autoescape=True),
                col(Candidate.last_name).icontains(term, autoescape=True),
                col(Candidate.email).icontains(term, autoescape=True),
                col(Candidate.name_key).icontains(term.casefold(), autoescape=True),
            )
        )
    if updated_since is not None:
        query = query.where(col(Candidate.updated_at) >= updated_since)
    return query


def _sort_value(candidate: Candidate, sort: str) -> Any:
    value = {
        "updated": candidate.updated_at,
        "name": candidate.name_key,
        "evidence": candidate.evidence_overall,
        "claims": candidate.claims_index,
        "verdict": candidate.verdict_rank,
    }[sort]
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _after(sort: str, descending: bool, cursor: str) -> ColumnElement[bool]:
    column, nullable = _SORT_COLUMNS[sort]
    cursor_sort, cursor_desc, value, last_id = decode_cursor(cursor, 4)
    if cursor_sort != sort or bool(cursor_desc) != descending:
        raise Invalid(f"cursor '{cursor[:40]}' belongs to another sort order; start from the first page")
    if not isinstance(last_id, int) or not 0 < last_id <= MAX_ID:
        raise bad_cursor(cursor)
    # Every part must read back as the sort key's type: a tampered cursor is a 400, never a database error.
    expected: type | tuple[type, ...] = {"updated": str, "name": str}.get(sort, (int, float, type(None)))
    if not isinstance(value, expected) or isinstance(value, bool) or (isinstance(value, int) and abs(value) > MAX_ID):
        raise bad_cursor(cursor)
    if sort == "updated":
        try:
            value = as_utc(dt.datetime.fromisoformat(str(value)))
        except ValueError:
            raise bad_cursor(cursor) from None
    ident = col(Candidate.id)
    if value is None:
        # Already among the rows without a value (sorted last): continue by id within them.
        return and_(column.is_(None), ident < last_id if descending else ident > last_id)
    key, bound = tuple_(column, ident), tuple_(bindparam(None, value, type_=column.type), last_id)
    beyond = key < bound if descending else key > bound
    return or_(beyond, column.is_(None)) if nullable else beyond


def list_candidates(
    session: Session,
    *,
    role_id: int | None = None,
    status: str | None = None,
    verdict: str | None = None,
    q: str | None = None,
    updated_since: dt.datetime | None = None,
    external_ref: str | None = None,
    sort: str = "updated",
    descending: bool = True,
    after: str | None = None,
    limit: int = 50,
) -> Page[Candidate]:
    """Return one page of candidates matching the filters, in a stable order; pass next_cursor as after."""
    if sort not in SORTS:
        raise Invalid(f"sort '{sort}' is not one of {', '.join(SORTS)}", field="sort")
    limit = clamp_limit(limit)
    query = _filtered(
        role_id=role_id, status=status, verdict=verdict, q=q, updated_since=updated_since, external_ref=external_ref
    )
    if after:
        query = query.where(_after(sort, descending, after))
    rows = list(session.exec(_ordered(query, sort, descending).limit(limit + 1)))
    items = rows[:limit]
    cursor = None
    if len(rows) > limit:
        last = items[-1]
        cursor = encode_cursor(sort, descending, _sort_value(last, sort), last.id)
    return Page(items, cursor)


def _ordered(query: SelectOfScalar[Candidate], sort: str, descending: bool) -> SelectOfScalar[Candidate]:
    column, nullable = _SORT_COLUMNS[sort]
    ident = col(Candidate.id)
    order = [column.desc(), ident.desc()] if descending else [column.asc(), ident.asc()]
    if nullable:
        order.insert(0, column.is_(None))
    return query.order_by(*order)


def iter_candidates(session: Session, *, batch: int = 200, **filters: Any) -> Iterator[Candidate]:
    """Yield every candidate matching the filters of list_candidates, one page at a time (for exports)."""
    after: str | None = None
    while True:
        page = list_candidates(session, after=after, limit=batch, **filters)
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


def list_assessments(
    session: Session,
    *,
    role_id: int | None = None,
    status: str | None = None,
    verdict: str | None = None,
    questionnaire_id: str | None = None,
    candidate_id: int | None = None,
    after: str | None = None,
    limit: int = 50,
) -> Page[Assessment]:
    """Return one page of assessments, most recently changed first, matching the filters.

    Referees' statements are not listed: they are not the candidate's assessments and their verdict means
    nothing on its own; HR reads them on the candidate's referees page and in the combined report. Nor are
    anonymous self-tests, which nobody at the organisation sees (app.assessments.service.get_shared).
    """
    limit = clamp_limit(limit)
    hidden = (AssessmentMode.REFEREE.value, AssessmentMode.ANONYMOUS.value)
    query = select(Assessment).where(col(Assessment.mode).not_in(hidden))
    if role_id is not None:
        query = query.where(Assessment.role_id == role_id)
    if candidate_id is not None:
        query = query.where(Assessment.candidate_id == candidate_id)
    if status:
        # The status shown (an open assessment past its expiry is expired), not the one stored.
        query = query.where(status_is(Assessment.status, Assessment.expires_at, status, utcnow()))
    if verdict:
        query = query.join(Result, col(Result.assessment_id) == col(Assessment.id)).where(Result.verdict == verdict)
    if questionnaire_id:
        query = query.join(
            QuestionnaireVersion, col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id)
        ).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
    if after:
        updated, last_id = decode_cursor(after, 2)
        try:
            moment = bindparam(None, as_utc(dt.datetime.fromisoformat(str(updated))), type_=UTCDateTime)
        except ValueError:
            raise bad_cursor(after) from None
        bound = tuple_(moment, str(last_id))
        query = query.where(tuple_(col(Assessment.updated_at), col(Assessment.id)) < bound)
    query = query.order_by(col(Assessment.updated_at).desc(), col(Assessment.id).desc()).limit(limit + 1)
    rows = list(session.exec(query))
    items = rows[:limit]
    cursor = encode_cursor(items[-1].updated_at.isoformat(), items[-1].id) if len(rows) > limit else None
    return Page(items, cursor)
