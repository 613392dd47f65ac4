"""Keep the stored questionnaire versions in step with the question bank on disk."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select, update

from app.audit import service as audit
from app.errors import NotFound
from app.questionnaires.loader import LoadedQuestionnaire
from app.questionnaires.models import QuestionnaireVersion


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.added)} new version(s), {len(self.unchanged)} unchanged"


def sync_bank(session: Session, loaded: Sequence[LoadedQuestionnaire]) -> SyncReport:
    """Store a new version for each changed questionnaire and mark it current; leave unchanged ones alone."""
    report = SyncReport()
    for questionnaire in loaded:
        existing = session.exec(
            select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == questionnaire.content_hash)
        ).first()
        if existing is not None:
            report.unchanged.append(questionnaire.id)
            if not existing.is_current:
                # A file reverted to an earlier content makes that earlier version current again.
                _make_current(session, existing)
            continue
        version = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            kind=questionnaire.kind,
            title=questionnaire.title_en,
            content_hash=questionnaire.content_hash,
            definition=questionnaire.definition,
            source_path=str(questionnaire.path),
            is_current=False,
        )
        session.add(version)
        session.flush()
        _make_current(session, version)
        audit.record(
            session,
            version,
            actor=audit.SYSTEM,
            action="questionnaire.version_added",
            detail={"questionnaire_id": questionnaire.id, "content_hash": questionnaire.content_hash},
        )
        report.added.append(questionnaire.id)
    return report


def _make_current(session: Session, version: QuestionnaireVersion) -> None:
    session.exec(
        update(QuestionnaireVersion)
        .where(col(QuestionnaireVersion.questionnaire_id) == version.questionnaire_id)
        .where(col(QuestionnaireVersion.id) != version.id)
        .values(is_current=False)
    )
    version.is_current = True
    session.add(version)
    session.flush()


def current_versions(session: Session) -> list[QuestionnaireVersion]:
    """Return the current version of every questionnaire, ordered by id."""
    return list(
        session.exec(
            select(QuestionnaireVersion)
            .where(col(QuestionnaireVersion.is_current).is_(True))
            .order_by(col(QuestionnaireVersion.questionnaire_id))
        )
    )


def questionnaire_ids(session: Session, version_ids: Collection[int] | None = None) -> dict[int, str]:
    """Return the questionnaire id of each version: of ``version_ids``, or of every current version.

    Only the two columns: a version's row also holds its whole definition, which lists need not parse.
    """
    query = select(col(QuestionnaireVersion.id), QuestionnaireVersion.questionnaire_id)
    if version_ids is None:
        query = query.where(col(QuestionnaireVersion.is_current).is_(True))
    else:
        query = query.where(col(QuestionnaireVersion.id).in_(version_ids))
    rows = session.exec(query)
    return {version_id: questionnaire_id for version_id, questionnaire_id in rows if version_id is not None}


def get_current(session: Session, questionnaire_id: str) -> QuestionnaireVersion | None:
    """Return the current version of one questionnaire, if it exists."""
    return session.exec(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .where(col(QuestionnaireVersion.is_current).is_(True))
    ).first()


def current_or_404(session: Session, questionnaire_id: str) -> QuestionnaireVersion:
    """Return the current version of one questionnaire, or raise NotFound naming it."""
    # Any id we do not offer is unknown (404), whatever its shape or length.
    version = get_current(session, questionnaire_id) if len(questionnaire_id) <= 64 else None
    if version is None:
        raise NotFound(f"questionnaire '{questionnaire_id[:64]}' does not exist")
    return version
