"""The same job as Touchstone's result read, written the way the FastAPI documentation would.

A `SessionDep`, `select()` for the API key, `select()` for the result row, the stored result returned as
JSON. `make bench` runs it on Touchstone's own benchmark database (REFERENCE_DATABASE_URL), so the two
read the same rows on the same machine and the figure is a ratio.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException
from sqlalchemy import JSON
from sqlmodel import Field, Session, SQLModel, create_engine, select


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    prefix: str
    secret_hash: str
    scopes: list[str] = Field(sa_type=JSON)
    revoked_at: dt.datetime | None = None


class Result(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str
    result: dict[str, Any] = Field(sa_type=JSON)


engine = create_engine(os.environ["REFERENCE_DATABASE_URL"], connect_args={"check_same_thread": False})
app = FastAPI()


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_api_key(session: SessionDep, authorization: Annotated[str, Header()]) -> ApiKey:
    parts = authorization.removeprefix("Bearer ").split("_", 2)
    if len(parts) != 3:
        raise HTTPException(status_code=401, detail="Invalid API key")
    key = session.exec(select(ApiKey).where(ApiKey.prefix == parts[1])).first()
    digest = hashlib.sha256(parts[2].encode()).hexdigest()
    if key is None or key.revoked_at is not None or not hmac.compare_digest(key.secret_hash, digest):
        raise HTTPException(status_code=401, detail="Invalid API key")
    if "read" not in key.scopes:
        raise HTTPException(status_code=403, detail="Not enough permissions")
    return key


ApiKeyDep = Annotated[ApiKey, Depends(get_api_key)]


@app.get("/api/v1/assessments/{assessment_id}/result")
def read_result(assessment_id: str, session: SessionDep, key: ApiKeyDep) -> dict[str, Any]:
    """Return the stored result of an assessment."""
    result = session.exec(select(Result).where(Result.assessment_id == assessment_id)).first()
    if result is None:
        raise HTTPException(status_code=404, detail="Result not found")
    return {"assessment_id": assessment_id, "result": result.result}
