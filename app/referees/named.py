"""Referees the candidate names on their own link, after the self-test, when HR allowed it in the invitation.

The same rules as HR's referees (consent, at most three who are not revoked, a personal link each, the same
fraud signals), plus the candidate's own: their own address is no referee, an address is named once (also
after HR revoked it), and a form counts how often it was accepted on the link (``Assessment.referees_named``)
so that a second click or a replayed request creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col

from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.db import utcnow
from app.errors import Conflict, NotFound
from app.referees import service as referees
from app.referees.models import NamedBy, RefereeCreate, RefereeStatus, ReferenceConsent

ACTOR = "candidate"
"""Who the audit log and the consent name when the candidate acted on their own link."""
NO_CONSENT = "agree that the people you name are contacted"
LINK_DAYS = 14
"""How long the link of a referee the candidate named stays valid (HR can give a new one)."""


@dataclass(frozen=True)
class Naming:
    """What the candidate's referee page shows: their referees' status (never their answers) and the room left."""

    candidate: Candidate
    open: bool
    """The link still takes new referees: HR allowed it and the invitation's expiry has not passed."""
    closes_at: dt.datetime | None
    consent: ReferenceConsent | None
    withdrawn_at: dt.datetime | None
    """When the candidate's consent was withdrawn (by them or by HR); None while it stands or was never given."""
    named: list[referees.RefereeRow]
    """The referees this candidate named, oldest first (HR's own referees are not shown to the candidate)."""
    places: int
    """How many more referees can be named: three who are not revoked, HR's included."""
    form_key: int
    """The count a form carries; a form sent with an older count was already accepted (or overtaken)."""


def allows(assessment: Assessment) -> bool:
    """Tell whether this link lets its candidate name referees: HR allowed it and the test is submitted."""
    return (
        assessment.candidate_names_referees
        and assessment.candidate_id is not None
        and assessment.mode in (AssessmentMode.INVITATION, AssessmentMode.API)
        and assessment.status == AssessmentStatus.COMPLETED
    )


def _open(assessment: Assessment) -> bool:
    return allows(assessment) and (assessment.expires_at is None or assessment.expires_at > utcnow())


def naming(session: Session, assessment: Assessment) -> Naming:
    """Return what the candidate's referee page shows; NotFound when the link does not allow naming referees."""
    if not allows(assessment):
        raise NotFound("this link does not let the candidate name referees")
    assert assessment.candidate_id is not None
    candidate = candidates.get(session, assessment.candidate_id)
    if candidate.erased_at is not None:
        raise NotFound("this link is not known")
    rows = referees.list_for(session, assessment.candidate_id)
    active = sum(1 for row in rows if row.status != RefereeStatus.REVOKED)
    return Naming(
        candidate=candidate,
        open=_open(assessment),
        closes_at=assessment.expires_at,
        consent=referees.consent_of(session, assessment.candidate_id),
        withdrawn_at=referees.consent_withdrawn_at(session, assessment.candidate_id),
        named=[row for row in rows if row.referee.named_by == NamedBy.CANDIDATE],
        places=max(0, referees.MAX_REFEREES - active),
        form_key=assessment.referees_named,
    )


def _check(session: Session, seen: Naming, data: RefereeCreate, *, agreed: bool) -> None:
    if not seen.open:
        raise Conflict("form: naming referees on this link has closed", field="form")
    if seen.consent is None and not agreed:
        raise Conflict(f"consent: {NO_CONSENT}", field="consent")
    if seen.candidate.email and data.email == seen.candidate.email.lower():
        raise Conflict(f"email: {data.email} is your own address; name someone else", field="email")
    assert seen.candidate.id is not None
    # Also a revoked referee: the candidate cannot bring back someone HR withdrew.
    if any(row.referee.email == data.email for row in referees.list_for(session, seen.candidate.id)):
        raise Conflict(f"email: {data.email} is already one of your referees", field="email")
    if seen.places <= 0:
        raise Conflict(f"form: a candidate has at most {referees.MAX_REFEREES} referees", field="form")


