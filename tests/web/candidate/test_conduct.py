"""How answers were given, over HTTP: the person's option order, the signed shown-at time, pasted free text,
and the integrity block that reaches HR's report but never the candidate."""

from __future__ import annotations

import hashlib
import html
import re
import time
from typing import Any

from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.conduct import seconds_of
from app.assessments.models import Assessment, Result
from app.reports import service as reports
from app.scoring import engine
from app.scoring import model as m
from app.scoring.presentation import option_order, term_order
from app.web.candidate import conduct
from tests import factories as factory
from tests.conftest import TEST_SECRET
from tests.web.candidate.conftest import csrf_from, example, form_for, invite, self_test_questionnaire
from tests.web.hr.helpers import sign_in_as

TEXT_ITEM = "result_story"


def _assessment(session: Session, token: str) -> Assessment:
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = session.exec(select(Assessment).where(Assessment.token_hash == digest)).one()
    session.refresh(found)
    return found


def _consented(client: TestClient, session: Session, **options: Any) -> str:
    token = invite(session, **options)
    notice = client.get(f"/t/{token}")
    started = client.post(f"/t/{token}", data={"csrf_token": csrf_from(notice.text)}, follow_redirects=False)
    assert started.status_code == 303
    return token


def _shown_at(page: str) -> str:
    match = re.search(r'name="shown_at" value="([^"]+)"', page)
    assert match, "the section form has no shown_at field"
    return html.unescape(match.group(1))


def _values(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]+)"', page)


