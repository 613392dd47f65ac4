"""Tables behave the same on SQLite and PostgreSQL: JSON, aware UTC datetimes, constraints, pragmas."""

from __future__ import annotations

import datetime as dt
import typing
from enum import StrEnum

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from app.assessments.models import Answer, Assessment, AssessmentMode, AssessmentStatus, Result
from app.db import StrEnumType, create_db_engine
from app.questionnaires.models import QuestionnaireVersion
from tests.databases import Factory


def _version(session: Session) -> QuestionnaireVersion:
    version = QuestionnaireVersion(
        questionnaire_id="probe",
        kind="self_test",
        title="Probe",
        content_hash="sha256:probe",
        definition={"questionnaire": {"id": "probe", "nested": [1, 2.5, "drie", None, True]}},
        source_path="questions/probe.yaml",
    )
    session.add(version)
    session.flush()
    return version


def test_json_and_datetimes_round_trip(session: Session) -> None:
    version = _version(session)
    when = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    assessment = Assessment(
        questionnaire_version_id=version.id,  # type: ignore[arg-type]
        content_hash=version.content_hash,
        mode=AssessmentMode.ANONYMOUS,
        expires_at=when,
    )
    session.add(assessment)
    session.flush()  # no ORM relationship orders the inserts, so the parent goes first explicitly
    session.add(Answer(assessment_id=assessment.id, item_id="q1", value={"best": "a", "worst": "c"}))
    session.add(
        Result(
            assessment_id=assessment.id,
            content_hash=version.content_hash,
            engine_version="1",
            language="nl",
            result={"verdict": "ready_with_mentor", "scores": [1, 2]},
            evidence_overall=61.5,
        )
    )
    session.flush()
    session.expire_all()

    stored = session.get(Assessment, assessment.id)
    assert stored is not None
    assert stored.expires_at == when
    assert stored.expires_at.tzinfo is not None  # type: ignore[union-attr]
    assert stored.created_at.tzinfo is not None
    assert len(stored.id) == 32
    # Read back as the enum members the fields declare, not as bare strings.
    assert type(stored.mode) is AssessmentMode and type(stored.status) is AssessmentStatus
    assert session.get(QuestionnaireVersion, version.id).definition["questionnaire"]["nested"] == [  # type: ignore[union-attr]
        1,
        2.5,
        "drie",
        None,
        True,
    ]


def test_one_answer_per_item(session: Session) -> None:
    version = _version(session)
    assessment = Assessment(
        questionnaire_version_id=version.id,  # type: ignore[arg-type]
        content_hash=version.content_hash,
        mode=AssessmentMode.API,
    )
    session.add(assessment)
    session.flush()
    session.add(Answer(assessment_id=assessment.id, item_id="q1", value=1))
    session.flush()
    session.add(Answer(assessment_id=assessment.id, item_id="q1", value=2))
    with pytest.raises(IntegrityError):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(Assessment(questionnaire_version_id=999_999, content_hash="x", mode=AssessmentMode.HR))
    with pytest.raises(IntegrityError):
        session.flush()


def test_sqlite_connection_setup(new_database: Factory) -> None:
    engine = create_db_engine(new_database("sqlite"))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


def test_every_enum_field_is_stored_as_its_enum() -> None:
    # A column declared as a StrEnum but typed as a plain VARCHAR reads back bare strings: comparisons still
    # work, but the model then holds a value its type does not allow (and Pydantic warns when it is dumped).
    import app.models  # noqa: F401 - every table

    plain: list[str] = []
    for mapper in SQLModel._sa_registry.mappers:
        model = mapper.class_
        hints = typing.get_type_hints(model)
        for column in mapper.columns:
            hint = hints.get(column.key)
            if isinstance(hint, type) and issubclass(hint, StrEnum) and not isinstance(column.type, StrEnumType):
                plain.append(f"{model.__name__}.{column.key}")
    assert plain == []
