"""The HR workspace (/hr): sign-in, roles, candidates, invitations, users, outbox and audit log."""

from __future__ import annotations

from fastapi import APIRouter

from app.web.hr import (
    account,
    admin,
    assessments,
    auth,
    candidates,
    home,
    interview_guide,
    invitations,
    referees,
    roles,
    users,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(account.router)
router.include_router(home.router)
router.include_router(candidates.router)
router.include_router(invitations.router)
router.include_router(roles.router)
router.include_router(users.router)
router.include_router(admin.router)
router.include_router(assessments.router)
router.include_router(interview_guide.router)
router.include_router(referees.router)
