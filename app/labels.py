"""Display labels for the codes the app stores and shows: one table per kind of code, translated where shown.

A page never shows a code ("report.viewed", "hr_assessment", "pr"): templates write ``code|label("kind")``
and Python calls :func:`label`. A code without a label is shown as it is (visible, never a crash);
``tests/test_labels.py`` fails when a code the app can produce has no label here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

from app.i18n import N_, translate

# What erasure writes over a person's name, e-mail address and free text (app.privacy, app.referees).
ERASED = "[erased]"
ERASED_LABEL = N_("[erased]")

LABELS: dict[str, Mapping[str, str]] = {
    # An assessment's status (app.assessments.models.AssessmentStatus; "none": no assessment yet).
    "status": {
        "none": N_("Not invited"),
        "created": N_("Created"),
        "invited": N_("Invited"),
        "started": N_("Started"),
        "completed": N_("Completed"),
        "expired": N_("Expired"),
        "cancelled": N_("Revoked"),
    },
    "verdict": {
        "ready_to_lead": N_("Ready to lead"),
        "ready_with_mentor": N_("Ready with a mentor"),
        "supervision_only": N_("Only under supervision"),
        "not_recommended": N_("Not recommended"),
        "insufficient_evidence": N_("Insufficient evidence"),
    },
    "decision": {
        "hire": N_("Hire"),
        "hire_with_mentor": N_("Hire with a mentor or under supervision"),
        "hold": N_("Hold (decide later)"),
        "reject": N_("Reject"),
    },
    # Which result a screen shows (app.reports.headline).
    "result_source": {
        "self_test": N_("Self-test"),
        "hr_assessment": N_("HR assessment"),
        "combined": N_("Combined"),
    },
    # Where a dimension's evidence came from (app.scoring.evidence: the policy's sources).
    "evidence_source": {"self": N_("self-test"), "hr": N_("HR"), "referee": N_("referees"), "role": N_("role")},
    # The parts a norm is computed for (app.reports: norms per questionnaire kind).
    "part": {"self": N_("Self-test"), "hr": N_("HR assessment")},
    "questionnaire": {
        "self-test": N_("Self-test"),
        "hr-assessment": N_("HR assessment"),
        "role-assessment": N_("Role assessment"),
        "reference-check": N_("Reference check"),
    },
    # The engine's calibration codes: one Dutch term for "calibrated" on every screen ("In balans").
    "calibration": {
        "calibrated": N_("Calibrated"),
        "over_claiming": N_("Over-claiming"),
        "under_claiming": N_("Under-claiming"),
    },
    "severity": {"high": N_("high"), "medium": N_("medium"), "low": N_("low")},
    "mark": {
        "buzzword": N_("buzzword"),
        "title": N_("self-given title"),
        "vanity": N_("vanity metric"),
        "volume": N_("volume as proof"),
    },
    # Claim signals (app.scoring.model.Signal): what came across as a claim rather than evidence.
    "signal": {
        "self_title": N_("Self-given title"),
        "vanity_metrics": N_("Success measured in followers and likes"),
        "volume_bragging": N_("Volume as proof"),
        "impossible_tenure": N_("Impossible years of experience"),
        "foils_claimed": N_("Knows terms that do not exist"),
        "buzzword_density": N_("Buzzword-heavy text"),
        "closed_accounts": N_("Social, with every account closed"),
        "self_rating_above_evidence": N_("Self-rating above evidence"),
        "unverified_claims": N_("Claims not confirmed"),
    },
    # Role-design risks (app.scoring.model.Risk); the engine's own label stays in its result for the API.
    "risk": {
        "one_person_show": N_("One-person show"),
        "no_integration": N_("No integration"),
        "vanity_kpis": N_("Success measured in followers and likes"),
        "no_accountability": N_("No accountability"),
        "no_continuity": N_("No continuity"),
        "no_senior_oversight": N_("No senior oversight"),
        "no_reason": N_("No reason"),
        "no_success_measure": N_("No success measure"),
        "escalation_office_hours": N_("Escalation in office hours only"),
        "single_department": N_("One department only"),
    },
    "discipline": {"marketing": N_("Marketing"), "communication": N_("Communication"), "pr": N_("PR")},
    "candidate_kind": {"applicant": N_("Applicant"), "employee": N_("Employee")},
    "language": {"nl": "Nederlands", "en": "English"},  # each in its own language, never translated
    "sort": {
        "updated": N_("Last change"),
        "name": N_("Name"),
        "evidence": N_("Evidence"),
        "claims": N_("Claims"),
        "verdict": N_("Verdict"),
    },
    "mail_status": {
        "queued": N_("Queued"),
        "held": N_("Held"),
        "sent": N_("Sent"),
        "failed": N_("Failed"),
        "withdrawn": N_("Withdrawn"),
    },
    "user_role": {"admin": N_("Administrator"), "assessor": N_("Assessor"), "viewer": N_("Viewer")},
    "relation": {"manager": N_("Manager"), "colleague": N_("Colleague"), "client": N_("Client")},
    "referee_status": {
        "invited": N_("invited"),
        "started": N_("started"),
        "completed": N_("completed"),
        "expired": N_("expired"),
        "revoked": N_("revoked"),
    },
    # Who named a referee (app.referees.models.NamedBy).
    "referee_named_by": {"hr": N_("HR"), "candidate": N_("the candidate")},
    # Why a dimension is in the interview guide (app.scoring.guide).
    "guide_status": {
        "not_measured": N_("not measured"),
        "weak": N_("weak"),
        "over_claimed": N_("rated far above the evidence"),
        "thin": N_("thin evidence"),
    },
    # What an API key may do (app.apikeys.models.ApiScope); the page shows the scope's code beside it for the ATS.
    "api_scope": {
        "read": N_("Read candidates and results"),
        "write": N_("Create candidates and invitations"),
        "greenhouse": N_("Greenhouse integration"),
        "webhooks": N_("Manage webhooks"),
    },
    "delivery_kind": {"webhook": N_("Webhook"), "greenhouse": N_("Greenhouse")},
    "delivery_status": {"pending": N_("Waiting"), "succeeded": N_("Delivered"), "failed": N_("Failed")},
    # Webhook events (app.events.service): what an ATS subscribes to.
    "event": {
        "assessment.started": N_("Assessment started"),
        "assessment.completed": N_("Assessment completed"),
        "assessment.expired": N_("Assessment expired"),
        "assessment.cancelled": N_("Assessment revoked"),
        "candidate.erased": N_("Candidate erased"),
        "reference.completed": N_("Reference completed"),
        "result.updated": N_("Result updated"),
    },
    # What an audit-log entry is about (app.audit: object_type, the table name of the row it is about, "user"
    # for users: app.audit.service.object_type_of). One label per stored code: the filter offers each once.
    "object_type": {
        "mentor_assignment": N_("Mentoring"),
        "decision": N_("Decision"),
        "rubric_rating": N_("Rating of an open answer"),
        "api_key": N_("API key"),
        "assessment": N_("Assessment"),
        "candidate": N_("Candidate"),
        "mentor": N_("Mentor"),
        "questionnaire_version": N_("Questionnaire version"),
        "referee": N_("Referee"),
        "role": N_("Vacancy"),
        "user": N_("User"),
        "webhook_delivery": N_("Webhook delivery"),
        "webhook_endpoint": N_("Webhook address"),
    },
    # Who did it, in the audit log: an e-mail address (a user) is shown as it is; "candidate:12" as "Candidate 12".
    "actor": {
        "system": N_("Touchstone (automatic)"),
        "cli": N_("Administrator on the server"),
        "anonymous": N_("Unknown visitor"),
        "candidate": N_("Candidate"),
        "referee": N_("Referee"),
        "user": N_("User"),
        "api-key": N_("API key"),
    },
    # Every action the audit log records (app.audit.service.record callers).
    "audit_action": {
        "api_key.created": N_("API key created"),
        "api_key.revoked": N_("API key revoked"),
        "assessment.cancelled": N_("Assessment revoked"),
        "assessment.consent_given": N_("Candidate gave consent"),
        "assessment.created": N_("Assessment created"),
        "assessment.link_reissued": N_("New link issued"),
        "assessment.submitted": N_("Assessment submitted"),
        "candidate.created": N_("Candidate added"),
        "candidate.erased": N_("Candidate erased"),
        "candidate.exported": N_("Candidate's data exported"),
        "candidate.procedure_closed": N_("Procedure closed"),
        "candidate.retention_consent": N_("Candidate agreed to longer retention"),
        "candidate.retention_consent_withdrawn": N_("Candidate withdrew consent to longer retention"),
        "candidate.updated": N_("Candidate changed"),
        "candidate.viewed": N_("Candidate viewed"),
        "candidates.exported": N_("Candidate list exported"),
        "decision.override": N_("Decision against the recommendation"),
        "decision.recorded": N_("Decision recorded"),
        "interview_guide.viewed": N_("Interview guide viewed"),
        "invitation.created": N_("Invitation created"),
        "mentor.activated": N_("Mentor activated"),
        "mentor.assigned": N_("Mentor assigned"),
        "mentor.assignment_ended": N_("Mentoring ended"),
        "mentor.created": N_("Mentor added"),
        "mentor.deactivated": N_("Mentor deactivated"),
        "questionnaire.version_added": N_("Questionnaire version added"),
        "referee.added": N_("Referee added"),
        "referee.consent_given": N_("Referee gave consent"),
        "referee.consent_recorded": N_("Candidate's consent for referees recorded"),
        "referee.consent_withdrawn": N_("Candidate's consent for referees withdrawn"),
        "referee.named_by_candidate": N_("Referee named by the candidate"),
        "referee.revoked_by_candidate": N_("Referee withdrawn by the candidate"),
        "referees.viewed": N_("Referees viewed"),
        "report.viewed": N_("Report viewed"),
        "role.created": N_("Vacancy added"),
        "role.updated": N_("Vacancy changed"),
        "rubric.rated": N_("Open answer rated"),
        "user.activated": N_("User activated"),
        "user.created": N_("User added"),
        "user.deactivated": N_("User deactivated"),
        "user.login": N_("Signed in"),
        "user.login_failed": N_("Failed sign-in"),
        "user.password_changed": N_("Password changed"),
        "user.role_changed": N_("User's permissions changed"),
        "webhook_delivery.retried": N_("Webhook delivery retried"),
        "webhook_endpoint.created": N_("Webhook address added"),
        "webhook_endpoint.deleted": N_("Webhook address removed"),
        "webhook_endpoint.disabled": N_("Webhook address paused"),
        "webhook_endpoint.enabled": N_("Webhook address resumed"),
        "webhook_endpoint.secret_rotated": N_("Webhook secret renewed"),
    },
}


# Kinds whose codes may carry an id after a colon ("candidate:12").
PREFIXED = frozenset({"actor"})


def label(code: object, kind: str, gettext: Callable[[str], str] = translate) -> str:
    """Return the reader's label for a code of this kind ("" for no code; an unknown code as it is).

    An unknown kind is a programming error and raises KeyError.
    """
    if code is None:
        return ""
    text = str(code.value if isinstance(code, Enum) else code)
    table = LABELS[kind]
    found = table.get(text)
    if found is None:
        prefix, colon, rest = text.partition(":")
        if kind in PREFIXED and colon and prefix in table:
            return f"{gettext(table[prefix])} {rest}"
        return text
    return found if kind == "language" else gettext(found)


def erased(text: object, gettext: Callable[[str], str] = translate) -> str:
    """Return stored text with erasure's placeholder in the reader's language ("[gewist]")."""
    value = "" if text is None else str(text)
    return value.replace(ERASED, gettext(ERASED_LABEL)) if ERASED in value else value
