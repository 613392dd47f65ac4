"""Roles (vacancies): create, change, list, and find the role assessment that describes one."""

from __future__ import annotations

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from app.assessments.models import Assessment, AssessmentStatus
from app.audit import service as audit
from app.db import utcnow
from app.db.lookup import get_or_404
from app.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from app.questionnaires.models import QuestionnaireVersion
from app.roles.models import Role, RoleCreate

ROLE_ASSESSMENT_KIND = "role_assessment"
ROLE_ASSESSMENT_ID = "role-assessment"


def create(session: Session, data: RoleCreate, *, actor: str, user_id: int | None = None) -> Role:
    """Create a role (trimmed title) and record it in the audit log."""
    checked = RoleCreate.model_validate({**data.model_dump(), "title": data.title.strip()})
    role = Role.model_validate(checked, update={"created_by": user_id})
    audit.saved(session, role, actor=actor, action="role.created")
    return role


def get(session: Session, role_id: int) -> Role:
    """Return one role or raise NotFound."""
    return get_or_404(session, Role, role_id, "role")


def update(session: Session, role: Role, data: RoleCreate, *, actor: str) -> Role:
    """Replace a role's title, department, description and language."""
    checked = RoleCreate.model_validate({**data.model_dump(), "title": data.title.strip()})
    for field, value in checked.model_dump().items():
        setattr(role, field, value)
    role.updated_at = utcnow()
    audit.saved(session, role, actor=actor, action="role.updated")
    return role


def list_roles(session: Session, *, after: str | None = None, limit: int = 50) -> Page[Role]:
    """Return a page of roles by title, continuing after the cursor of a previous page."""
    limit = clamp_limit(limit)
    query = select(Role)
    if after:
        title, last_id = decode_cursor(after, 2)
        query = query.where(tuple_(col(Role.title), col(Role.id)) > tuple_(str(title), int(last_id)))
    rows = list(session.exec(query.order_by(col(Role.title), col(Role.id)).limit(limit + 1)))
    items = rows[:limit]
    cursor = encode_cursor(items[-1].title, items[-1].id) if len(rows) > limit else None
    return Page(items, cursor)


def all_roles(session: Session) -> list[Role]:
    """Return every role by title, for choice lists."""
    return list(session.exec(select(Role).order_by(col(Role.title), col(Role.id))))


def latest_role_assessment(session: Session, role: Role) -> Assessment | None:
    """Return the most recently completed role assessment of this role, if any."""
    query = (
        select(Assessment)
        .join(QuestionnaireVersion, col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id))
        .where(
            Assessment.role_id == role.id,
            Assessment.status == AssessmentStatus.COMPLETED,
            QuestionnaireVersion.kind == ROLE_ASSESSMENT_KIND,
        )
        .order_by(col(Assessment.completed_at).desc(), col(Assessment.id).desc())
    )
    return session.exec(query).first()


def open_role_assessment(session: Session, role: Role) -> Assessment | None:
    """Return a role assessment of this role that HR started but did not finish, if any."""
    query = (
        select(Assessment)
        .join(QuestionnaireVersion, col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id))
        .where(
            Assessment.role_id == role.id,
            col(Assessment.status).in_([AssessmentStatus.CREATED.value, AssessmentStatus.STARTED.value]),
            QuestionnaireVersion.kind == ROLE_ASSESSMENT_KIND,
        )
        .order_by(col(Assessment.created_at).desc())
    )
    return session.exec(query).first()
