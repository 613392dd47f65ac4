"""Dutch HR pages print numbers with a decimal comma and dates in words, like the rest of the page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import Assessment
from tests import factories as factory
from tests.assessments.conftest import example
from tests.web.hr.helpers import csrf, sign_in_as

ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# A score with a decimal point in the text (not "€6.000", a Dutch thousands separator in a question).
DOT_DECIMAL = re.compile(r">[^<]*(?<![\d.€])\d+\.\d{1,2}(?!\d)[^<]*<")


def _text(html: str) -> str:
    """The page's text between tags, without the charts' SVG (its coordinates are numbers with dots)."""
    body = re.sub(r"<svg.*?</svg>|<style.*?</style>|<script.*?</script>|<head>.*?</head>", "", html, flags=re.S)
    return re.sub(r"<time [^>]*>", "<time>", body)


def test_compare_page_dimensions_use_the_decimal_comma(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    job = factory.role(bank)
    factory.persona(bank, "senior", role_id=job.id)
    page = _text(client.get(f"/hr/roles/{job.id}/compare?lang=nl").text)
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert any(re.fullmatch(r"\d+,\d", cell) for cell in cells)
    assert not DOT_DECIMAL.search(page), DOT_DECIMAL.findall(page)[:3]
    english = client.get(f"/hr/roles/{job.id}/compare?lang=en").text
    assert any(re.fullmatch(r"\d+\.\d", cell) for cell in re.findall(r"<td>([^<]*)</td>", english))


def test_dutch_report_has_no_dot_decimals_nor_iso_dates(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    page = _text(client.get(f"/hr/candidates/{person.id}/report?lang=nl").text)
    points = re.search(r'<h3>Sterkste punten</h3>\s*<ul class="points">(.*?)</ul>', page, re.S)
    assert points and re.search(r": \d+,\d</li>", points.group(1))
    assert not DOT_DECIMAL.search(page), DOT_DECIMAL.findall(page)[:3]
    # The header's dates; the engine's own reasons ("gelanceerd op 2004-02-04") are app/scoring's text.
    header = page[: page.index('id="summary"')]
    assert not ISO_DAY.search(header), ISO_DAY.findall(header)[:3]
    launched = re.search(r"<td>Facebook</td><td>([^<]*)</td>", page)
    assert launched and launched.group(1) == "4 februari 2004"
    assert re.search(r"beoordelingsdatum \d+ \w+ 20\d\d", page)
    assert re.search(r"Zelftest: afgerond \d+ \w+ 20\d\d", page)


def test_interview_guide_dates_and_scores_in_dutch(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    page = client.get(f"/hr/candidates/{person.id}/interview-guide?lang=nl").text
    assert re.search(r"afgerond op \d+ \w+ 20\d\d", page)
    scores = re.findall(r'<section class="guide-group" id="dimension-[^"]+">\s*<h3>[^<]*<small>\(([^ ]+) ·', page)
    assert scores and all(re.fullmatch(r"\d+,\d", score) for score in scores), scores


def test_interview_guide_names_items_in_the_page_language(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    page = client.get(f"/hr/candidates/{person.id}/interview-guide?lang=nl").text
    assert "<code>" not in page  # no item id is shown: every linked item has a name
    assert "Claims tegenover antwoorden" in page and "Wat hebben de referenties bevestigd?" in page
    # An open claim is named by its self-test question, not by its id.
    assert "Zelf opgegeven, nog niet bevestigd: Hoeveel jaar" in page


def test_audit_log_shows_moments_in_words(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    page = client.get("/hr/audit?lang=nl").text
    moments = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", page)
    assert moments and all(re.fullmatch(r"\d+ \w+ 20\d\d \d\d:\d\d:\d\d", m) for m in moments), moments[:3]


def test_role_assessment_score_uses_the_decimal_comma(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    job = factory.role(bank)
    client.post(f"/hr/roles/{job.id}/assess", data={"csrf_token": csrf(client, f"/hr/roles/{job.id}")})
    assessment = bank.exec(select(Assessment).where(Assessment.role_id == job.id)).one()
    answers = {**example("role-assessment--well-designed"), "only_task": "only_social"}  # scores 90.3
    assessments.save_answers(bank, assessment, answers)
    score = assessments.submit(bank, assessment, actor="test").result["role"]["score"]
    assert score is not None and score != int(score)  # a score with decimals, or the test shows nothing
    dutch = _text(client.get(f"/hr/roles/{job.id}?lang=nl").text)
    assert re.search(r"Score: \d+,\d van 100\.", dutch), re.findall(r"Score: [^<]*", dutch)
    english = _text(client.get(f"/hr/roles/{job.id}?lang=en").text)
    assert re.search(r"Score: \d+\.\d of 100\.", english), re.findall(r"Score: [^<]*", english)
