"""Candidate pages: the anonymous self-test and personal invitation links, answered in the browser."""

from fastapi import APIRouter

from app.web.candidate import links, referees, self_test

router = APIRouter(include_in_schema=False)
router.include_router(self_test.router)
router.include_router(links.router)
router.include_router(referees.router)
