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
from app.referees.models import CandidateNetwork

# Why a network, not the address: people behind one router or office share one public IPv4 address, but a
# provider may hand the same home another address from its block overnight, so the /24 is compared. An IPv6
# device picks a new address in its prefix every day (privacy extensions); a home or office is given a /48
# (sometimes a /56 inside it), so the /48 is what stays the same. Both are still far too small to join
# strangers, and the hash keeps even the network unreadable.
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
