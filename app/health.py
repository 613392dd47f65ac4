"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app import schema
from app.config import Settings
from app.db import get_engine, sqlite_unwritable_reason, stuck_writer_reason
from app.problems import problem

router = APIRouter(tags=["health"])


@router.get("/healthz", name="healthz")
def healthz() -> dict[str, str]:
    """Report that the process is alive."""
    return {"status": "ok"}


@router.get("/readyz", name="readyz", response_model=None)
def readyz(request: Request) -> Response:
    """Report whether this instance can serve: the database answers, takes writes and is at the migration head."""
    reason = _not_ready_reason(get_engine(request), request.app.state.settings)
    if reason:
        return problem(request, 503, title="Not ready", detail=reason, headers={"Retry-After": "5"})
    return JSONResponse({"status": "ready"})


def _not_ready_reason(engine: Engine, settings: Settings) -> str | None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return (
            sqlite_unwritable_reason(engine)
            # A write would wait this long and then fail with 503: say so before traffic is routed here.
            or stuck_writer_reason(engine, within=settings.db_busy_timeout_seconds)
            or schema.pending_reason(engine)
        )
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        return f"the database does not answer: {type(cause).__name__}"
