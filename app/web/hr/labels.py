"""Display labels for codes shown in HR pages (translated where they are rendered)."""

from __future__ import annotations

from app.i18n import N_

STATUS_LABELS = {
    "none": N_("Not invited"),
    "created": N_("Created"),
    "invited": N_("Invited"),
    "started": N_("Started"),
    "completed": N_("Completed"),
    "expired": N_("Expired"),
    "cancelled": N_("Revoked"),
}
VERDICT_LABELS = {
    "ready_to_lead": N_("Ready to lead"),
    "ready_with_mentor": N_("Ready with a mentor"),
    "supervision_only": N_("Only under supervision"),
    "not_recommended": N_("Not recommended"),
    "insufficient_evidence": N_("Insufficient evidence"),
}
SORT_LABELS = {
    "updated": N_("Last change"),
    "name": N_("Name"),
    "evidence": N_("Evidence"),
    "claims": N_("Claims"),
    "verdict": N_("Verdict"),
}
LANGUAGE_LABELS = {"nl": "Nederlands", "en": "English"}
KIND_LABELS = {"applicant": N_("Applicant"), "employee": N_("Employee")}
MAIL_STATUS_LABELS = {"queued": N_("Queued"), "held": N_("Held"), "sent": N_("Sent"), "failed": N_("Failed")}
# What the candidate page says about an invitation's e-mail: only "sent" once the mail server accepted it.
MAIL_STATE_LABELS = {
    "held": N_("queued — no mail server configured"),
    "queued": N_("queued, to be sent"),
    "retrying": N_("queued, to be retried; the last attempt failed: %(reason)s"),
    "sent": N_("sent on %(date)s"),
    "failed": N_("failed: %(reason)s"),
}
DECISION_LABELS = {
    "hire": N_("Hire"),
    "hire_with_mentor": N_("Hire with a mentor or under supervision"),
    "hold": N_("Hold (decide later)"),
    "reject": N_("Reject"),
}
