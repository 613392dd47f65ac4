"""Import every domain's tables so SQLModel.metadata (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import User, UserSession
from app.assessments.models import Answer, Assessment, Result, RubricRating
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from app.db import metadata
from app.events.models import OutboxEvent
from app.mail.models import MailMessage
from app.questionnaires.models import QuestionnaireVersion
from app.roles.models import Role

__all__ = [
    "Answer",
    "Assessment",
    "AuditEvent",
    "Candidate",
    "MailMessage",
    "OutboxEvent",
    "QuestionnaireVersion",
    "Result",
    "Role",
    "RubricRating",
    "User",
    "UserSession",
    "metadata",
]
