"""The candidate's claims inside the referee's claim questions: escaped, in the referee's language, and only
what the candidate stated with their consent."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.candidates.models import Candidate
from app.referees import service as referees
from app.referees.models import RefereeCreate
from tests import factories as factory
from tests.web.candidate.conftest import csrf_from

STORY = "Leads +40% <script>alert('x')</script> in 2023"


def _open_claims(client: TestClient, bank: Session, person: Candidate, lang: str) -> str:
    referees.record_consent(bank, person, actor="hr@example.org")
    data = RefereeCreate(name="Marta Visser", email="marta@visser.nl", relation="manager", period="2021", language=lang)
    token = referees.add(bank, person, data, actor="hr", expires_at=None).token
    notice = client.get(f"/r/{token}?lang={lang}")
    client.post(f"/r/{token}", data={"csrf_token": csrf_from(notice.text)})
    page = client.get(f"/t/{token}/s/claims?lang={lang}")
    assert page.status_code == 200
    return page.text


def _fieldset(html: str, item_id: str) -> str:
    match = re.search(rf'<fieldset[^>]*id="item-{item_id}".*?</fieldset>', html, re.S)
    assert match, item_id
    return match.group(0)


def test_each_claim_is_shown_inside_its_question(client: TestClient, bank: Session) -> None:
    person = factory.persona(bank, "midlevel", result_story=STORY)
    html = _open_claims(client, bank, person, "nl")
    years = _fieldset(html, "claim_years")
    assert "De kandidaat gaf aan:" in years and "2 tot 5 jaar" in years
    assert 'aria-describedby="claim-claim_years ' in years
    results = _fieldset(html, "claim_results")
    assert "Leads +40% &lt;script&gt;" in results and "<script>alert" not in html
    assert "2 tot 5 jaar" not in results  # each question shows only the claims it checks


def test_no_claim_text_when_the_candidate_stated_nothing(client: TestClient, bank: Session) -> None:
    person = factory.candidate(bank)  # no self-test
    html = _open_claims(client, bank, person, "en")
    assert "The candidate stated:" not in html and 'id="claim-' not in html
