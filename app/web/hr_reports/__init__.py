"""HR report pages: the HR questionnaire form, the candidate report, decisions, compare and mentors."""

from fastapi import APIRouter

from app.web.hr_reports import assessment_form, compare, mentors, report

router = APIRouter(include_in_schema=False)
router.include_router(assessment_form.router)
router.include_router(report.router)
router.include_router(compare.router)
router.include_router(mentors.router)
