"""Display labels for HR pages: the code tables of app.labels, and the texts about an invitation's e-mail."""

from __future__ import annotations

from app.i18n import N_
from app.labels import LABELS

# The code tables live in app.labels (one place for every screen, export and test); these names stay for the
# Python that looks a code up (exports, select options).
STATUS_LABELS = LABELS["status"]
VERDICT_LABELS = LABELS["verdict"]
SORT_LABELS = LABELS["sort"]
LANGUAGE_LABELS = LABELS["language"]
KIND_LABELS = LABELS["candidate_kind"]
MAIL_STATUS_LABELS = LABELS["mail_status"]
# What the candidate page says about an invitation's e-mail: only "sent" once the mail server accepted it.
MAIL_STATE_LABELS = {
    # "held" as the Outbox says it: without a mail server nothing is queued for sending, it waits there.
    "held": N_("held in the Outbox — no mail server configured"),
    "queued": N_("queued, to be sent"),
    "retrying": N_("queued, to be retried; the last attempt failed: %(reason)s"),
    "sent": N_("sent on %(date)s"),
    "failed": N_("failed: %(reason)s"),
    "withdrawn": N_("withdrawn unsent: its link stopped working (a newer link was issued, or it was revoked)"),
}
DECISION_LABELS = LABELS["decision"]
