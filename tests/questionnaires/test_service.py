"""Syncing the question bank into stored versions is idempotent and keeps old versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.questionnaires import service
from app.questionnaires.loader import LoadedQuestionnaire
from app.questionnaires.models import QuestionnaireVersion


def _loaded(qid: str, content_hash: str, title: str = "Self-test") -> LoadedQuestionnaire:
    definition: dict[str, Any] = {"questionnaire": {"id": qid, "title": {"en": title}}}
    return LoadedQuestionnaire(
        id=qid,
        kind="self_test",
        title_en=title,
        path=Path(f"questions/{qid}.yaml"),
        bundle=None,  # type: ignore[arg-type]  # sync_bank stores the JSON definition, not the parsed bundle
        content_hash=content_hash,
        definition=definition,
    )


def _versions(session: Session, qid: str) -> list[QuestionnaireVersion]:
    query = select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == qid)
    return list(session.exec(query.order_by(QuestionnaireVersion.id)))  # type: ignore[arg-type]


def test_unchanged_bank_adds_nothing(session: Session) -> None:
    first = service.sync_bank(session, [_loaded("probe-a", "h1"), _loaded("probe-b", "h2")])
    second = service.sync_bank(session, [_loaded("probe-a", "h1"), _loaded("probe-b", "h2")])
    assert (first.added, second.added) == (["probe-a", "probe-b"], [])
    assert second.unchanged == ["probe-a", "probe-b"]
    assert len(_versions(session, "probe-a")) == 1


def test_changed_file_makes_a_new_current_version_and_keeps_the_old(session: Session) -> None:
    service.sync_bank(session, [_loaded("probe-a", "h1")])
    service.sync_bank(session, [_loaded("probe-a", "h1b", title="Self-test, revised")])
    old, new = _versions(session, "probe-a")
    assert (old.content_hash, old.is_current) == ("h1", False)
    assert (new.content_hash, new.is_current, new.title) == ("h1b", True, "Self-test, revised")
    assert new.definition["questionnaire"]["title"]["en"] == "Self-test, revised"
    assert service.get_current(session, "probe-a") == new

    # Reverting the file brings the earlier version back rather than storing a copy.
    service.sync_bank(session, [_loaded("probe-a", "h1")])
    old, new = _versions(session, "probe-a")
    assert (old.is_current, new.is_current) == (True, False)
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "questionnaire.version_added")).all()
    assert len(audit) == 2


def test_current_versions_lists_one_per_questionnaire(session: Session) -> None:
    service.sync_bank(session, [_loaded("probe-b", "x1"), _loaded("probe-a", "y1")])
    service.sync_bank(session, [_loaded("probe-b", "x2")])
    assert [(v.questionnaire_id, v.content_hash) for v in service.current_versions(session)] == [
        ("probe-a", "y1"),
        ("probe-b", "x2"),
    ]
