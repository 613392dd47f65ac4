"""Which questionnaires an ATS may order for a candidate: those the candidate takes alone (the self-test).

The HR assessment and the role assessment are filled in by HR in the workspace, the reference check by
referees on their own links; none is sent to a candidate.
"""

from __future__ import annotations

from sqlmodel import Session

from app.errors import Invalid
from app.questionnaires import service as questionnaires
from app.questionnaires.models import QuestionnaireVersion

ORDERABLE_KINDS = ("self_test",)


def orderable(session: Session, questionnaire_id: str) -> QuestionnaireVersion:
    """Return the current version of a questionnaire a candidate can be invited to, or raise."""
    version = questionnaires.current_or_404(session, questionnaire_id)
    if version.kind not in ORDERABLE_KINDS:
        who = (
            "by a candidate's referees, on the links they get when added as referees"
            if version.kind == "reference_check"
            else "by HR in the workspace"
        )
        raise Invalid(
            f"questionnaire_id: '{questionnaire_id}' is filled in {who}; "
            "candidates can be invited to: " + ", ".join(v.questionnaire_id for v in list_orderable(session)),
            field="questionnaire_id",
        )
    return version


def list_orderable(session: Session) -> list[QuestionnaireVersion]:
    """Return the current versions a candidate can be invited to."""
    return [v for v in questionnaires.current_versions(session) if v.kind in ORDERABLE_KINDS]
