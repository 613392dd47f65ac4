"""Referees: record the candidate's consent, add referees (a personal link each), follow their status, revoke
or renew a link, and read the candidate's combined result with its references."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from sqlmodel import Session
from starlette.responses import JSONResponse

from app.api import idempotency
from app.api.deps import ReadApi, WriteApi
from app.api.v1.common import invalid_input, problems
from app.api.v1.referee_schemas import (
    CombinedOut,
    ConsentIn,
    ConsentOut,
    ConsentWithdrawn,
    LinkIn,
    RefereeIn,
    RefereeList,
    RefereeOut,
)
from app.api.v1.schemas import MAX_ID
from app.assessments import public as presenters
from app.candidates import invitations
from app.candidates import service as candidates
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import RefereeCreate, RefereeStatus
from app.reports import service as reports

router = APIRouter(tags=["referees"])
CandidateId = Annotated[int, Path(ge=1, le=MAX_ID, description="The candidate's id.")]
Lang = Annotated[Literal["nl", "en"] | None, Query(description="Language of the texts; default: the candidate's.")]
RefereeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The referee's id.")]


def _out(row: referees.RefereeRow, link: str | None = None) -> dict[str, Any]:
    referee, assessment = row.referee, row.assessment
    shown = RefereeOut(
        id=referee.id or 0,
        candidate_id=referee.candidate_id,
        name=referee.name,
        email=referee.email,
        relation=referee.relation,
        period=referee.period,
        language=referee.language,
        named_by=referee.named_by,
        status=row.status,
        assessment_id=referee.assessment_id,
        created_at=referee.created_at,
        started_at=referee.consented_at,
        completed_at=assessment.completed_at if assessment is not None else None,
        expires_at=assessment.expires_at if assessment is not None else None,
        invitation_url=link,
    )
    return shown.model_dump(mode="json")


def _row(session: Session, referee_id: int) -> referees.RefereeRow:
    referee = referees.get(session, referee_id)
    return next(r for r in referees.list_for(session, referee.candidate_id) if r.referee.id == referee_id)


@router.post(
    "/candidates/{candidate_id}/reference-consent",
    name="api_reference_consent_record",
    response_model=ConsentOut,
    responses=problems(404, 410, 413),
)
def record_consent(
    api: WriteApi, candidate_id: CandidateId, body: ConsentIn, once: idempotency.Idempotent
) -> JSONResponse:
    """Record that the candidate agreed that referees are contacted and shown the claims they made.

    Needed before the first referee is added; recording it again changes nothing.
    """

    def produce() -> tuple[int, Any]:
        consent = referees.record_consent(api.session, candidates.get(api.session, candidate_id), actor=api.actor)
        return 200, ConsentOut.model_validate(consent, from_attributes=True).model_dump(mode="json")

    return once.run(api, body, produce)


@router.delete(
    "/candidates/{candidate_id}/reference-consent",
    name="api_reference_consent_withdraw",
    response_model=ConsentWithdrawn,
    responses=problems(404),
)
def withdraw_consent(api: WriteApi, candidate_id: CandidateId) -> dict[str, Any]:
    """Record that the candidate withdrew consent: open referee links stop working at once.

    Submitted statements stay in the result; no referee can be added until consent is recorded again.
    """
    revoked = referees.withdraw_consent(api.session, candidates.get(api.session, candidate_id), actor=api.actor)
    return {"candidate_id": candidate_id, "revoked": revoked}


@router.post(
    "/candidates/{candidate_id}/referees",
    name="api_referee_create",
    status_code=201,
    response_model=RefereeOut,
    responses=problems(404, 409, 410, 413),
)
def create_referee(
    api: WriteApi, candidate_id: CandidateId, body: RefereeIn, once: idempotency.Idempotent
) -> JSONResponse:
    """Add a referee with a personal link; the response holds the link (shown only here).

    Needs the candidate's consent (409 naming `consent` without it) and at most three referees who are
    not revoked; the link is e-mailed unless `send_invitation` is false.
    """

    def produce() -> tuple[int, Any]:
        candidate = candidates.get(api.session, candidate_id)
        with invalid_input():
            data = RefereeCreate.model_validate(body.model_dump(exclude={"expires_at", "send_invitation"}))
        added = referees.add(
            api.session,
            candidate,
            data,
            actor=api.actor,
            expires_at=invitations.ats_expiry(api.settings, body.expires_at),
        )
        if body.send_invitation:
            referee_mail.send_link(api.session, api.settings, added.referee, added.token)
        assert added.referee.id is not None
        return 201, _out(_row(api.session, added.referee.id), referees.link(api.settings, added.token))

    return once.run(api, body, produce)


@router.get(
    "/candidates/{candidate_id}/referees", name="api_referees", response_model=RefereeList, responses=problems(404)
)
def list_referees(api: ReadApi, candidate_id: CandidateId) -> dict[str, Any]:
    """List a candidate's referees with their status: invited, started, completed, expired, revoked."""
    candidates.get(api.session, candidate_id)
    return {"items": [_out(row) for row in referees.list_for(api.session, candidate_id)]}


