"""The combined candidate report on the shipped personas."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.audit.models import AuditEvent
from app.errors import Invalid
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.reports import decisions
from app.reports.models import DecisionKind
from app.reports.service import candidate_report, combined_result
from app.scoring.model import Discipline
from tests import factories as factory


def test_nephew_is_supervision_only_with_a_mentor_discipline(bank: Session) -> None:
    person = factory.persona(bank, "nephew")
    report = candidate_report(bank, person, "en")
    result = report.result
    assert result is not None
    assert result["verdict"]["code"] == "supervision_only"
    assert result["mentoring"]["discipline"] in {"marketing", "communication", "pr"}
    assert result["mentoring"]["required"] is True
    assert [p["kind"] for p in result["parts"]] == ["self_test", "hr_assessment"]
    assert report.combined.self_test is not None and report.combined.hr_assessment is not None
    assert report.combined.role_assessment is None


def test_guru_impossible_tenure_and_foils_are_reasons(bank: Session) -> None:
    person = factory.persona(bank, "guru")
    result = candidate_report(bank, person, "en").result
    assert result is not None
    signals = {s["code"]: s for s in result["claims"]["signals"]}
    assert "launched on 4 February 2004" in signals["impossible_tenure"]["reason"]
    assert any(t["platform"] == "facebook" and t["impossible"] for t in result["tenure"])
    assert "Sentiment yield margin" in result["overclaiming"]["foils_claimed"]
    assert "foils_claimed" in signals and "buzzword_density" in signals
    assert result["verdict"]["code"] == "not_recommended"


def test_free_text_marks_buzzwords_and_escapes_html(bank: Session) -> None:
    person = factory.persona(
        bank, "guru", result_with_others="<script>alert(1)</script> Our synergy & thought leadership, really."
    )
    report = candidate_report(bank, person, "en")
    texts = {t.item_id: str(t.text) for t in report.free_texts}
    assert '<mark class="buzzword">thought leader</mark>' in texts["result_story"]
    assert '<mark class="buzzword">game changer</mark>' in texts["result_story"]
    other = texts["result_with_others"]
    assert "<script>" not in other
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in other
    assert '<mark class="buzzword">synergy</mark> &amp;' in other


def test_report_with_only_a_self_test(bank: Session) -> None:
    person = factory.candidate(bank)
    factory.completed(bank, "self-test", "senior", candidate_id=person.id)
    report = candidate_report(bank, person, "nl")
    assert report.result is not None
    assert [p["kind"] for p in report.result["parts"]] == ["self_test"]
    assert report.result["language"] == "nl"


def test_report_with_only_the_role_assessment(bank: Session) -> None:
    job = factory.role(bank)
    factory.completed(bank, "role-assessment", "one-person-show", role_id=job.id)
    person = factory.candidate(bank, role_id=job.id)
    report = candidate_report(bank, person, "en")
    assert report.result is not None and report.result["verdict"] is None
    assert {r["code"] for r in report.result["role"]["risks"]} >= {"one_person_show", "vanity_kpis"}
    assert report.combined.verdict is None


def test_role_joins_the_combined_result(bank: Session) -> None:
    job = factory.role(bank)
    factory.completed(bank, "role-assessment", "one-person-show", role_id=job.id)
    person = factory.persona(bank, "midlevel", role_id=job.id)
    result = candidate_report(bank, person, "en").result
    assert result is not None
    assert result["verdict"]["code"] == "ready_with_mentor"
    assert any(r["code"] == "no_senior_oversight" for r in result["role"]["risks"])
    assert result["role"]["advice"]


def test_nothing_completed_gives_no_result(bank: Session) -> None:
    person = factory.candidate(bank)
    report = candidate_report(bank, person, "en")
    assert report.result is None and report.free_texts == []


def test_rubric_rating_rescores_the_report(bank: Session) -> None:
    person = factory.persona(bank, "nephew")
    before = candidate_report(bank, person, "en")
    self_test = before.combined.self_test
    assert self_test is not None
    user = factory.user(bank)
    assessments.set_rubric(bank, self_test, "result_story", 3, user_id=user.id)  # type: ignore[arg-type]
    after = candidate_report(bank, person, "en")
    story = next(t for t in after.free_texts if t.item_id == "result_story")
    assert story.rated == 3
    assert [lvl.points for lvl in story.rubric] == [0, 1, 2, 3]
    assert after.result is not None and before.result is not None
    track = after.result["evidence"]["dimensions"]["track_record"]["score"]
    assert track > before.result["evidence"]["dimensions"]["track_record"]["score"]


def test_suggested_mentor_matches_the_discipline(bank: Session) -> None:
    person = factory.persona(bank, "nephew")
    discipline = candidate_report(bank, person, "en").result["mentoring"]["discipline"]  # type: ignore[index]
    other = next(d for d in Discipline if d.value != discipline)
    mentors.create(
        bank,
        MentorCreate(name="Off Topic", email="o@example.org", discipline=other, years_experience=30, languages=["en"]),
        actor="test",
    )
    fit = mentors.create(
        bank,
        MentorCreate(
            name="Right Fit", email="r@example.org", discipline=discipline, years_experience=15, languages=["en"]
        ),
        actor="test",
    )
    report = candidate_report(bank, person, "en")
    assert report.suggested_mentor is not None and report.suggested_mentor.mentor.id == fit.id
    assert report.result is not None and report.result["mentoring"]["mentor"]["name"] == "Right Fit"


def test_override_needs_a_reason(bank: Session) -> None:
    person = factory.persona(bank, "guru")
    combined = combined_result(bank, person, "en")
    assert combined.verdict == "not_recommended"
    with pytest.raises(Invalid) as raised:
        decisions.record(
            bank,
            candidate=person,
            combined=combined,
            decision=DecisionKind.HIRE,
            note=None,
            reason="  ",
            user_id=None,
            actor="hr@example.org",
        )
    assert raised.value.status == 422 and raised.value.extra["field"] == "reason"


def test_override_with_reason_is_audited_and_history_kept(bank: Session) -> None:
    person = factory.persona(bank, "guru")
    user = factory.user(bank)
    combined = combined_result(bank, person, "en")
    first = decisions.record(
        bank,
        candidate=person,
        combined=combined,
        decision=DecisionKind.REJECT,
        note="as recommended",
        reason=None,
        user_id=user.id,
        actor=user.email,
    )
    second = decisions.record(
        bank,
        candidate=person,
        combined=combined,
        decision=DecisionKind.HIRE_WITH_MENTOR,
        note=None,
        reason="Strong portfolio seen after the interview.",
        user_id=user.id,
        actor=user.email,
    )
    assert not first.is_override and second.is_override
    assert second.snapshot["verdict"] == "not_recommended"
    assert [d.id for d in decisions.history(bank, person.id)] == [second.id, first.id]  # type: ignore[arg-type]
    events = bank.exec(select(AuditEvent).where(AuditEvent.object_id == str(person.id))).all()
    actions = {e.action: e for e in events if e.action.startswith("decision.")}
    assert set(actions) == {"decision.recorded", "decision.override"}
    override = actions["decision.override"]
    assert override.actor == user.email
    assert override.detail["recommended"] == "not_recommended"
    assert override.detail["decided"] == "hire_with_mentor"
    assert second.reason == "Strong portfolio seen after the interview."
    assert "reason" not in override.detail  # free text stays out of the append-only log
    assert person.procedure_closed_at is not None


@pytest.mark.parametrize(
    ("verdict", "decision", "override"),
    [
        ("ready_to_lead", DecisionKind.HIRE, False),
        ("ready_to_lead", DecisionKind.REJECT, True),
        ("ready_with_mentor", DecisionKind.HIRE, True),
        ("supervision_only", DecisionKind.REJECT, False),
        ("supervision_only", DecisionKind.HIRE, True),
        ("not_recommended", DecisionKind.HIRE_WITH_MENTOR, True),
        ("not_recommended", DecisionKind.HOLD, False),
        (None, DecisionKind.HIRE, False),
    ],
)
def test_what_counts_as_an_override(verdict: str | None, decision: DecisionKind, override: bool) -> None:
    assert decisions.is_override(verdict, decision) is override
