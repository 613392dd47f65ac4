"""The formulas of PRODUCT.md 3.3, checked against values computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from app.scoring.compiled import compile_bundle
from app.scoring.engine import score
from app.scoring.overclaiming import corrected_rate, indices
from app.scoring.stats import cronbach_alpha, percentile_rank
from tests.scoring.conftest import SELF_TEST, TENURE_ITEM, make_bundle


def test_d_prime_and_c_for_symmetric_rates() -> None:
    r = indices(hits=8, reals=10, false_alarms=2, foils=10)
    assert r.hit_rate == 0.8 and r.false_alarm_rate == 0.2
    assert r.d_prime == pytest.approx(1.6832, abs=1e-4)
    assert r.c == pytest.approx(0.0, abs=1e-12)
    assert r.accuracy == pytest.approx(0.6)
    assert r.bias == pytest.approx(0.5)


def test_lower_c_means_more_claiming() -> None:
    cautious = indices(hits=5, reals=10, false_alarms=0, foils=4)
    claimer = indices(hits=10, reals=10, false_alarms=4, foils=4)
    assert claimer.c < 0 < cautious.c


def test_log_linear_correction_only_for_rates_of_zero_or_one() -> None:
    assert corrected_rate(0, 4) == pytest.approx(0.5 / 5)
    assert corrected_rate(4, 4) == pytest.approx(4.5 / 5)
    assert corrected_rate(2, 4) == 0.5
    # All claimed: H and FA corrected to 16.5/17 and 4.5/5: z = 1.8895 and 1.2816.
    r = indices(hits=16, reals=16, false_alarms=4, foils=4)
    assert r.d_prime == pytest.approx(1.8895 - 1.2816, abs=1e-3)


def test_percentile_rank_needs_thirty_and_counts_ties_half() -> None:
    population = [float(x) for x in range(30)]  # 0..29
    assert percentile_rank(10.0, population) == pytest.approx(100 * (10 + 0.5) / 30)
    assert percentile_rank(10.0, population[:29]) is None
    assert percentile_rank(-1.0, population) == 0.0


def test_cronbach_alpha_hand_computed() -> None:
    rows = [[2, 3, 3], [4, 4, 5], [3, 3, 3], [5, 4, 4], [1, 2, 2]]
    # item variances 2.5 + 0.7 + 1.3 = 4.5; total variance 11.8; alpha = 1.5 * (1 - 4.5 / 11.8)
    assert cronbach_alpha(rows) == pytest.approx(1.5 * (1 - 4.5 / 11.8))


def test_cronbach_alpha_undefined_cases() -> None:
    assert cronbach_alpha([[1, 2]]) is None
    assert cronbach_alpha([[1], [2]]) is None
    assert cronbach_alpha([[3, 3], [3, 3]]) is None
    assert cronbach_alpha([[1, 1], [2, 2], [3, 3]]) == pytest.approx(1.0)


def _tenure(years: dict[str, int], on: dt.date, unit: str = "years") -> list[dict[str, object]]:
    item = {**TENURE_ITEM, "unit": unit}
    compiled = compile_bundle(make_bundle({**SELF_TEST, "sections": [{**SELF_TEST["sections"][0], "items": [item]}]}))
    return score(compiled, {"tenure": years}, at=on)["tenure"]


def test_tenure_is_judged_against_the_assessment_date() -> None:
    on = dt.date(2026, 11, 28)  # Instagram (launched 2010-10-06) is 16.15 years old then
    assert _tenure({"instagram": 16}, on) == [
        {"platform": "instagram", "claimed_years": 16.0, "possible_years": 16.1, "impossible": False}
    ]
    assert _tenure({"instagram": 17}, on)[0]["impossible"]  # beyond 16.15 + the half-year tolerance
    # The same claim of 10 years was impossible in early 2020, and possible a year later.
    assert _tenure({"instagram": 10}, dt.date(2020, 1, 1))[0]["impossible"]
    assert not _tenure({"instagram": 10}, dt.date(2021, 1, 1))[0]["impossible"]


def test_start_year_before_launch_or_in_future_is_impossible() -> None:
    on = dt.date(2026, 11, 28)
    assert _tenure({"instagram": 2009}, on, "start_year")[0]["impossible"]
    assert not _tenure({"instagram": 2010}, on, "start_year")[0]["impossible"]
    assert _tenure({"instagram": 2027}, on, "start_year")[0]["impossible"]


def test_experience_after_a_platform_closed_counts_only_until_it_closed() -> None:
    # Hyves closed as a social network on 2013-12-02, nine years after its launch on 2004-09-22.
    assert _tenure({"hyves": 9}, dt.date(2026, 11, 28))[0]["impossible"] is False
    assert _tenure({"hyves": 12}, dt.date(2026, 11, 28))[0]["impossible"] is True
