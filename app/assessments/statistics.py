"""Norms and reliability of a questionnaire version, computed from the results stored for it.

Norms (percentile ranks) appear once a version has enough completed assessments; reliability
(Cronbach's alpha per dimension) is for questionnaire authors. The formulas are the pure
functions of app.scoring.stats; this module only gathers the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment, AssessmentStatus, Result
from app.questionnaires.models import QuestionnaireVersion
from app.scoring import model as m
from app.scoring.collect import collect
from app.scoring.stats import MIN_NORM_GROUP, cronbach_alpha, percentile_rank

NORM_KEYS = ("evidence", "claims", *(d.value for d in m.DIMENSIONS))


def _score_values(result: dict[str, Any]) -> dict[str, float]:
    values: dict[str, float] = {}
    evidence = result.get("evidence") or {}
    if evidence.get("overall") is not None:
        values["evidence"] = evidence["overall"]
    claims = result.get("claims") or {}
    if claims.get("index") is not None:
        values["claims"] = claims["index"]
    for key, dim in (evidence.get("dimensions") or {}).items():
        if dim.get("score") is not None:
            values[key] = dim["score"]
    return values


def _completed_results(session: Session, content_hash: str) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Result.result)
        .join(Assessment, col(Assessment.id) == col(Result.assessment_id))
        .where(Result.content_hash == content_hash, Assessment.status == AssessmentStatus.COMPLETED)
    )
    return [dict(row) for row in rows]


@dataclass(frozen=True)
class Norms:
    """How many completed results a version has, and a result's percentile ranks among them (None below 30)."""

    count: int
    ranks: dict[str, float] | None
    minimum: int = MIN_NORM_GROUP


def norms(session: Session, content_hash: str, result: dict[str, Any]) -> Norms:
    """Return the size of the version's norm group and, from 30 completed results on, the result's ranks."""
    population = [_score_values(r) for r in _completed_results(session, content_hash)]
    return Norms(len(population), _ranks(population, result))


def percentile_ranks(session: Session, content_hash: str, result: dict[str, Any]) -> dict[str, float] | None:
    """Return each score's percentile rank among the version's completed results, or None below 30 of them."""
    return norms(session, content_hash, result).ranks


def _ranks(population: list[dict[str, float]], result: dict[str, Any]) -> dict[str, float] | None:
    if len(population) < MIN_NORM_GROUP:
        return None
    ranks: dict[str, float] = {}
    for key, value in _score_values(result).items():
        group = [p[key] for p in population if key in p]
        rank = percentile_rank(value, group)
        if rank is not None:
            ranks[key] = round(rank, 1)
    return ranks


@dataclass(frozen=True)
class Reliability:
    questionnaire_id: str
    content_hash: str
    respondents: int
    alpha: dict[str, float | None]
    """Cronbach's alpha per dimension (None where it is undefined: fewer than two items or respondents)."""
    items: dict[str, int]


def reliability(session: Session, version: QuestionnaireVersion) -> Reliability:
    """Compute Cronbach's alpha per dimension from the item scores of every completed assessment."""
    compiled = assessments.compiled_for(version)
    ids = session.exec(
        select(Assessment.id).where(
            Assessment.content_hash == version.content_hash, Assessment.status == AssessmentStatus.COMPLETED
        )
    ).all()
    answers: dict[str, dict[str, Any]] = {assessment_id: {} for assessment_id in ids}
    for row in session.exec(select(Answer).where(col(Answer.assessment_id).in_(ids))):
        answers[row.assessment_id][row.item_id] = row.value
    # Each respondent's item scores per dimension; alpha is over one fixed item set per dimension (every
    # item that scored for anyone), from the respondents who have a score on all of them (complete cases).
    scored: list[dict[str, dict[str, float]]] = []
    for given in answers.values():
        part = collect(compiled, given, on=version.loaded_at.date(), lang="en")
        scored.append({dim: {c.item_id: c.score for c in found} for dim, found in part.dims.items() if found})
    item_ids: dict[str, list[str]] = {}
    for by_dim in scored:
        for dim, by_item in by_dim.items():
            item_ids[dim] = sorted(set(item_ids.get(dim, ())) | set(by_item))
    rows: dict[str, list[list[float]]] = {d.value: [] for d in m.DIMENSIONS}
    for by_dim in scored:
        for dim, order in item_ids.items():
            by_item = by_dim.get(dim, {})
            if all(i in by_item for i in order):
                rows[dim].append([by_item[i] for i in order])
    return Reliability(
        questionnaire_id=version.questionnaire_id,
        content_hash=version.content_hash,
        respondents=len(answers),
        alpha={dim: cronbach_alpha(matrix) for dim, matrix in rows.items()},
        items={dim: len(order) for dim, order in item_ids.items()},
    )
