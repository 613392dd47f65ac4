"""Candidate pages: the anonymous self-test and personal invitation links, answered in the browser."""

from fastapi import FastAPI

from app.web.candidate import links, referees, self_test


def include(app: FastAPI) -> None:
    """Add the candidate pages to the app (each module's router directly: see app.main.include_routers)."""
    for module in (links, self_test, referees):
        app.include_router(module.router, include_in_schema=False)
