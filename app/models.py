"""Import every domain's tables so SQLModel.metadata (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import LoginThrottle, User, UserSession
from app.apikeys.models import ApiKey, IdempotencyRecord, RateWindow
from app.assessments.models import Answer, Assessment, ReplacedLink, Result, RubricRating
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from app.db import metadata
from app.events.models import OutboxEvent
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import InvitationReminder, MailMessage, Organisation
from app.mentors.models import Mentor, MentorAssignment
from app.questionnaires.models import QuestionnaireVersion
from app.ratelimit.models import RateLimitHit
from app.referees.models import CandidateNetwork, Referee, ReferenceConsent
from app.reports.models import Decision
from app.roles.models import Role
from app.webhooks.models import OutboxDispatch, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Answer",
    "ApiKey",
    "Assessment",
    "AuditEvent",
    "Candidate",
    "CandidateNetwork",
    "Decision",
    "GreenhouseInterview",
    "GreenhouseResponseError",
    "IdempotencyRecord",
    "InvitationReminder",
    "LoginThrottle",
    "MailMessage",
    "Mentor",
    "MentorAssignment",
    "Organisation",
    "OutboxDispatch",
    "OutboxEvent",
    "QuestionnaireVersion",
    "RateLimitHit",
    "RateWindow",
    "Referee",
    "ReferenceConsent",
    "ReplacedLink",
    "Result",
    "Role",
    "RubricRating",
    "User",
    "UserSession",
    "WebhookDelivery",
    "WebhookEndpoint",
    "metadata",
]
