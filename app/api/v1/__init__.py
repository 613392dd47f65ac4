"""The ATS JSON API, version 1: the resource routers, each added to the app under /api/v1."""

from fastapi import FastAPI

from app.api.v1 import answers, assessments, candidates, questionnaires, referees, roles, webhooks

PREFIX = "/api/v1"


def include(app: FastAPI) -> None:
    """Add the version 1 resource routers to the app (directly: see app.main.include_routers), the busiest
    first: routes are matched in order, and saving answers, submitting and reading results come first."""
    for module in (answers, assessments, candidates, referees, roles, questionnaires, webhooks):
        app.include_router(module.router, prefix=PREFIX)
