"""The public view of questionnaires and assessments (no scoring keys) and the links an ATS is given."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.config import Settings
from app.questionnaires.models import QuestionnaireVersion
from app.scoring import model as m

# What a person needs to answer an item, per type; everything else (points, keys, signals, weights,
# what the item reveals, which terms are foils) would let an answer be tuned to the score.
_SHOWN: dict[str, tuple[str, ...]] = {
    "single_choice": ("options",),
    "multiple_choice": ("options", "min_choices", "max_choices"),
    "likert": ("min", "max", "labels"),
    "bars": ("anchors", "allow_not_observed"),
    "sjt": ("options",),
    "numeric": ("unit", "min", "max"),
    "tenure": ("platforms", "unit"),
    "familiarity": ("terms", "min", "max", "labels"),
    "free_text": ("max_length",),
    "yes_no": (),
}


def _text(value: m.Text | None) -> dict[str, str] | None:
    return None if value is None else {"nl": value.nl, "en": value.en}


def _choice(value: Any) -> dict[str, Any]:
    shown = {"id": value.id, "text": _text(value.text)}
    if getattr(value, "exclusive", False):
        shown["exclusive"] = True  # an answer only on its own ("none"): the API refuses it beside another
    return shown


def _scale(value: m.ScalePoint) -> dict[str, Any]:
    return {"value": value.value, "text": _text(value.text)}


def _field(name: str, value: Any) -> Any:
    if name in ("options", "terms"):
        return [_choice(v) for v in value]
    if name in ("labels", "anchors"):
        return [_scale(v) for v in value]
    if isinstance(value, m.Text):
        return _text(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def public_item(item: m.Item) -> dict[str, Any]:
    """Return an item as a candidate sees it."""
    shown: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "text": _text(item.text),
        "help": _text(item.help),
        "required": item.required,
    }
    for name in _SHOWN[item.type]:
        shown[name] = _field(name, getattr(item, name))
    return shown


def public_questionnaire(version: QuestionnaireVersion, questionnaire: m.Questionnaire) -> dict[str, Any]:
    """Return the candidate-facing definition of a questionnaire version."""
    return {
        **questionnaire_summary(version, questionnaire),
        "description": _text(questionnaire.description),
        "audience": _text(questionnaire.audience),
        "sections": [
            {
                "id": section.id,
                "title": _text(section.title),
                "intro": _text(section.intro),
                "items": [public_item(item) for item in section.items],
            }
            for section in questionnaire.sections
        ],
    }


def questionnaire_summary(version: QuestionnaireVersion, questionnaire: m.Questionnaire) -> dict[str, Any]:
    """Return the identifying fields of a questionnaire version."""
    return {
        "id": version.questionnaire_id,
        "kind": str(questionnaire.kind),
        "title": _text(questionnaire.title),
        "version": version.content_hash,
        "estimated_minutes": questionnaire.estimated_minutes,
    }


def invitation_url(settings: Settings, token: str) -> str:
    """Return the link a candidate opens to take an assessment."""
    return f"{settings.base_url}/t/{token}"


def candidate_report_url(settings: Settings, candidate_id: int) -> str:
    """Return the HR workspace page with a candidate's combined report (sign-in required)."""
    return f"{settings.base_url}/hr/candidates/{candidate_id}/report"


def report_url(settings: Settings, assessment: Assessment) -> str:
    """Return the HR workspace page with this assessment's report (sign-in required).

    A candidate's assessments appear in their combined report (route candidate_report); a role
    assessment on its role's page (route hr_role).
    """
    if assessment.candidate_id is not None:
        return candidate_report_url(settings, assessment.candidate_id)
    if assessment.role_id is not None:
        return f"{settings.base_url}/hr/roles/{assessment.role_id}"
    return f"{settings.base_url}/hr"


def assessment_out(
    session: Session, settings: Settings, assessment: Assessment, *, invitation: str | None = None
) -> dict[str, Any]:
    """Return an assessment as the API shows it; the invitation link only right after creation."""
    version = assessments.version_of(session, assessment)
    return {
        "id": assessment.id,
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.content_hash,
        "candidate_id": assessment.candidate_id,
        "role_id": assessment.role_id,
        "mode": str(assessment.mode),
        "language": assessment.language,
        "status": str(assessment.status_now),
        "expires_at": assessment.expires_at,
        "created_at": assessment.created_at,
        "started_at": assessment.started_at,
        "completed_at": assessment.completed_at,
        "invitation_url": invitation,
        "report_url": report_url(settings, assessment),
        "candidate_names_referees": assessment.candidate_names_referees,
    }
