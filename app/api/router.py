"""The ATS integration's routes: /api/v1, the Greenhouse adapter, and the API reference."""

from fastapi import FastAPI

from app.api import docs, greenhouse, v1

# The API reference's sections, in reading order (the routes themselves are added busiest first).
TAGS = [
    {"name": "health", "description": "Liveness and readiness probes for load balancers and orchestrators."},
    {"name": "questionnaires", "description": "The questionnaires an ATS can order, with their questions."},
    {"name": "roles", "description": "Roles (vacancies) and the assessment of a role itself."},
    {"name": "candidates", "description": "Candidates: create, read, list, change and erase (GDPR)."},
    {"name": "referees", "description": "Referees a candidate named, their links, statements and status."},
    {"name": "assessments", "description": "Order an assessment, save answers, submit, and read the result."},
    {"name": "webhooks", "description": "Webhook endpoints and their deliveries."},
    {"name": "greenhouse", "description": "The Greenhouse Assessment Partner API (HTTP Basic auth)."},
]


def include(app: FastAPI) -> None:
    """Add every API route to the app (each module's router directly: see app.main.include_routers)."""
    v1.include(app)
    app.include_router(greenhouse.router)
    app.include_router(docs.router)
