"""A candidate's combined report: latest self-test + HR assessment + the role's assessment, scored together.

Each part is scored with its own stored questionnaire version and answers (and HR's rubric ratings),
so an edited questionnaire never changes an old report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlmodel import Session, col, select

from app.assessments import changes as assessment_changes
from app.assessments import conduct, statistics
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.mentors import service as mentors
from app.mentors.models import Mentor, MentorAssignment
from app.questionnaires.models import QuestionnaireVersion
from app.referees import networks
from app.referees import service as referees
from app.referees.models import RefereeStatus
from app.reports import decisions
from app.reports.combined import Combined
from app.reports.headline import Headline, Point, headline, measured
from app.reports.highlight import highlight
from app.reports.models import Decision
from app.roles import service as roles
from app.roles.models import Role
from app.scoring import engine, references
from app.scoring import model as m

SELF_TEST = m.Kind.SELF_TEST.value
HR_ASSESSMENT = m.Kind.HR_ASSESSMENT.value
HR_QUESTIONNAIRE = "hr-assessment"
# The summary shows this many strongest and weakest points.
SUMMARY_POINTS = 3


@dataclass(frozen=True)
class RubricLevel:
    points: float
    text: str


@dataclass(frozen=True)
class FreeText:
    """One free-text answer as the report shows it: highlighted, with HR's rubric rating when it has one."""

    assessment_id: str
    item_id: str
    question: str
    text: Markup
    source: str
    rubric: tuple[RubricLevel, ...]
    rated: float | None
    completed: bool


@dataclass(frozen=True)
class PartNorms:
    """Where one completed part (self-test or HR assessment) stands among its questionnaire version's results."""

    source: str
    norms: statistics.Norms


