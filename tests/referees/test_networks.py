"""The candidate's network fingerprint: a keyed hash of the network (never the address), recorded on the
candidate's own link only, erased with the candidate and exported as a hash."""

from __future__ import annotations

from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.candidates.models import Candidate
from app.config import get_settings
from app.privacy import erasure, export
from app.referees import networks
from app.referees.models import CandidateNetwork
from tests import factories as factory


def test_a_fingerprint_is_of_the_network_keyed_and_never_the_address() -> None:
    settings = get_settings()
    home = networks.fingerprint(settings, "203.0.113.7")
    assert home is not None and "203.0.113" not in home and len(home) == 64
    assert networks.fingerprint(settings, "203.0.113.250") == home  # the same /24
    assert networks.fingerprint(settings, "::ffff:203.0.113.9") == home  # IPv4 written as IPv6
    assert networks.fingerprint(settings, "203.0.114.7") != home
    office = networks.fingerprint(settings, "2001:db8:aa:1::5")
    assert networks.fingerprint(settings, "2001:db8:aa:ffff:1234::1") == office  # the same /48
    assert networks.fingerprint(settings, "2001:db8:ab::5") != office
    other_key = settings.model_copy(update={"secret_key": "another secret key that is long enough to be used"})
    assert networks.fingerprint(other_key, "203.0.113.7") != home
    assert networks.fingerprint(settings, "testclient") is None and networks.fingerprint(settings, None) is None


def _invitation(session: Session, mode: str = "invitation") -> tuple[Candidate, Assessment]:
    person = factory.candidate(session)
    created = assessments.create(
        session, questionnaire_id="self-test", mode=mode, language="en", actor="hr", candidate_id=person.id
    )
    return person, created.assessment


def test_recorded_once_per_network_for_the_candidates_own_invitation_only(bank: Session) -> None:
    settings = get_settings()
    person, assessment = _invitation(bank)
    for address in ("203.0.113.7", "203.0.113.8", "198.51.100.1", "testclient"):
        networks.record_candidate(bank, settings, assessment, address)
    assert networks.of_candidate(bank, person.id) == {  # type: ignore[arg-type]
        networks.fingerprint(settings, "203.0.113.7"),
        networks.fingerprint(settings, "198.51.100.1"),
    }
    api_candidate, from_the_ats = _invitation(bank, mode="api")  # answers sent by the ATS's server
    networks.record_candidate(bank, settings, from_the_ats, "203.0.113.7")
    assert networks.of_candidate(bank, api_candidate.id) == frozenset()  # type: ignore[arg-type]


def test_erasure_removes_it_and_the_export_lists_it_as_a_hash(bank: Session) -> None:
    settings = get_settings()
    person, assessment = _invitation(bank)
    candidate_id = person.id
    assert candidate_id is not None
    networks.record_candidate(bank, settings, assessment, "203.0.113.7")
    [listed] = export.export_candidate(bank, person)["network_fingerprints"]
    assert listed["network_hash"] == networks.fingerprint(settings, "203.0.113.7") and "seen_at" in listed
    assert "203.0.113" not in str(export.export_candidate(bank, person))
    erasure.erase_candidate(bank, person, actor="hr")
    assert bank.exec(select(CandidateNetwork).where(CandidateNetwork.candidate_id == candidate_id)).all() == []
    networks.record_candidate(bank, settings, assessment, "203.0.113.7")  # nothing is added after erasure
    assert networks.of_candidate(bank, candidate_id) == frozenset()
