"""The ATS integration's routes: /api/v1, the Greenhouse adapter, and the API reference."""

from fastapi import APIRouter

from app.api import docs, greenhouse, v1

router = APIRouter()
router.include_router(v1.router)
router.include_router(greenhouse.router)
router.include_router(docs.router)
