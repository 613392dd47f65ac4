"""Network fingerprints: a keyed hash of the network a person answered from, to spot a candidate answering
as their own referee (the fraud signals ``candidate_network`` and ``same_network``). Never the address.

The address is the client address the app already believes (uvicorn takes X-Forwarded-For only from the
proxies in TOUCHSTONE_FORWARDED_ALLOW_IPS). A new TOUCHSTONE_SECRET_KEY makes new fingerprints that no
longer match the old ones: the signal is then silent, never wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.assessments.models import Assessment, AssessmentMode
from app.candidates.models import Candidate
from app.config import Settings
from app.db import utcnow
from app.referees.models import CandidateNetwork, Referee

# Why a network, not the address: people behind one router or office share one public IPv4 address, but a
# provider may hand the same home another address from its block overnight, so the /24 is compared. An IPv6
# device picks a new address in its prefix every day (privacy extensions); a home or office is given a /48
# (sometimes a /56 inside it), so the /48 is what stays the same. Both are still far too small to join
# strangers. The keyed hash hides the network from anyone without the secret key; whoever holds the key could
# still find a network by trying them all, so the privacy notices say "a code made with a secret key", not
# "untraceable".
IPV4_PREFIX = 24
IPV6_PREFIX = 48


def fingerprint(settings: Settings, address: str | None) -> str | None:
    """Return the keyed fingerprint of the network an address belongs to; None when it is no IP address."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None  # a test client or a unix socket: no network to compare
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return hmac.new(settings.secret_key.encode(), f"network:{network}".encode(), hashlib.sha256).hexdigest()


def record_candidate(session: Session, settings: Settings, assessment: Assessment, address: str | None) -> None:
    """Remember the network of a candidate who consents to or submits their own invitation (once per network)."""
    if assessment.mode != AssessmentMode.INVITATION or assessment.candidate_id is None:
        return  # an anonymous self-test has nobody to compare; an API assessment comes from the ATS's server
    network = fingerprint(settings, address)
    candidate = session.get(Candidate, assessment.candidate_id)
    if network is None or candidate is None or candidate.erased_at is not None:
        return
    # Two tabs may record the same network at once: the second insert is simply not needed.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(CandidateNetwork)
        .values(candidate_id=candidate.id, network_hash=network, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["candidate_id", "network_hash"])
    )


def record_submission(session: Session, settings: Settings, assessment: Assessment, address: str | None) -> None:
    """Remember the network a link was submitted from: the candidate's own invitation, or a referee's statement."""
    if assessment.mode == AssessmentMode.REFEREE:
        record_referee(session, settings, assessment, address)
    else:
        record_candidate(session, settings, assessment, address)


def record_referee(session: Session, settings: Settings, assessment: Assessment, address: str | None) -> None:
    """Compare the network a referee submits from with the one they started from; keep the one that tells more.

    A referee has one fingerprint (``referee.network_hash``, first recorded when they agree on /r/{token}).
    The submission's replaces it when none was recorded, or when it is one of the candidate's networks or
    another referee's and the stored one is not (the candidate's counts most): so a referee who starts on
    their own network and submits from the candidate's is still seen, and one who does it the other way too.
    """
    network = fingerprint(settings, address)
    referee = session.exec(select(Referee).where(Referee.assessment_id == assessment.id)).first()
    if network is None or referee is None or referee.erased_at is not None or network == referee.network_hash:
        return
    if referee.network_hash is not None:
        others = session.exec(
            select(Referee.network_hash).where(Referee.candidate_id == referee.candidate_id, Referee.id != referee.id)
        ).all()
        weights = {hash_: 1 for hash_ in others if hash_} | dict.fromkeys(
            of_candidate(session, referee.candidate_id), 2
        )
        if weights.get(network, 0) <= weights.get(referee.network_hash, 0):
            return
    referee.network_hash = network
    session.add(referee)
    session.flush()


def of_candidate(session: Session, candidate_id: int) -> frozenset[str]:
    """Return the fingerprints of the networks the candidate answered from."""
    return frozenset(
        session.exec(select(CandidateNetwork.network_hash).where(CandidateNetwork.candidate_id == candidate_id)).all()
    )


def erase(session: Session, candidate_id: int) -> None:
    """Forget the candidate's network fingerprints."""
    session.execute(delete(CandidateNetwork).where(col(CandidateNetwork.candidate_id) == candidate_id))


def export(session: Session, candidate_id: int) -> list[dict[str, Any]]:
    """Return the candidate's network fingerprints as stored: the keyed hash and when it was first seen."""
    rows = session.exec(
        select(CandidateNetwork).where(CandidateNetwork.candidate_id == candidate_id).order_by(col(CandidateNetwork.id))
    ).all()
    return [{"network_hash": row.network_hash, "seen_at": row.seen_at.isoformat()} for row in rows]
