"""The ATS JSON API, version 1: one router joining the resource routers."""

from fastapi import APIRouter

from app.api.v1 import answers, assessments, candidates, questionnaires, referees, roles, webhooks

router = APIRouter(prefix="/api/v1")
for module in (questionnaires, roles, candidates, referees, assessments, answers, webhooks):
    router.include_router(module.router)
