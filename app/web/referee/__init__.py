"""Referee pages: the personal link /r/{token} (privacy notice, the candidate's claims, start).

The questions themselves are answered on the candidate pages' building blocks (/t/{token}: one section per
page, autosave, review, one submission), which serve any personal link.
"""

from fastapi import FastAPI

from app.web.referee import pages


def include(app: FastAPI) -> None:
    """Add the referee pages to the app (see app.main.include_routers)."""
    app.include_router(pages.router, include_in_schema=False)
