"""Stored questionnaire versions: one row per distinct content hash of a questionnaire bundle."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from app.db import JSONType, UTCDateTime, utcnow


class QuestionnaireVersionBase(SQLModel):
    questionnaire_id: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=300)
    content_hash: str = Field(unique=True, max_length=128)


class QuestionnaireVersion(QuestionnaireVersionBase, table=True):
    __tablename__ = "questionnaire_version"

    id: int | None = Field(default=None, primary_key=True)
    definition: dict[str, Any] = Field(sa_type=JSONType)
    source_path: str = Field(max_length=1000)
    loaded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    is_current: bool = Field(default=True, index=True)
