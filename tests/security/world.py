"""One real object behind every path parameter, so a walk over the routes reaches real handlers, not 404s.

A check that comes after the object lookup (a CSRF check, a role check) is only tested when the lookup
succeeds; with made-up ids a route that looked up first and checked second would pass for the wrong reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.events import service as events
from app.mail import service as mail
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.referees import service as referees
from app.referees.models import RefereeCreate
from app.roles import service as roles
from app.roles.models import RoleCreate
from app.scoring.model import Discipline
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from app.webhooks.service import new_secret
from tests import factories
from tests.security.routes import PARAM
from tests.web.hr.helpers import make_user


@dataclass(frozen=True)
class World:
    """Ids of one object of each kind; ``url`` puts them into a route's path."""

    ids: dict[str, str]
    invitation_id: str
    referee_token: str

    def url(self, path: str) -> str:
        """Return path with every parameter replaced by the id of a real object of that kind."""

        def value(name: str) -> str:
            if name == "assessment_id" and path.startswith("/hr/invitations/"):
                return self.invitation_id  # invitations are assessments with a link; HR forms are not
            if name == "token" and path.startswith("/r/"):
                return self.referee_token  # a referee's link, not a candidate's
            if name not in self.ids:
                raise KeyError(f"tests/security/world.py has no object for {{{name}}} in {path}; add one")
            return self.ids[name]

        return PARAM.sub(lambda m: value(m.group(1)), path)


def build(bank: Session) -> World:
    """Create one object of each kind in the (rolled-back) test database, which must hold the question bank."""
    other = make_user(bank, UserRole.VIEWER, email="someone.else@example.org")
    role = roles.create(bank, RoleCreate(title="World role"), actor="test")
    candidate = candidates.create(
        bank,
        CandidateCreate(first_name="Wendy", last_name="World", email="wendy@example.org", role_id=role.id),
        actor="test",
    )
    invitation = assessments.create(
        bank,
        questionnaire_id="self-test",
        mode=AssessmentMode.INVITATION,
        language="en",
        actor="test",
        candidate_id=candidate.id,
    )
    hr_form = factories.opened(bank, "hr-assessment", candidate_id=candidate.id)
    key, _secret = apikeys.create_key(bank, name="world", scopes=["read"], actor="test")
    endpoint = WebhookEndpoint(
        url="https://hooks.example.org/touchstone", events=["assessment.completed"], secret=new_secret(), created_by="t"
    )
    bank.add(endpoint)
    bank.flush()
    event = events.emit(bank, "assessment.completed", subject_id=None, data={})
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id, outbox_event_id=event.id, url=endpoint.url, status=DeliveryStatus.FAILED
    )
    bank.add(delivery)
    mentor = mentors.create(
        bank,
        MentorCreate(
            name="Mia Mentor",
            email="mia@example.org",
            discipline=Discipline.MARKETING,
            years_experience=12,
            capacity=3,
            languages=["en"],
        ),
        actor="test",
    )
    assert mentor.id is not None and candidate.id is not None
    assignment = mentors.assign(
        bank, mentor_id=mentor.id, candidate_id=candidate.id, plan={}, user_id=None, actor="test"
    )
    message = mail.queue(bank, to="wendy@example.org", subject="Hello", body="Hello", language="en", kind="test")
    referees.record_consent(bank, candidate, actor="test")
    referee = referees.add(
        bank,
        candidate,
        RefereeCreate(name="Rita Referee", email="rita@example.org", relation="manager", period="2020-2024"),
        actor="test",
        expires_at=None,
    )
    bank.flush()
    assert invitation.token is not None
    ids = {
        "candidate_id": candidate.id,
        "role_id": role.id,
        "assessment_id": hr_form.id,
        "key_id": key.id,
        "endpoint_id": endpoint.id,
        "delivery_id": delivery.id,
        "mentor_id": mentor.id,
        "assignment_id": assignment.id,
        "message_id": message.id,
        "user_id": other.id,
        "token": invitation.token,
        "section_id": "about_you",
        "referee_id": referee.referee.id,
    }
    # Committed (a savepoint release in tests): a refused request that rolls back must not take the world along.
    bank.commit()
    return World(
        {name: str(value) for name, value in ids.items()},
        invitation_id=str(invitation.assessment.id),
        referee_token=referee.token,
    )