def _claim(session: Session, assessment: Assessment, form_key: int) -> bool:
    """Count the form as accepted, once: False when a form with this count was accepted before."""
    # The conditional update is the first write: a second request with the same count waits for this one
    # (SQLite's write gate, PostgreSQL's row lock) and then changes no row.
    taken = session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment.id, col(Assessment.referees_named) == form_key)
        .values(referees_named=form_key + 1)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def name(
    session: Session, assessment: Assessment, data: RefereeCreate, *, agreed: bool, form_key: int
) -> referees.Added | None:
    """Add a referee the candidate named on their link, with a personal link; None when this form was sent before.

    ``agreed``: the candidate ticked the consent that referees are contacted and shown their claims
    (recorded as theirs when no consent stands). Refusals raise Conflict naming the field.
    """
    seen = naming(session, assessment)
    if seen.form_key != form_key:
        return None  # shown before another form was accepted: this one was sent already, or overtaken
    _check(session, seen, data, agreed=agreed)
    if not _claim(session, assessment, form_key):
        return None
    candidate = seen.candidate
    if referees.consent_of(session, assessment.candidate_id or 0) is None:
        referees.record_consent(session, candidate, actor=ACTOR)
    added = referees.add(session, candidate, data, actor=ACTOR, expires_at=utcnow() + dt.timedelta(days=LINK_DAYS))
    added.referee.named_by = NamedBy.CANDIDATE
    session.add(added.referee)
    session.flush()
    # Ids only, like every referee entry: the audit log outlives the candidate's erasure.
    audit.record(
        session,
        candidate,
        actor=ACTOR,
        action="referee.named_by_candidate",
        detail={"referee_id": added.referee.id, "relation": str(data.relation), "link_assessment_id": assessment.id},
    )
    return added


def withdraw_consent(session: Session, assessment: Assessment) -> int:
    """Withdraw the candidate's consent on their own link: every open referee link stops working, HR's too.

    Return how many links stopped; 0 when no consent stands (a second click changes nothing). Statements
    already given stay with the organisation, as when HR records the withdrawal.
    """
    seen = naming(session, assessment)
    return referees.withdraw_consent(session, seen.candidate, actor=ACTOR)


def own(seen: Naming, referee_id: int) -> referees.RefereeRow:
    """Return one of the referees the candidate named; NotFound for anyone else (HR's referees included)."""
    row = next((row for row in seen.named if row.referee.id == referee_id), None)
    if row is None:
        raise NotFound(f"referee {referee_id} is not one of the referees you named")
    return row


REVOCABLE = (RefereeStatus.INVITED, RefereeStatus.STARTED, RefereeStatus.EXPIRED)
"""The referees whose link the candidate can withdraw: not answered (an expired one frees its place too)."""


def revoke(session: Session, assessment: Assessment, referee_id: int) -> bool:
    """Withdraw the link of a referee the candidate named; False when it was withdrawn already (a second click).

    Only the candidate's own referees (HR's are not theirs to withdraw: NotFound, as if unknown); a referee
    who already answered keeps their statement (Conflict).
    """
    seen = naming(session, assessment)
    row = own(seen, referee_id)
    if row.status == RefereeStatus.REVOKED:
        return False
    if row.status not in REVOCABLE:
        raise Conflict(f"form: referee {referee_id} has answered already; a given statement stays", field="form")
    referees.revoke(session, row.referee, actor=ACTOR)
    # Ids only, like every referee entry: the audit log outlives the candidate's erasure.
    audit.record(
        session,
        row.referee,
        actor=ACTOR,
        action="referee.revoked_by_candidate",
        detail={"candidate_id": seen.candidate.id, "link_assessment_id": assessment.id},
    )
    return True


def already_named(session: Session, assessment: Assessment, email: str) -> bool:
    """Tell whether the candidate already named this address (a form sent twice lands on the saved list)."""
    if assessment.candidate_id is None:
        return False
    return any(
        row.referee.email == email.strip().lower() and row.referee.named_by == NamedBy.CANDIDATE
        for row in referees.list_for(session, assessment.candidate_id)
    )
