"""The ATS integration's routes: /api/v1, the Greenhouse adapter, the API reference and its admin pages."""

from fastapi import APIRouter

from app.api import docs, greenhouse, v1
from app.apikeys import pages as api_key_pages
from app.webhooks import pages as webhook_pages

router = APIRouter()
router.include_router(v1.router)
router.include_router(greenhouse.router)
router.include_router(docs.router)
router.include_router(api_key_pages.router)
router.include_router(webhook_pages.router)