def _signed_earlier(assessment: Assessment, section: str, seconds: int) -> str:
    """A genuine shown-at value, signed with the app's secret as if the page was shown ``seconds`` ago."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    return Earlier(TEST_SECRET, salt=conduct._SALT).sign(f"{assessment.id}:{section}").decode()


def _complete(
    client: TestClient, bank: Session, token: str, answers: dict[str, Any], *, paste_into: str | None = None
) -> Assessment:
    """Answer every section through its form (with the page's shown-at value) and submit; ``paste_into``
    is autosaved first with the mark candidate.js sets on a paste."""
    questionnaire = self_test_questionnaire(bank)
    csrf = ""
    for section in questionnaire.sections:
        page = client.get(f"/t/{token}/s/{section.id}").text
        csrf = csrf_from(page)
        data = {**form_for(questionnaire, section.id, answers), "csrf_token": csrf, "shown_at": _shown_at(page)}
        if paste_into in {item.id for item in section.items}:
            assert f'name="{conduct.pasted_field(paste_into)}" value=""' in page  # unmarked without JavaScript
            # The autosave of one question sends the whole form, the mark included.
            mark = {"autosave_item": paste_into, conduct.pasted_field(paste_into): "1"}
            autosaved = client.post(f"/t/{token}/s/{section.id}/autosave", data={**data, **mark})
            assert autosaved.status_code == 200
            assert _assessment(bank, token).pasted_items == [paste_into]
        response = client.post(f"/t/{token}/s/{section.id}", data={**data, "go": "next"}, follow_redirects=False)
        assert response.status_code == 303, response.text[:300]
    submitted = client.post(f"/t/{token}/review", data={"csrf_token": csrf}, follow_redirects=False)
    assert submitted.status_code == 303
    return _assessment(bank, token)


def test_the_page_shows_the_options_in_the_order_of_the_stored_seed(client: TestClient, bank: Session) -> None:
    token = _consented(client, bank)
    assessment = _assessment(bank, token)
    questionnaire = self_test_questionnaire(bank)
    items = {item.id: item for item in questionnaire.items()}
    sjt, title, terms = items["sjt_friday_complaint"], items["self_title"], items["term_familiarity"]
    assert isinstance(sjt, m.SjtItem) and isinstance(title, m.SingleChoiceItem)
    assert isinstance(terms, m.FamiliarityItem)
    for seed in (5, 6):  # two orders one after the other: the cache keeps one rendering per order
        assessment.option_seed = seed
        bank.add(assessment)
        bank.flush()
        scenarios = client.get(f"/t/{token}/s/scenarios_1").text
        shown = [o.id for o in option_order(sjt, seed)]
        assert _values(scenarios, "q.sjt_friday_complaint.best") == shown
        assert _values(scenarios, "q.sjt_friday_complaint.worst") == shown
        assert shown != [o.id for o in sjt.options]  # really shuffled (for these seeds)
        about = client.get(f"/t/{token}/s/about_you").text
        assert _values(about, "q.self_title") == [o.id for o in option_order(title, seed)]
        familiarity = client.get(f"/t/{token}/s/familiarity").text
        shown_terms = re.findall(r'name="q\.term_familiarity\.([^"]+)" value="1"', familiarity)
        assert shown_terms == [t.id for t in term_order(terms, seed)]

    # A page shown again with answers and a problem (not from the cache) keeps the same order.
    csrf = csrf_from(scenarios)
    best = shown[0]
    again = client.post(
        f"/t/{token}/s/scenarios_1",
        data={"csrf_token": csrf, "go": "next", "q.sjt_friday_complaint.best": best},
        follow_redirects=False,
    )
    assert again.status_code == 422
    assert _values(again.text, "q.sjt_friday_complaint.best") == shown

    # An assessment from before seeds existed keeps the file's order.
    assessment.option_seed = None
    bank.add(assessment)
    bank.flush()
    plain = client.get(f"/t/{token}/s/scenarios_1").text
    assert _values(plain, "q.sjt_friday_complaint.best") == [o.id for o in sjt.options]


def test_section_time_counts_only_with_a_genuine_shown_at_and_never_blocks_the_save(
    client: TestClient, bank: Session
) -> None:
    token = _consented(client, bank)
    assessment = _assessment(bank, token)
    answers = example("self-test--midlevel")
    questionnaire = self_test_questionnaire(bank)
    page = client.get(f"/t/{token}/s/about_you").text
    real = _shown_at(page)
    subject, stamp, signature = real.rsplit(".", 2)
    earlier = _signed_earlier(assessment, "about_you", 90)
    refused = {
        "missing": None,
        "forged time": f"{subject}.{_signed_earlier(assessment, 'about_you', 600).rsplit('.', 2)[1]}.{signature}",
        "forged signature": f"{subject}.{stamp}.{'A' * len(signature)}",
        "another section": _signed_earlier(assessment, "roi", 90),
        "expired": _signed_earlier(assessment, "about_you", conduct.MAX_VISIT_SECONDS + 60),
        "garbage": "not a signed value",
    }
    form = {**form_for(questionnaire, "about_you", answers), "csrf_token": csrf_from(page), "go": "next"}
    for case, value in refused.items():
        data = form if value is None else {**form, "shown_at": value}
        saved = client.post(f"/t/{token}/s/about_you", data=data, follow_redirects=False)
        assert saved.status_code == 303, case  # the answers are saved all the same
        assert _assessment(bank, token).section_times is None, case
    saved = client.post(f"/t/{token}/s/about_you", data={**form, "shown_at": earlier}, follow_redirects=False)
    assert saved.status_code == 303
    spent = seconds_of(_assessment(bank, token).section_times)["about_you"]
    assert 90 <= spent < 90 + 60  # from the server's own time of showing, whatever the browser's clock says


def test_pasted_text_is_stored_from_autosave_and_form_and_reaches_hr_not_the_candidate(
    client: TestClient, bank: Session
) -> None:
    person = factory.candidate(bank, "Paula", "Paste")
    token = _consented(client, bank, candidate_id=person.id)
    assessment = _complete(client, bank, token, example("self-test--midlevel"), paste_into=TEXT_ITEM)
    # The section's form post came after the autosave, without the mark (as after a reload): it stays.
    assert assessment.pasted_items == [TEXT_ITEM]
    result = bank.exec(select(Result).where(Result.assessment_id == assessment.id)).one().result
    flags = {flag["code"]: flag for flag in result["integrity"]["flags"]}
    assert "pasted_text" in flags and "fast_section" in flags  # this test answered in well under a second
    assert result["verdict"]["confidence"] == "lowered"

    # The candidate's own feedback, in either language, says nothing about it.
    for lang in ("en", "nl"):
        response = client.get(f"/t/{token}", headers={"Accept-Language": lang})
        feedback = response.text
        assert response.status_code == 200 and 'class="verdict' in feedback and f'lang="{lang}"' in feedback
        localised = assessments.localised_result(bank, assessment, lang)
        assert localised is not None
        for flag in localised["integrity"]["flags"]:
            assert html.escape(flag["label"]) not in feedback and html.escape(flag["detail"]) not in feedback
        assert 'id="integrity"' not in feedback

    # HR's report shows the block with its evidence.
    sign_in_as(client, bank, UserRole.VIEWER)
    report = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    assert 'id="integrity"' in report
    assert html.escape(flags["pasted_text"]["detail"]) in report and "Implausibly fast" in report


def test_a_fast_completion_lowers_confidence_in_hrs_report_but_not_the_verdict(
    client: TestClient, bank: Session
) -> None:
    person = factory.candidate(bank, "Quinn", "Quick")
    token = _consented(client, bank, candidate_id=person.id)
    answers = example("self-test--senior")
    assessment = _complete(client, bank, token, answers)
    assert set(seconds_of(assessment.section_times)) == {s.id for s in self_test_questionnaire(bank).sections}
    assert assessment.pasted_items is None

    sign_in_as(client, bank, UserRole.VIEWER)
    report = client.get(f"/hr/candidates/{person.id}/report?lang=en").text
    assert 'id="integrity"' in report and "Implausibly fast" in report

    # The report's result against the same answers scored without how they were given.
    reported = reports.combined_result(bank, person, "en").result
    assert reported is not None
    compiled = assessments.compiled_of(bank, assessment)
    untimed = engine.score_combined([engine.Part(compiled, answers)], at=assessment.assessment_date, lang="en")
    assert reported["verdict"]["confidence"] == "lowered" and untimed["verdict"]["confidence"] == "normal"
    assert reported["verdict"]["code"] == untimed["verdict"]["code"]
    assert reported["evidence"] == untimed["evidence"] and reported["claims"] == untimed["claims"]
    assert html.escape(reported["verdict"]["label"]) in report