@router.get("/referees/{referee_id}", name="api_referee", response_model=RefereeOut, responses=problems(404))
def get_referee(api: ReadApi, referee_id: RefereeId) -> dict[str, Any]:
    """Get one referee and their status."""
    return _out(_row(api.session, referee_id))


@router.post(
    "/referees/{referee_id}/revoke", name="api_referee_revoke", response_model=RefereeOut, responses=problems(404, 409)
)
def revoke_referee(api: WriteApi, referee_id: RefereeId, once: idempotency.Idempotent) -> JSONResponse:
    """Withdraw a referee's link: it stops working at once (a submitted statement cannot be revoked: 409)."""

    def produce() -> tuple[int, Any]:
        referees.revoke(api.session, referees.get(api.session, referee_id), actor=api.actor)
        return 200, _out(_row(api.session, referee_id))

    return once.run(api, None, produce)


@router.post(
    "/referees/{referee_id}/resend",
    name="api_referee_resend",
    response_model=RefereeOut,
    responses=problems(404, 409, 410, 413),
)
def resend_referee(api: WriteApi, referee_id: RefereeId, body: LinkIn, once: idempotency.Idempotent) -> JSONResponse:
    """Give the referee a new link (the old one stops working) with a new expiry; the response holds it.

    Also renews an expired link; a revoked link or a submitted statement gets none (409).
    """

    def produce() -> tuple[int, Any]:
        referee = referees.get(api.session, referee_id)
        token = referees.resend(
            api.session, referee, actor=api.actor, expires_at=invitations.ats_expiry(api.settings, body.expires_at)
        )
        if body.send_invitation:
            referee_mail.send_link(api.session, api.settings, referee, token)
        return 200, _out(_row(api.session, referee_id), referees.link(api.settings, token))

    return once.run(api, body, produce)


@router.get(
    "/candidates/{candidate_id}/result",
    name="api_candidate_result",
    response_model=CombinedOut,
    responses=problems(404),
)
def combined_result(api: ReadApi, candidate_id: CandidateId, lang: Lang = None) -> dict[str, Any]:
    """Get the candidate's combined result: self-test, HR assessment and referee statements in one verdict."""
    candidate = candidates.get(api.session, candidate_id)
    found = reports.combined_result(api.session, candidate, lang or candidate.language)
    done = [r for r in referees.list_for(api.session, candidate_id) if r.status == RefereeStatus.COMPLETED]
    return {
        "candidate_id": candidate_id,
        "report_url": presenters.candidate_report_url(api.settings, candidate_id),
        "self_test_id": found.self_test.id if found.self_test else None,
        "hr_assessment_id": found.hr_assessment.id if found.hr_assessment else None,
        "reference_ids": [r.referee.assessment_id for r in done if r.referee.assessment_id],
        "result": found.result,
    }
