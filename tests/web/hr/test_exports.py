"""One number everywhere: the list, its CSV and xlsx exports, the compare view and the report show the same
result for a candidate and name its source; the exports hold exactly the rows the list shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.candidates.models import Candidate
from app.reports import service as reports
from app.reports.headline import number
from tests import factories
from tests.web.hr.helpers import sign_in_as


def _cells(html: str, candidate: Candidate) -> list[str]:
    """The text of the candidate's row in an HR table."""
    row = re.search(rf"<tr>\s*<t[dh][^>]*><a href=\"[^\"]*/candidates/{candidate.id}[^\"]*\">.*?</tr>", html, re.S)
    assert row, f"no row for candidate {candidate.id}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(0), re.S)
    ]


def _headers(html: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head
    return [
        re.sub(r"<[^>]+>|[↓↑]", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)
    ]


def test_one_result_with_its_source_on_every_screen(client: TestClient, bank: Session) -> None:
    session = bank
    sign_in_as(client, session, UserRole.ASSESSOR)
    job = factories.role(session)
    both = factories.persona(session, "senior", role_id=job.id)
    alone = factories.candidate(session, "Sam", "Solo", role_id=job.id)
    own = factories.completed(session, "self-test", "midlevel", candidate_id=alone.id)
    session.refresh(both)
    session.refresh(alone)

    shown = reports.shown_result(session, both)
    assert shown.source == "combined" and shown.evidence is not None and shown.claims is not None
    evidence, claims = number(shown.evidence, "nl"), number(shown.claims, "nl")
    # The combined result differs from either part alone: this test would catch a screen showing a part.
    self_test = assessments.localised_result(session, reports.combined_result(session, both, "nl").self_test, "nl")
    assert (self_test["evidence"]["overall"], self_test["claims"]["index"]) != (shown.evidence, shown.claims)

    listed = client.get("/hr/candidates?q=&role_id=&status=&verdict=&sort=name&order=asc&lang=nl").text
    headers = _headers(listed)
    row = dict(zip(headers, _cells(listed, both), strict=True))
    assert (row["Resultaat van"], row["Bewijs"], row["Claimindex"]) == ("Gecombineerd", evidence, claims)
    assert row["Status"] == "Afgerond"
    solo = dict(zip(headers, _cells(listed, alone), strict=True))
    own_result = assessments.localised_result(session, own, "nl")
    assert (solo["Resultaat van"], solo["Bewijs"]) == ("Zelftest", number(own_result["evidence"]["overall"], "nl"))

    compared = client.get(f"/hr/roles/{job.id}/compare?lang=nl").text
    compare_row = dict(zip(_headers(compared), _cells(compared, both), strict=False))
    assert (compare_row["Resultaat van"], compare_row["Bewijs"], compare_row["Claimindex"]) == (
        "Gecombineerd",
        evidence,
        claims,
    )
    assert compare_row["Status"] == "Afgerond" and compare_row["Beslissing"] == "–"

    report = client.get(f"/hr/candidates/{both.id}/report?lang=nl").text
    headline = re.search(r'<dl class="headline">(.*?)</dl>', report, re.S)
    assert headline
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", headline.group(1)))
    assert f"Resultaat van Gecombineerd Bewijs {evidence} / 100 Claimindex {claims} / 100" in text

    exported = client.get("/hr/candidates.csv?q=&role_id=&status=&verdict=&sort=name&order=asc&lang=nl")
    assert exported.content.startswith("\ufeff".encode())
    lines = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    by_id = {int(line["Nummer"]): line for line in lines}
    assert (by_id[both.id]["Resultaat van"], by_id[both.id]["Bewijs"], by_id[both.id]["Claimindex"]) == (
        "Gecombineerd",
        evidence,
        claims,
    )
    assert by_id[alone.id]["Resultaat van"] == "Zelftest"


def test_exports_hold_the_rows_and_values_the_list_shows(client: TestClient, bank: Session) -> None:
    session = bank
    sign_in_as(client, session, UserRole.VIEWER)
    job = factories.role(session, "Communicatieadviseur")
    mentored = factories.persona(session, "midlevel", role_id=job.id)
    factories.persona(session, "guru")
    factories.candidate(session, "Nog", "Niet", role_id=job.id)
    session.refresh(mentored)
    query = f"q=&role_id={job.id}&status=&verdict=&sort=name&order=asc"

    listed = client.get(f"/hr/candidates?{query}&lang=nl").text
    headers = _headers(listed)
    shown = [dict(zip(headers, _cells(listed, c), strict=True)) for c in (mentored,)]
    names = re.findall(r'<a href="http://testserver/hr/candidates/\d+">([^<]+)</a>', listed)
    assert sorted(names) == ["Midlevel Persona", "Nog Niet"]

    exported = client.get(f"/hr/candidates.csv?{query}&lang=nl")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text.splitlines()[0]).delimiter == ";"
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert sorted(f"{line['Voornaam']} {line['Achternaam']}" for line in lines) == sorted(names)
    line = next(line for line in lines if line["Nummer"] == str(mentored.id))
    for column in ("Functie", "Status", "Oordeel", "Resultaat van", "Bewijs", "Claimindex", "Beslissing"):
        assert line[column] == shown[0][column], column
    assert line["Status"] == "Afgerond" and line["Beslissing"] == ""
    assert re.fullmatch(r"\d+,\d", line["Bewijs"]), line["Bewijs"]

    english = client.get(f"/hr/candidates.csv?{query}&lang=en")
    assert not english.content.startswith("\ufeff".encode())
    english_lines = list(csv.DictReader(io.StringIO(english.text)))
    assert {"Verdict", "Result from", "Decision"} <= set(english_lines[0]) and len(english_lines) == 2

    workbook = client.get(f"/hr/candidates.xlsx?{query}&lang=nl")
    assert workbook.status_code == 200 and "spreadsheetml" in workbook.headers["content-type"]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == list(lines[0])
    cells = dict(zip(table[0], next(r for r in table[1:] if r[0] == mentored.id), strict=True))
    assert isinstance(cells["Bewijs"], float) and number(cells["Bewijs"], "nl") == line["Bewijs"]
    assert isinstance(cells["Laatste wijziging"], dt.datetime)
    assert cells["Status"] == "Afgerond" and cells["Oordeel"] == line["Oordeel"]
    assert len(table) == 1 + len(lines)


def test_refresh_stores_the_shown_result_of_older_rows(bank: Session) -> None:
    person = factories.persona(bank, "senior")
    shown = reports.shown_result(bank, person)
    # As an older version stored it: the HR assessment alone, no source.
    person.result_source, person.evidence_overall = None, 1.0
    bank.add(person)
    bank.flush()
    assert reports.refresh_shown_results(bank, batch=1) >= 1
    bank.refresh(person)
    assert (person.result_source, person.evidence_overall, person.claims_index) == (
        "combined",
        shown.evidence,
        shown.claims,
    )


def test_migrate_refreshes_only_the_rows_an_older_version_stored(bank: Session) -> None:
    person = factories.persona(bank, "senior")
    person.result_source, person.evidence_overall = None, 1.0
    bank.add(person)
    bank.flush()
    assert reports.refresh_shown_results(bank, only_stale=True) >= 1
    bank.refresh(person)
    assert person.result_source == "combined" and person.evidence_overall != 1.0
    assert reports.refresh_shown_results(bank, only_stale=True) == 0  # nothing stale is left
