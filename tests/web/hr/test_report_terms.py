"""The report's terms for HR in Dutch: one word for "calibrated" ("In balans"), never without what a gap means,
role risks in plain words, and codes in words (disciplines, result sources, evidence sources)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.reports import service as reports
from tests import factories as factory
from tests.web.hr.helpers import sign_in_as


def test_calibrated_reads_in_balans_with_the_meaning_of_the_gap(client: TestClient, bank: Session) -> None:
    person = factory.persona(bank, "midlevel")
    result = reports.combined_result(bank, person, "nl").result
    assert result is not None
    rows = result["calibration"]["dimensions"].values()
    balanced_with_gap = [row for row in rows if row["code"] == "calibrated" and row["gap"] != 0]
    assert balanced_with_gap  # a dimension called "in balance" although self-rating and evidence differ
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{person.id}/report?lang=nl").text
    assert "Gekalibreerd" not in page and "Calibrated" not in page
    assert "In balans" in page
    assert "Een verschil van hooguit 25 punten naar boven of beneden geldt als in balans" in page
    gap = f"{balanced_with_gap[0]['gap']:.1f}".replace(".", ",").replace("-", "−")
    assert gap in page or gap.replace("−", "-") in page  # the gap in the Dutch number format


def test_report_names_codes_in_words(client: TestClient, bank: Session) -> None:
    person = factory.persona(bank, "midlevel")
    mentors.create(
        bank,
        MentorCreate(name="Pia Prins", email="pia@example.org", discipline="pr", years_experience=12, languages=["nl"]),
        actor="test",
    )
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{person.id}/report?lang=nl").text
    assert "Gecombineerd" in page  # the result's source: self-test and HR assessment together
    assert "(zelftest " in page or "zelftest " in page  # where a dimension's evidence came from
    english = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    assert "Combined" in english and "combined<" not in english


def test_claims_to_verify_leave_out_what_no_one_can_confirm(client: TestClient, bank: Session) -> None:
    """Success measured in likes is a reading of the answers: shown as a claim signal, not as a claim to verify."""
    person = factory.persona(bank, "midlevel")
    result = reports.combined_result(bank, person, "en").result
    assert result is not None
    assert "vanity_metrics" in {s["code"] for s in result["claims"]["signals"]}
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    start = page.find('<ul class="claims-to-verify">')
    to_verify = page[start : page.index("</ul>", start)] if start >= 0 else ""
    assert "Success measured in followers and likes" not in to_verify
    assert 'id="signal-vanity_metrics"' in page  # still shown, with its details, among the claim signals
