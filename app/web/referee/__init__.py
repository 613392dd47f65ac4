"""Referee pages: the personal link /r/{token} (privacy notice, the candidate's claims, start).

The questions themselves are answered on the candidate pages' building blocks (/t/{token}: one section per
page, autosave, review, one submission), which serve any personal link.
"""

from fastapi import APIRouter

from app.web.referee import pages

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
