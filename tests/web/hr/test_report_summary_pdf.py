"""The report's one-page summary, its PDF downloads (summary and full) and the norms it shows."""

from __future__ import annotations

import io
import re
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from app.accounts.models import UserRole
from app.middleware import RequestSlotsMiddleware
from app.web import pdf
from tests import factories as factory
from tests.web.hr.helpers import sign_in_as


def _pdf_text(client: TestClient, url: str) -> tuple[str, int]:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), len(reader.pages)


def test_summary_comes_first_and_details_are_collapsed(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    page = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    summary, _, details = page.partition('<details id="details"')
    assert "Not recommended" in summary and "<svg" in summary
    assert "Strongest points" in summary and "Weakest points" in summary and "Claims to verify" in summary
    assert 'id="decision"' in summary
    assert details and not details.startswith(" open")  # collapsed on screen
    assert 'id="dimensions"' in details and 'id="claims"' in details
    assert f"/hr/candidates/{person.id}/report.pdf?part=summary" in summary


def test_summary_pdf_in_dutch_names_the_candidate_and_verdict(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "nephew")
    text, pages = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=summary&lang=nl")
    assert "Nephew Persona" in text
    assert "Alleen onder begeleiding" in text and "Advies" in text and "Alleen onder begeleiding" in text
    assert "Sterkste punten" in text and "Beslissing" in text
    assert "Evidence per dimension" not in text and "Strongest points" not in text
    # The link to the candidate is left out of print; its print-only twin keeps a "·" from leading the line.
    assert text.startswith("Nephew Persona Kandidaatrapport · beoordelingsdatum "), text[:80]
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text[: text.index("Advies")])  # dates in words
    points = text[text.index("Sterkste punten") : text.index("Zwakste punten")]
    assert re.search(r"\d+,\d", points) and not re.search(r"\d+\.\d", points)  # Dutch decimal commas
    full, full_pages = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=full&lang=nl")
    assert "Bewijs per dimensie" in full and "Nephew Persona" in full
    assert pages == 1 and full_pages > pages  # the summary fits one A4 page


def test_pdf_in_english_and_a_bad_part_is_refused(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    text, _ = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=summary&lang=en")
    assert "Guru Persona" in text and "Not recommended" in text
    assert client.get(f"/hr/candidates/{person.id}/report.pdf?part=everything").status_code == 422


def test_pdf_fetches_only_the_apps_own_static_files() -> None:
    assert pdf._static_file(pdf.STATIC_BASE + "hr-report.css").name == "hr-report.css"
    for url in ("http://example.org/x.css", "file:///etc/passwd", pdf.STATIC_BASE + "../../pyproject.toml"):
        try:
            pdf._static_file(url)
        except ValueError:
            continue
        raise AssertionError(f"{url} was served")


def test_norms_say_when_there_are_too_few_results(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "senior")
    page = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    assert "not enough results yet for a comparison: 1 completed result of this questionnaire version" in page
    assert "percentile" not in page
    page = client.get(f"/hr/candidates/{person.id}/report?lang=nl").text
    assert "nog niet genoeg resultaten om te vergelijken: 1 afgerond resultaat" in page


def test_norms_from_thirty_completed_results(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    # 30 other self-tests: 15 by the nephew persona (weaker evidence), 15 by the guru (the weakest).
    for index in range(30):
        factory.completed(bank, "self-test", "nephew" if index % 2 else "guru")
    person = factory.persona(bank, "senior")
    page = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    # 30 below the senior's evidence, the senior's own result equal: PR = 100 * (30 + 0.5) / 31 = 98.4.
    assert "Self-test:" in page
    assert "evidence at percentile 98 among the 31 completed results of this questionnaire version" in page
    # The HR assessment has only this one result: no comparison yet, and the count says why.
    assert "not enough results yet for a comparison: 1 completed result" in page
    text, _ = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=summary&lang=nl")
    assert "bewijs op percentiel 98 van de 31 afgeronde resultaten" in text


def test_pdf_needs_sign_in_and_works_before_anything_is_completed(client: TestClient, bank: Session) -> None:
    person = factory.candidate(bank, "Nora", "Nothing")
    response = client.get(f"/hr/candidates/{person.id}/report.pdf", follow_redirects=False)
    assert response.status_code == 303 and "/hr/login" in response.headers["location"]
    sign_in_as(client, bank, UserRole.VIEWER)
    text, _ = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?lang=en")
    assert "Nora Nothing" in text and "Nothing is completed yet" in text
    assert client.get("/hr/candidates/999999/report.pdf").status_code == 404


def test_dutch_report_speaks_to_hr_in_plain_terms(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    senior = factory.persona(bank, "senior")
    page = client.get(f"/hr/candidates/{senior.id}/report?lang=nl").text
    # One term for a matching self-image (as on the compare page), with what the gap means.
    assert "In balans" in page and "Gekalibreerd" not in page
    assert "Een verschil van hooguit 25 punten naar boven of beneden geldt als in balans" in page
    assert page.count("Bewijs per dimensie") == 1
    guru = factory.persona(bank, "guru")
    page = client.get(f"/hr/candidates/{guru.id}/report?lang=nl").text
    assert "wat je claimde" not in page and "sleutel" not in page
    assert re.search(r"telt [\d.,]+ op bij de claimindex", page) and "(+" not in page


def test_without_the_pdf_libraries_the_download_says_what_is_missing(
    client: TestClient, bank: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server without Pango cannot import WeasyPrint: HR gets a 503 naming the fix, in Dutch, not a crash.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "senior")
    response = client.get(f"/hr/candidates/{person.id}/report.pdf?part=summary&lang=nl")
    assert response.status_code == 503
    assert "scripts/ensure-pdf-libraries" in response.text and "systeembibliotheken" in response.text


def test_the_pdf_is_laid_out_with_no_transaction_open(
    client: TestClient, bank: Session, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Laying out a PDF takes seconds: a transaction left open meanwhile is one PostgreSQL ends as idle.
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    open_while_rendering: list[bool] = []
    real = pdf.render

    def render(html: str) -> bytes:
        open_while_rendering.append(session.in_transaction())
        return real(html)

    monkeypatch.setattr(pdf, "render", render)
    text, _ = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=summary&lang=en")
    assert "Guru Persona" in text
    assert open_while_rendering == [False]


def _slots_of(app: Any) -> RequestSlotsMiddleware:
    node = app.middleware_stack  # built by the first request
    while not isinstance(node, RequestSlotsMiddleware):
        node = node.app
    return node


def test_the_pdf_is_laid_out_after_the_request_gave_its_slot_back(
    client: TestClient, bank: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A layout takes a second of CPU and no database: a download that kept its place among the requests the
    # process works on at once would, with another one, hold up every candidate's page meanwhile.
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    slots = _slots_of(client.app)
    all_free = slots.slots.value
    free_while_rendering: list[int] = []
    real = pdf.render

    def render(html: str) -> bytes:
        free_while_rendering.append(slots.slots.value)
        return real(html)

    monkeypatch.setattr(pdf, "render", render)
    text, _ = _pdf_text(client, f"/hr/candidates/{person.id}/report.pdf?part=full&lang=en")
    assert "Guru Persona" in text
    assert free_while_rendering == [all_free]
    assert slots.slots.value == all_free  # given back once, not twice
