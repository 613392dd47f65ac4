"""The HR workspace (/hr): every HR page, one module per page group."""

from __future__ import annotations

from fastapi import FastAPI

from app.web import csrf
from app.web.hr import (
    account,
    admin,
    api_keys,
    assessment_form,
    assessments,
    auth,
    candidates,
    compare,
    home,
    interview_guide,
    invitations,
    mentors,
    organisation,
    privacy,
    referees,
    report,
    roles,
    users,
    webhooks,
)

PAGES = (
    auth,
    account,
    home,
    candidates,
    invitations,
    roles,
    users,
    admin,
    assessments,
    assessment_form,
    interview_guide,
    referees,
    report,
    compare,
    mentors,
    privacy,
    api_keys,
    webhooks,
    organisation,
)


def include(app: FastAPI) -> None:
    """Add every HR page to the app (each module's router directly: see app.main.include_routers)."""
    for module in PAGES:
        # Every state-changing HR form carries the CSRF token; one dependency checks it before the route runs.
        app.include_router(module.router, dependencies=[csrf.Protected], include_in_schema=False)
