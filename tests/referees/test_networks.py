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
from app.referees import service as referees
from app.referees.models import CandidateNetwork, Referee, RefereeCreate
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


def test_a_referee_who_submits_from_the_candidates_network_is_seen(bank: Session) -> None:
    settings = get_settings()
    person, own = _invitation(bank)
    networks.record_submission(bank, settings, own, "203.0.113.7")  # the candidate's own link: their network
    assert networks.of_candidate(bank, person.id) == {networks.fingerprint(settings, "203.0.113.7")}  # type: ignore[arg-type]
    referees.record_consent(bank, person, actor="hr")
    added = [
        referees.add(
            bank,
            person,
            RefereeCreate(name=name, email=f"{name}@example.org", relation="colleague", period="2022"),
            actor="hr",
            expires_at=None,
        )
        for name in ("marta", "kees", "eva")
    ]
    marta, kees, eva = (a.referee for a in added)
    links = {a.referee.id: assessments.get(bank, a.referee.assessment_id or "") for a in added}

    def submitted(referee: Referee, address: str) -> str | None:
        networks.record_submission(bank, settings, links[referee.id], address)
        bank.refresh(referee)
        return referee.network_hash

    def fp(address: str) -> str | None:
        return networks.fingerprint(settings, address)

    referees.mark_started(bank, marta, network=fp("198.51.100.4"))
    referees.mark_started(bank, kees, network=fp("192.0.2.10"))
    # Started on their own network, submitted from the candidate's: the candidate's is kept.
    assert submitted(marta, "203.0.113.99") == fp("203.0.113.7")
    # And once it is the candidate's, a later network that matches nobody does not hide it.
    assert submitted(marta, "198.51.100.4") == fp("203.0.113.7")
    # Another referee's network counts too, but less than the candidate's.
    assert submitted(kees, "203.0.113.50") == fp("203.0.113.7")
    referees.mark_started(bank, eva, network=fp("192.0.2.99"))  # Eva started on a network of her own
    assert submitted(eva, "198.51.100.9") == fp("192.0.2.99")  # matches nobody: the start's stays
    eva.network_hash = None  # no fingerprint at the start (no IP address then): the submission's is taken
    assert submitted(eva, "198.51.100.9") == fp("198.51.100.9")
    assert submitted(eva, "testclient") == fp("198.51.100.9")  # no address now: nothing changes


def test_a_referee_on_another_referees_network_is_kept_over_their_own(bank: Session) -> None:
    settings = get_settings()
    person, _ = _invitation(bank)
    referees.record_consent(bank, person, actor="hr")
    first, second = (
        referees.add(
            bank,
            person,
            RefereeCreate(name=name, email=f"{name}@example.org", relation="manager", period="2021"),
            actor="hr",
            expires_at=None,
        )
        for name in ("anna", "bart")
    )
    referees.mark_started(bank, first.referee, network=networks.fingerprint(settings, "192.0.2.10"))
    referees.mark_started(bank, second.referee, network=networks.fingerprint(settings, "198.51.100.4"))
    link = assessments.get(bank, second.referee.assessment_id or "")
    networks.record_submission(bank, settings, link, "192.0.2.77")
    assert second.referee.network_hash == networks.fingerprint(settings, "192.0.2.10")
    erasure.erase_candidate(bank, person, actor="hr")
    networks.record_submission(bank, settings, link, "192.0.2.77")  # nothing is recorded after erasure
    assert second.referee.network_hash is None
