"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app import schema
from app.db import get_engine, reader, sqlite_unwritable_reason
from app.problems import problem

router = APIRouter(tags=["health"])


@router.get("/healthz", name="healthz")
def healthz() -> dict[str, str]:
    """Report that the process is alive."""
    return {"status": "ok"}


@router.get("/readyz", name="readyz", response_model=None)
def readyz(request: Request) -> Response:
    """Report whether this instance can serve: the database answers and is at the migration head."""
    reason = _not_ready_reason(get_engine(request))
    if reason:
        return problem(request, 503, title="Not ready", detail=reason)
    return JSONResponse({"status": "ready"})


def _not_ready_reason(engine: Engine) -> str | None:
    engine = reader(engine)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return sqlite_unwritable_reason(engine) or schema.pending_reason(engine)
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        return f"the database does not answer: {type(cause).__name__}"
