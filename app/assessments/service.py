"""The assessment lifecycle: create (with an invitation link), answer as you go, submit once, score.

The JSON API, the candidate pages and the HR workspace all go through these functions. Services
flush, never commit: the request's session commits once the handler succeeds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, Text, bindparam, cast, delete, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.assessments import changes, conduct
from app.assessments.models import (
    OPEN,
    Answer,
    Assessment,
    AssessmentMode,
    AssessmentStatus,
    ReplacedLink,
    Result,
    RubricRating,
    status_at,
    status_is,
)
from app.audit import service as audit
from app.db import utcnow, write_aside
from app.db.lookup import get_or_404
from app.errors import Conflict, Gone, Invalid, NotFound
from app.events import service as events
from app.i18n import N_
from app.questionnaires import service as questionnaires
from app.questionnaires.loader import bundle_from_definition
from app.questionnaires.models import QuestionnaireVersion
from app.scoring import engine
from app.scoring import model as m
from app.scoring.answers import check_answer, is_blank, validate_answers

TOKEN_BYTES = 32  # 256 bits of randomness; only the SHA-256 is stored
REVIEW = "review"
"""The resume point of a person who has answered every section and reached the page to submit."""

# Statements of every autosave and page, built once (building one costs more than running it on SQLite).
_BY_TOKEN = select(Assessment).where(col(Assessment.token_hash) == bindparam("token_hash"))
_REPLACED = (
    select(Assessment)
    .join(ReplacedLink, col(ReplacedLink.assessment_id) == col(Assessment.id))
    .where(col(ReplacedLink.token_hash) == bindparam("token_hash"))
)
_ANSWERS = select(Answer.item_id, Answer.value).where(col(Answer.assessment_id) == bindparam("assessment_id"))
# The conditional UPDATEs here tell the loaded Assessment what they changed (set_committed_value), so
# SQLAlchemy need not evaluate their WHERE clause against every object of the session (synchronize_session),
# which cost more than the statement itself.
_UNSYNCED = {"synchronize_session": False}
_COUNT_SAVE = (
    update(Assessment)
    .where(col(Assessment.id) == bindparam("assessment_id"), col(Assessment.status).in_([s.value for s in OPEN]))
    .values(revision=col(Assessment.revision) + 1, updated_at=bindparam("now"))
    .returning(col(Assessment.revision))
    .execution_options(**_UNSYNCED)
)
_COUNT_SAVE_AT = _COUNT_SAVE.values(current_section=bindparam("section"))
# A submit's statements, built once too.
_SUBMIT_STATE = select(Assessment.revision, Assessment.status, Assessment.section_times, Assessment.pasted_items).where(
    col(Assessment.id) == bindparam("assessment_id")
)
_CLOSE = (
    update(Assessment)
    .where(
        col(Assessment.id) == bindparam("assessment_id"),
        col(Assessment.status).in_([s.value for s in OPEN]),
        col(Assessment.revision) == bindparam("seen_revision"),
    )
    .values(status=AssessmentStatus.COMPLETED.value, completed_at=bindparam("now"), updated_at=bindparam("now"))
    .execution_options(**_UNSYNCED)
)
_RUBRIC = select(RubricRating.item_id, RubricRating.points).where(
    col(RubricRating.assessment_id) == bindparam("assessment_id")
)
# On the table, not the entity: no ORM bulk-insert machinery (see app.events.service).
_RESULTS: Table = Result.__table__  # type: ignore[attr-defined]
_INSERT_RESULT = insert(_RESULTS).returning(_RESULTS.c.id)
_RESULT_COLUMNS = tuple(c.name for c in _RESULTS.columns if c.name != "id")

_compiled: dict[str, engine.Compiled] = {}
_upserts: dict[str, Any] = {}
_compiled_lock = threading.Lock()

# A refusal naming its value; app.api.v1.common registers it so that problem documents translate it.
PAST_EXPIRY = N_("expires_at %(value)s is in the past")


def compiled_for(version: QuestionnaireVersion) -> engine.Compiled:
    """Return the scoring-ready form of a stored questionnaire version (built once per process)."""
    found = _compiled.get(version.content_hash)
    if found is None:
        with _compiled_lock:
            found = _compiled.get(version.content_hash)
            if found is None:
                found = engine.compile_bundle(bundle_from_definition(version.definition))
                _compiled[version.content_hash] = found
    return found


def compiled_of(session: Session, assessment: Assessment) -> engine.Compiled:
    """Return the scoring-ready form of the questionnaire version an assessment is on.

    Once compiled, the version's stored definition (a large JSON document) is not loaded again: the
    assessment's content hash names it.
    """
    found = _compiled.get(assessment.content_hash)
    return found if found is not None else compiled_for(version_of(session, assessment))


def hash_token(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Created:
    assessment: Assessment
    token: str | None
    """The invitation token, shown once; only its hash is stored."""


def version_of(session: Session, assessment: Assessment) -> QuestionnaireVersion:
    return get_or_404(session, QuestionnaireVersion, assessment.questionnaire_version_id, "questionnaire version")


def create(
    session: Session,
    *,
    questionnaire_id: str,
    mode: AssessmentMode,
    language: str,
    actor: str,
    candidate_id: int | None = None,
    role_id: int | None = None,
    expires_at: dt.datetime | None = None,
    feedback_to_candidate: bool = True,
    assessment_date: dt.date | None = None,
    candidate_names_referees: bool = False,
) -> Created:
    """Create an assessment on the current version of a questionnaire; people get a link, HR forms do not."""
    version = questionnaires.current_or_404(session, questionnaire_id)
    if language not in ("nl", "en"):
        raise Invalid(f"language '{language}' is not supported; use 'nl' or 'en'")
    if expires_at is not None and expires_at <= utcnow():
        raise Invalid(PAST_EXPIRY % {"value": expires_at.isoformat()})
    token = None if mode == AssessmentMode.HR else secrets.token_urlsafe(TOKEN_BYTES)
    assessment = Assessment(
        questionnaire_version_id=version.id,  # type: ignore[arg-type]
        content_hash=version.content_hash,
        mode=mode,
        language=language,
        candidate_id=candidate_id,
        role_id=role_id,
        expires_at=expires_at,
        feedback_to_candidate=feedback_to_candidate,
        candidate_names_referees=candidate_names_referees,
        status=AssessmentStatus.INVITED
        if mode in (AssessmentMode.INVITATION, AssessmentMode.API)
        else AssessmentStatus.CREATED,
        token_hash=hash_token(token) if token else None,
        assessment_date=assessment_date or utcnow().date(),
    )
    audit.saved(
        session,
        assessment,
        actor=actor,
        action="assessment.created",
        detail={"questionnaire": questionnaire_id, "mode": str(mode), "candidate_id": candidate_id},
    )
    return Created(assessment, token)


def get(session: Session, assessment_id: str) -> Assessment:
    """Return one assessment or raise NotFound."""
    return get_or_404(session, Assessment, assessment_id, "assessment")


def get_shared(session: Session, assessment_id: str) -> Assessment:
    """Return an assessment the organisation may see (HR's pages, the API), or raise NotFound.

    An anonymous self-test is its taker's alone: its privacy notice promises that nobody at an employer sees
    it, so to them it does not exist. Only its link opens it; it counts in the norms, anonymously.
    """
    found = get(session, assessment_id)
    if found.mode == AssessmentMode.ANONYMOUS:
        raise NotFound(f"assessment '{assessment_id}' does not exist")
    return found


def _expire_if_due(session: Session, assessment: Assessment, now: dt.datetime) -> None:
    if assessment.status not in OPEN or status_at(assessment.status, assessment.expires_at, now) in OPEN:
        return
    # Opening an expired link is a GET: the expiry is written in a short transaction of its own.
    with write_aside(session) as writer:
        target = assessment if writer is session else writer.get(Assessment, assessment.id)
        if target is not None and target.status in OPEN:  # else another request closed it first
            target.status = AssessmentStatus.EXPIRED
            target.updated_at = now
            writer.add(target)
            _announce(writer, events.ASSESSMENT_EXPIRED, target)
            writer.flush()
            changes.candidate_changed(writer, target.candidate_id)
    if target is not None and target is not assessment:
        # The request's own session does not see the other transaction's write: tell it what it is now.
        set_committed_value(assessment, "status", target.status)
        set_committed_value(assessment, "updated_at", target.updated_at)


def by_token(session: Session, token: str) -> Assessment:
    """Find the assessment behind an invitation link; unknown is NotFound, revoked, expired or replaced is Gone.

    A completed assessment is returned: its link shows the feedback (or a thank-you page).
    """
    if not token or len(token) > 200:
        raise NotFound(N_("this link is not known"))
    token_hash = hash_token(token)
    found = session.exec(_BY_TOKEN, params={"token_hash": token_hash}).first()
    if found is None:
        _raise_if_replaced(session, token_hash)
        raise NotFound(N_("this link is not known"))
    _expire_if_due(session, found, utcnow())
    if found.status == AssessmentStatus.CANCELLED:
        raise Gone(N_("this link was withdrawn"), reason="revoked")
    if found.status == AssessmentStatus.EXPIRED:
        raise Gone(N_("this link has expired"), reason="expired")
    return found


def _raise_if_replaced(session: Session, token_hash: str) -> None:
    """Raise Gone for an earlier link of an assessment that got a newer one (withdrawn, when it was since)."""
    replaced = session.exec(_REPLACED, params={"token_hash": token_hash}).first()
    if replaced is None:
        return
    if replaced.status == AssessmentStatus.CANCELLED:
        # The newer link was withdrawn too: pointing the person to it would send them looking in vain.
        raise Gone(N_("this link was withdrawn"), reason="revoked")
    raise Gone(N_("this link was replaced by a newer one"), reason="replaced")


def ensure_open(session: Session, assessment: Assessment) -> None:
    """Raise unless answers may still be given (not completed, cancelled or expired)."""
    _expire_if_due(session, assessment, utcnow())
    if assessment.status == AssessmentStatus.COMPLETED:
        raise Conflict(N_("this assessment was already submitted"), reason="completed")
    if assessment.status == AssessmentStatus.CANCELLED:
        raise Gone(N_("this assessment was withdrawn"), reason="revoked")
    if assessment.status == AssessmentStatus.EXPIRED:
        raise Gone(N_("this assessment has expired"), reason="expired")


def answers_of(session: Session, assessment: Assessment) -> dict[str, Any]:
    """Return the saved answers, item id to value."""
    # Plain rows, not Answer objects: a page or a submit reads forty of them. On the session's connection,
    # past the ORM: the rows need none of its bookkeeping (a third less time).
    rows = session.connection().execute(_ANSWERS, {"assessment_id": assessment.id})
    return {row.item_id: row.value for row in rows}


@dataclass(frozen=True)
class _Checked:
    valid: dict[str, Any]
    blank: list[str]
    problems: dict[str, str]


def _check(questionnaire: m.Questionnaire, values: Mapping[str, Any]) -> _Checked:
    # Pure: every answer is checked before anything is written.
    items = _items_of(questionnaire)
    checked = _Checked({}, [], {})
    for item_id, value in values.items():
        item = items.get(item_id)
        if item is None:
            checked.problems[item_id] = "no such item in this questionnaire"
        elif is_blank(item, value):
            checked.blank.append(item_id)
        elif problem := check_answer(item, value):
            checked.problems[item_id] = problem
        else:
            checked.valid[item_id] = value
    return checked


_item_maps: dict[int, dict[str, m.Item]] = {}


def _items_of(questionnaire: m.Questionnaire) -> dict[str, m.Item]:
    # Compiled questionnaires live for the process, so their item maps can too.
    found = _item_maps.get(id(questionnaire))
    if found is None:
        found = _item_maps[id(questionnaire)] = {item.id: item for item in questionnaire.items()}
    return found


def _write_answers(session: Session, assessment_id: str, checked: _Checked, now: dt.datetime) -> None:
    # One statement, run for every answer in one round trip (executemany); the statement is the same for
    # any number of answers, so it is compiled once per process. Safe when two tabs save the same item
    # at once: the later write wins, no error. Run on the session's connection, past the ORM: answers are
    # never loaded as objects, so there is nothing in the session to keep in step.
    connection = session.connection()
    if checked.blank:
        connection.execute(
            delete(Answer).where(col(Answer.assessment_id) == assessment_id, col(Answer.item_id).in_(checked.blank))
        )
    if not checked.valid:
        return
    rows = [
        {"assessment_id": assessment_id, "item_id": k, "value": v, "updated_at": now} for k, v in checked.valid.items()
    ]
    connection.execute(_upsert_answers(connection.dialect.name), rows)


def _upsert_answers(dialect: str) -> Any:
    """Return the statement that stores answers, built once per dialect (building it costs more than running it)."""
    found = _upserts.get(dialect)
    if found is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Answer.__table__)  # type: ignore[attr-defined]
        found = _upserts[dialect] = statement.on_conflict_do_update(
            index_elements=["assessment_id", "item_id"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
    return found


def _refuse_closed(session: Session, assessment: Assessment) -> None:
    """Raise why answers can no longer be given: the assessment was closed after it was read."""
    status = session.execute(select(Assessment.status).where(col(Assessment.id) == assessment.id)).scalar_one()
    set_committed_value(assessment, "status", AssessmentStatus(status))
    ensure_open(session, assessment)
    raise Conflict("this assessment is no longer open", reason=str(status))  # pragma: no cover - ensure_open raised


def _fence(session: Session, assessment: Assessment, now: dt.datetime, *, section: str | None, start: bool) -> None:
    """Count a save while the assessment is open, in the same transaction as the answers; refuse it once closed.

    The conditional UPDATE is the first write: on PostgreSQL it locks the row, so a submit running at the
    same moment either closes the assessment first (this save is then refused with 409) or sees a new
    revision and scores again with this save's answers. On SQLite the write lock orders the two.
    """
    if start and assessment.status in (AssessmentStatus.CREATED, AssessmentStatus.INVITED):
        started = session.execute(
            update(Assessment)
            .where(
                col(Assessment.id) == assessment.id,
                col(Assessment.status).in_([AssessmentStatus.CREATED.value, AssessmentStatus.INVITED.value]),
            )
            .values(status=AssessmentStatus.STARTED.value, started_at=now)
            .execution_options(**_UNSYNCED)
        )
        if started.rowcount == 1:  # type: ignore[attr-defined]
            set_committed_value(assessment, "status", AssessmentStatus.STARTED)
            set_committed_value(assessment, "started_at", now)
            _announce(session, events.ASSESSMENT_STARTED, assessment)
    statement = _COUNT_SAVE if section is None else _COUNT_SAVE_AT
    params = {"assessment_id": assessment.id, "now": now, "section": section}
    revision = session.execute(statement, params).scalar_one_or_none()
    if revision is None:
        _refuse_closed(session, assessment)
    set_committed_value(assessment, "revision", revision)
    set_committed_value(assessment, "updated_at", now)
    if section is not None:
        set_committed_value(assessment, "current_section", section)


def save_answers(
    session: Session,
    assessment: Assessment,
    values: Mapping[str, Any],
    *,
    section: str | None = None,
    visit: conduct.Visit | None = None,
    pasted: Collection[str] = (),
) -> dict[str, str]:
    """Save every valid answer in ``values`` and return the problems of the others, by item id.

    A blank value removes a saved answer. Valid answers are kept even when others on the same page are
    not, so nothing a person typed is lost to one mistake. Once the assessment is submitted (even by a
    submit running at this very moment) nothing is saved: Conflict (409). ``visit`` (the time on a section
    page) and ``pasted`` (free-text answers among ``values`` that were pasted) record how the answers were
    given (app.assessments.conduct).
    """
    ensure_open(session, assessment)
    questionnaire = compiled_of(session, assessment).questionnaire
    checked = _check(questionnaire, values)
    if section is not None and section != REVIEW and section not in {s.id for s in questionnaire.sections}:
        section = None
    now = utcnow()
    _fence(session, assessment, now, section=section, start=len(checked.problems) < len(values))
    _write_answers(session, assessment.id, checked, now)
    conduct.record(
        session, assessment, visit=visit, pasted=[i for i in pasted if i in checked.valid], cleared=checked.blank
    )
    session.flush()
    changes.candidate_changed(session, assessment.candidate_id)
    return checked.problems


# A referee's statement is not an assessment of a candidate (app.referees emits ``reference.completed`` and
# ``result.updated`` instead); an anonymous self-test is nobody's business but its taker's (see get_shared).
_UNANNOUNCED = frozenset({AssessmentMode.REFEREE, AssessmentMode.ANONYMOUS})


def _announce(session: Session, kind: str, assessment: Assessment, result: Result | None = None) -> None:
    """Emit an assessment event for the ATS and webhooks, except for the modes in _UNANNOUNCED."""
    if assessment.mode not in _UNANNOUNCED:
        events.emit(session, kind, subject_id=assessment.id, data=event_data(assessment, result))


def event_data(assessment: Assessment, result: Result | None = None) -> dict[str, Any]:
    """The payload of an assessment event: ids and, once scored, the headline numbers (no personal data)."""
    data: dict[str, Any] = {
        "assessment_id": assessment.id,
        "candidate_id": assessment.candidate_id,
        "role_id": assessment.role_id,
        "status": str(assessment.status),
    }
    if result is not None:
        data["result"] = {
            "verdict": result.verdict,
            "evidence_overall": result.evidence_overall,
            "claims_index": result.claims_index,
            "calibration": result.calibration,
        }
    return data


def rubric_of(session: Session, assessment: Assessment) -> dict[str, float]:
    rows = session.connection().execute(_RUBRIC, {"assessment_id": assessment.id})
    return {row.item_id: row.points for row in rows}


def _score(session: Session, assessment: Assessment, answers: Mapping[str, Any], lang: str) -> dict[str, Any]:
    compiled = compiled_of(session, assessment)
    return engine.score(
        compiled,
        answers,
        at=assessment.assessment_date,
        lang=lang,
        rubric=rubric_of(session, assessment),
        conduct=conduct.of(assessment),
    )


def _summarise(result: Result, scored: dict[str, Any]) -> None:
    result.result = scored
    result.evidence_overall = (scored.get("evidence") or {}).get("overall")
    result.claims_index = (scored.get("claims") or {}).get("index")
    result.verdict = (scored.get("verdict") or {}).get("code")
    result.calibration = (scored.get("calibration") or {}).get("code")


def result_of(session: Session, assessment: Assessment) -> Result | None:
    return session.exec(select(Result).where(Result.assessment_id == assessment.id)).first()


# A submit scores again when a save came in between; past this many rounds the answers are still changing.
SUBMIT_ROUNDS = 3


def submit(session: Session, assessment: Assessment, *, actor: str, answers: Mapping[str, Any] | None = None) -> Result:
    """Save ``answers`` (if any), score and close the assessment; a second submit returns the same result.

    The answers are read and scored before anything is written; the assessment is then closed with one
    conditional update that holds only if no save came in between (its revision is unchanged), and the
    result is stored in the same transaction. A save that comes later is refused (Conflict, 409), so the
    stored answers are always exactly the ones scored.
    """
    if assessment.status == AssessmentStatus.COMPLETED:
        existing = result_of(session, assessment)
        if existing is not None:
            return existing
    ensure_open(session, assessment)
    compiled = compiled_of(session, assessment)
    given = _check(compiled.questionnaire, answers or {})
    if given.problems:
        raise Invalid(
            f"{len(given.problems)} answer(s) not saved: "
            + "; ".join(f"item '{k}': {v}" for k, v in list(given.problems.items())[:5]),
            errors=given.problems,
        )
    for _round in range(SUBMIT_ROUNDS):
        revision, status, times, pasted = session.execute(_SUBMIT_STATE, {"assessment_id": assessment.id}).one()
        if status not in {s.value for s in OPEN}:
            return _already_closed(session, assessment)
        # Scored with the conduct of this revision, as the answers are (a save may have come in since the read).
        set_committed_value(assessment, "section_times", times)
        set_committed_value(assessment, "pasted_items", pasted)
        stored = answers_of(session, assessment)
        for item_id in given.blank:
            stored.pop(item_id, None)
        stored.update(given.valid)
        errors = validate_answers(compiled.questionnaire, stored, complete=True)
        if errors:
            raise Invalid(
                f"{len(errors)} answer(s) missing or invalid: " + "; ".join(str(e) for e in errors[:5]),
                errors={e.item_id: e.message for e in errors},
            )
        scored = _score(session, assessment, stored, assessment.language)
        now = utcnow()
        claimed = session.execute(_CLOSE, {"assessment_id": assessment.id, "seen_revision": revision, "now": now})
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            break
    else:
        raise Conflict(
            N_("the answers kept changing while this assessment was submitted; try again"), reason="changing"
        )
    set_committed_value(assessment, "status", AssessmentStatus.COMPLETED)
    set_committed_value(assessment, "completed_at", now)
    set_committed_value(assessment, "updated_at", now)
    _write_answers(session, assessment.id, given, now)
    result = Result(
        assessment_id=assessment.id,
        content_hash=assessment.content_hash,
        engine_version=engine.ENGINE_VERSION,
        language=assessment.language,
        result={},
        scored_at=now,
    )
    _summarise(result, scored)
    # One INSERT, past the unit of work (a flush cost more than the statement). The result is not loaded
    # into the session: result_of reads it back from the transaction when needed.
    result.id = session.execute(
        _INSERT_RESULT, {column: getattr(result, column) for column in _RESULT_COLUMNS}
    ).scalar_one()
    _announce(session, events.ASSESSMENT_COMPLETED, assessment, result)
    audit.record(session, assessment, actor=actor, action="assessment.submitted")
    changes.candidate_changed(session, assessment.candidate_id)
    changes.result_changed(session, assessment, changes.COMPLETED)
    return result


def _already_closed(session: Session, assessment: Assessment) -> Result:
    # Another submit (a second tab, a retry) closed it first: answer with its result.
    session.refresh(assessment)
    existing = result_of(session, assessment)
    if existing is not None:
        return existing
    ensure_open(session, assessment)
    raise Conflict(N_("this assessment is being submitted; try again in a moment"))


def result_json(session: Session, assessment_id: str) -> tuple[Assessment, str | None, str | None]:
    """Return a shared assessment (see get_shared), the language of its result and its stored result as JSON text
    (None before one).

    One query, and the result is never parsed: reading it through the API only passes it on.
    """
    row = session.execute(
        select(Assessment, Result.language, cast(Result.result, Text))
        .outerjoin(Result, col(Result.assessment_id) == col(Assessment.id))
        .where(col(Assessment.id) == assessment_id)
    ).first()
    if row is None or row[0].mode == AssessmentMode.ANONYMOUS:  # see get_shared
        raise NotFound(f"assessment '{assessment_id}' does not exist")
    return row[0], row[1], row[2]


def localised_result(session: Session, assessment: Assessment, lang: str) -> dict[str, Any] | None:
    """Return the stored result, re-scored from the stored answers when another language is asked for.

    Scoring is deterministic, so the numbers are identical; only the texts change language.
    """
    stored = result_of(session, assessment)
    if stored is None:
        return None
    if stored.language == lang:
        return stored.result
    rescored = _score(session, assessment, answers_of(session, assessment), lang)
    # After erasure or purge the free text is gone and the numbers would change: keep the stored result.
    same = (rescored.get("evidence") or {}).get("overall") == stored.evidence_overall and (
        rescored.get("claims") or {}
    ).get("index") == stored.claims_index
    return rescored if same else stored.result


def set_rubric(session: Session, assessment: Assessment, item_id: str, points: float, *, user_id: int) -> None:
    """Record HR's rubric rating of a free-text answer and re-score a completed assessment."""
    questionnaire = compiled_of(session, assessment).questionnaire
    item = next((i for i in questionnaire.items() if i.id == item_id), None)
    if not isinstance(item, m.FreeTextItem) or not item.rubric:
        raise Invalid(f"item '{item_id}' has no rubric to rate")
    levels = sorted(level.points for level in item.rubric)
    if points not in levels:
        raise Invalid(f"points {points:g} is not a rubric level of '{item_id}'; use one of {levels}")
    rating = session.exec(
        select(RubricRating).where(RubricRating.assessment_id == assessment.id, RubricRating.item_id == item_id)
    ).first() or RubricRating(assessment_id=assessment.id, item_id=item_id, points=points)
    rating.points = points
    rating.rated_by = user_id
    rating.updated_at = utcnow()
    session.add(rating)
    session.flush()
    stored = result_of(session, assessment)
    if stored is not None:
        _summarise(stored, _score(session, assessment, answers_of(session, assessment), stored.language))
        session.add(stored)
        session.flush()
        changes.candidate_changed(session, assessment.candidate_id)
        changes.result_changed(session, assessment, changes.RESCORED)


def cancel(session: Session, assessment: Assessment, *, actor: str) -> None:
    """Withdraw an assessment that is not completed; its link stops working at once."""
    if assessment.status == AssessmentStatus.COMPLETED:
        raise Conflict(N_("a completed assessment cannot be cancelled"))
    if assessment.status == AssessmentStatus.CANCELLED:
        return
    now = utcnow()
    assessment.status = AssessmentStatus.CANCELLED
    assessment.revoked_at = now
    assessment.updated_at = now
    session.add(assessment)
    _announce(session, events.ASSESSMENT_CANCELLED, assessment)
    audit.record(session, assessment, actor=actor, action="assessment.cancelled")
    session.flush()
    changes.candidate_changed(session, assessment.candidate_id)


def reissue(session: Session, assessment: Assessment, *, actor: str, expires_at: dt.datetime | None) -> str:
    """Give an open or expired assessment a new link (the old one stops working) and a new expiry."""
    if assessment.status in (AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED):
        raise Conflict(f"a {assessment.status} assessment cannot get a new link")
    if assessment.mode == AssessmentMode.HR:
        raise Conflict("an HR assessment has no link")
    if expires_at is not None and expires_at <= utcnow():
        raise Invalid(PAST_EXPIRY % {"value": expires_at.isoformat()})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if assessment.token_hash is not None:
        # Remembered so that the old link, still in the first e-mail, says it was replaced (by_token).
        session.add(ReplacedLink(token_hash=assessment.token_hash, assessment_id=assessment.id))
    assessment.token_hash = hash_token(token)
    assessment.expires_at = expires_at
    if assessment.status == AssessmentStatus.EXPIRED:
        assessment.status = AssessmentStatus.STARTED if assessment.started_at else AssessmentStatus.INVITED
    assessment.updated_at = utcnow()
    audit.saved(session, assessment, actor=actor, action="assessment.link_reissued")
    return token


def expire_due(session: Session, now: dt.datetime | None = None) -> int:
    """Mark every open assessment past its expiry as expired (with its event); return how many."""
    now = now or utcnow()
    due = session.exec(
        select(Assessment).where(
            col(Assessment.status).in_([s.value for s in OPEN]),
            status_is(Assessment.status, Assessment.expires_at, AssessmentStatus.EXPIRED, now),
        )
    ).all()
    for assessment in due:
        _expire_if_due(session, assessment, now)
    return len(due)


def latest_completed(session: Session, kind: str, *, candidate_id: int) -> Assessment | None:
    """Return the candidate's most recently completed assessment of a questionnaire kind."""
    query = (
        select(Assessment)
        .join(QuestionnaireVersion, col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id))
        .where(
            QuestionnaireVersion.kind == kind,
            Assessment.status == AssessmentStatus.COMPLETED.value,
            Assessment.candidate_id == candidate_id,
        )
    )
    return session.exec(query.order_by(col(Assessment.completed_at).desc(), col(Assessment.id).desc())).first()