@dataclass(frozen=True)
class Report:
    candidate: Candidate
    language: str
    combined: Combined
    item_labels: dict[str, str]
    free_texts: list[FreeText]
    launch_dates: dict[str, dt.date]
    platform_names: dict[str, str]
    suggested_mentor: mentors.MentorRow | None
    assignment: tuple[MentorAssignment, Mentor] | None
    decisions: list[Decision] = field(default_factory=list)
    norms: list[PartNorms] = field(default_factory=list)
    calibration_margin: float | None = None

    @property
    def result(self) -> dict[str, Any] | None:
        return self.combined.result

    @property
    def current_decision(self) -> Decision | None:
        return self.decisions[0] if self.decisions else None

    def _measured(self) -> list[Point]:
        return sorted(measured(self.result), key=lambda p: (-p.score, p.key))

    @property
    def strongest(self) -> list[Point]:
        """The (up to) three measured dimensions with the highest evidence."""
        measured = self._measured()
        return measured[: min(SUMMARY_POINTS, (len(measured) + 1) // 2)]

    @property
    def weakest(self) -> list[Point]:
        """The (up to) three measured dimensions with the lowest evidence, weakest first, none also strongest."""
        measured = self._measured()
        rest = measured[len(self.strongest) :]
        return list(reversed(rest))[:SUMMARY_POINTS]


def _part(session: Session, assessment: Assessment) -> engine.Part:
    return engine.Part(
        assessments.compiled_of(session, assessment),
        assessments.answers_of(session, assessment),
        assessments.rubric_of(session, assessment),
        conduct.of(assessment),
    )


def combined_result(session: Session, candidate: Candidate, lang: str) -> Combined:
    """Score the candidate's latest completed self-test and HR assessment with their role's assessment."""
    assert candidate.id is not None
    self_test = assessments.latest_completed(session, SELF_TEST, candidate_id=candidate.id)
    hr = assessments.latest_completed(session, HR_ASSESSMENT, candidate_id=candidate.id)
    job = session.get(Role, candidate.role_id) if candidate.role_id is not None else None
    role = roles.latest_role_assessment(session, job) if job is not None else None
    parts = [a for a in (self_test, hr) if a is not None]
    result: dict[str, Any] | None = None
    if parts:
        # Tenure claims are judged on the day the candidate made them.
        on = parts[0].assessment_date
        result = engine.score_combined(
            [_part(session, a) for a in parts],
            at=on,
            lang=lang,
            role_part=_part(session, role) if role is not None else None,
            refs=statements(session, candidate),
        )
    elif role is not None:
        result = assessments.localised_result(session, role, lang)
    return Combined(self_test, hr, role, result)


def statements(session: Session, candidate: Candidate) -> references.References | None:
    """Return the candidate's completed referee statements for the engine (None when there are none)."""
    assert candidate.id is not None
    done = [row for row in referees.list_for(session, candidate.id) if row.status == RefereeStatus.COMPLETED]
    if not done:
        return None
    inputs = []
    for row in done:
        assessment = row.assessment
        assert assessment is not None and row.referee.id is not None
        taken = (
            (assessment.completed_at - row.referee.consented_at).total_seconds()
            if assessment.completed_at and row.referee.consented_at
            else None
        )
        inputs.append(
            references.RefereeInput(
                id=row.referee.id,
                name=row.referee.name,
                relation=str(row.referee.relation),
                compiled=assessments.compiled_of(session, assessment),
                answers=assessments.answers_of(session, assessment),
                email_domain=row.referee.email.rpartition("@")[2] or None,
                network=row.referee.network_hash,
                seconds=taken,
            )
        )
    domain = candidate.email.rpartition("@")[2] if candidate.email else None
    return references.References(
        tuple(inputs), candidate_domain=domain or None, candidate_networks=networks.of_candidate(session, candidate.id)
    )


def _labels(compiled: engine.Compiled, lang: str) -> dict[str, str]:
    return {item.id: item.text.get(lang) for item in compiled.questionnaire.items()}


def _free_texts(session: Session, assessment: Assessment, source: str, lang: str) -> list[FreeText]:
    compiled = assessments.compiled_of(session, assessment)
    answers = assessments.answers_of(session, assessment)
    rubric = assessments.rubric_of(session, assessment)
    found = []
    for item in compiled.questionnaire.items():
        value = answers.get(item.id)
        if not isinstance(item, m.FreeTextItem) or not isinstance(value, str) or not value.strip():
            continue
        found.append(
            FreeText(
                assessment_id=assessment.id,
                item_id=item.id,
                question=item.text.get(lang),
                text=highlight(value, compiled.analyzer),
                source=source,
                rubric=tuple(RubricLevel(level.points, level.text.get(lang)) for level in item.rubric),
                rated=rubric.get(item.id),
                completed=assessment.status == AssessmentStatus.COMPLETED.value,
            )
        )
    return found


def candidate_report(session: Session, candidate: Candidate, lang: str) -> Report:
    """Build the candidate's report: combined result, highlighted free text, mentor suggestion, decisions."""
    assert candidate.id is not None
    combined = combined_result(session, candidate, lang)
    labels: dict[str, str] = {}
    launch: dict[str, dt.date] = {}
    platforms: dict[str, str] = {}
    free: list[FreeText] = []
    norms: list[PartNorms] = []
    margin: float | None = None
    for assessment, source in (
        (combined.self_test, "self"),
        (combined.hr_assessment, "hr"),
        (combined.role_assessment, "role"),
    ):
        if assessment is None:
            continue
        compiled = assessments.compiled_of(session, assessment)
        labels.update(_labels(compiled, lang))
        launch.update(compiled.launched)
        platforms.update(compiled.platform_names)
        free.extend(_free_texts(session, assessment, source, lang))
        stored = assessments.result_of(session, assessment) if source != "role" else None
        if stored is not None:
            norms.append(PartNorms(source, statistics.norms(session, stored.content_hash, stored.result)))
            margin = compiled.policy.calibration.margin
    suggestion = None
    result = combined.result
    if result is not None and result.get("mentoring"):
        suggestion = mentors.suggest(session, result["mentoring"]["discipline"], candidate.language)
        if suggestion is not None:
            result["mentoring"]["mentor"] = {
                "id": suggestion.mentor.id,
                "name": suggestion.mentor.name,
                "discipline": str(suggestion.mentor.discipline),
                "free": suggestion.free,
            }
    return Report(
        candidate=candidate,
        language=lang,
        combined=combined,
        item_labels=labels,
        free_texts=free,
        launch_dates=launch,
        platform_names=platforms,
        suggested_mentor=suggestion,
        assignment=mentors.current_assignment(session, candidate.id),
        decisions=decisions.history(session, candidate.id),
        norms=norms,
        calibration_margin=margin,
    )


def start_hr_assessment(session: Session, candidate: Candidate, *, language: str, actor: str) -> Assessment:
    """Return the candidate's unfinished HR assessment, or create one (so two clicks never make two)."""
    candidates.ensure_not_erased(candidate)
    unfinished = session.exec(
        select(Assessment)
        .join(QuestionnaireVersion, col(QuestionnaireVersion.id) == col(Assessment.questionnaire_version_id))
        .where(
            Assessment.candidate_id == candidate.id,
            Assessment.mode == AssessmentMode.HR.value,
            QuestionnaireVersion.kind == HR_ASSESSMENT,
            col(Assessment.status).in_([AssessmentStatus.CREATED.value, AssessmentStatus.STARTED.value]),
        )
        .order_by(col(Assessment.created_at).desc())
    ).first()
    if unfinished is not None:
        return unfinished
    return assessments.create(
        session,
        questionnaire_id=HR_QUESTIONNAIRE,
        mode=AssessmentMode.HR,
        language=language,
        actor=actor,
        candidate_id=candidate.id,
        role_id=candidate.role_id,
    ).assessment


def shown_result(session: Session, candidate: Candidate) -> Headline:
    """Return the result every screen shows for the candidate and its source (see app.reports.headline)."""
    return headline(combined_result(session, candidate, "en"))


def store_shown_result(session: Session, candidate_id: int | None) -> None:
    """Keep the candidate list's verdict and scores equal to what the report and compare view show."""
    candidate = session.get(Candidate, candidate_id) if candidate_id is not None else None
    if candidate is None:
        return
    shown = shown_result(session, candidate)
    candidates.record_result(
        session,
        candidate,
        source=shown.source,
        verdict=shown.verdict,
        evidence=shown.evidence,
        claims=shown.claims,
    )


# After candidates.service's own listener (imported above): every change to a candidate's assessments.
assessment_changes.subscribe(store_shown_result)


def refresh_shown_results(
    session: Session, *, batch: int = 200, after_batch: Callable[[], None] | None = None, only_stale: bool = False
) -> int:
    """Store the shown result of every candidate (after an upgrade that changed the rule); return how many.

    ``after_batch`` (the command passes ``session.commit``) ends each batch's transaction. ``only_stale``:
    just the rows an older version stored (numbers without the source they came from), as ``migrate`` does.
    """
    done, last = 0, 0
    query = select(Candidate.id)
    if only_stale:
        query = query.where(col(Candidate.result_source).is_(None), col(Candidate.evidence_overall).is_not(None))
    while True:
        ids = session.exec(query.where(col(Candidate.id) > last).order_by(col(Candidate.id)).limit(batch)).all()
        if not ids:
            return done
        for candidate_id in ids:
            store_shown_result(session, candidate_id)
        if after_batch is not None:
            after_batch()
        done += len(ids)
        last = ids[-1] or last
