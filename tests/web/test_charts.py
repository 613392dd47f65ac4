"""SVG charts: accessible, escaped, values visible as text, bars proportional to the scores."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from app.config import ROOT
from app.questionnaires.loader import load_bank
from app.scoring import engine
from app.web.charts import dimension_bars_svg, evidence_claims_svg

SVG = "{http://www.w3.org/2000/svg}"


def _result(lang: str = "en") -> dict[str, Any]:
    bank = {q.id: q for q in load_bank(ROOT / "questions")}
    compiled = engine.compile_bundle(bank["self-test"].bundle)
    answers = json.loads((ROOT / "questions/examples/self-test--midlevel.json").read_text())["answers"]
    return engine.score(compiled, answers, at=dt.date(2026, 11, 28), lang=lang)


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return _result()


def test_evidence_claims_chart_is_an_accessible_image_with_visible_values(result: dict[str, Any]) -> None:
    svg = evidence_claims_svg(result, "en")
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Evidence and claims (0 to 100)"
    assert desc is not None and "Strategy" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert f"{result['evidence']['overall']:.0f}" in texts
    assert f"{result['claims']['index']:.0f}" in texts
    for dimension in result["evidence"]["dimensions"].values():
        assert dimension["label"] in texts
    assert "style=" not in str(svg)  # the CSP forbids inline styles


def test_bars_are_proportional_to_the_scores(result: dict[str, Any]) -> None:
    root = ET.fromstring(str(dimension_bars_svg(result, "en")))
    bars = [float(r.get("width") or 0) for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    scores = [d["score"] for d in result["evidence"]["dimensions"].values()]
    assert len(bars) == 6
    full = max(float(r.get("width") or 0) for r in root.iter(f"{SVG}rect"))
    for bar, score in zip(bars, scores, strict=True):
        assert bar == pytest.approx(full * score / 100, abs=0.1)


def test_charts_speak_the_requested_language() -> None:
    dutch = _result("nl")
    svg = str(evidence_claims_svg(dutch, "nl"))
    assert "Bewijs en claims (0 tot 100)" in svg
    assert "Strategie en bedrijfsdoelen" in svg
    assert "Bewijs per dimensie (0 tot 100)" in str(dimension_bars_svg(dutch, "nl"))


def test_chart_text_is_escaped() -> None:
    hostile = {
        "evidence": {"overall": 150, "dimensions": {"strategy": {"label": '<script>alert("x")</script>', "score": -5}}},
        "claims": {"index": None},
    }
    svg = str(evidence_claims_svg(hostile, "en"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)  # still well-formed
    widths = [float(w) for w in re.findall(r'class="chart-bar" x="0" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == max(widths) and widths[-1] == 0  # clamped to 0..100, missing drawn empty
    assert "–" in svg


def test_hr_chart_speaks_about_the_candidate_and_leaves_the_heading_to_the_report() -> None:
    dutch = _result("nl")
    candidate = str(evidence_claims_svg(dutch, "nl"))
    hr = str(evidence_claims_svg(dutch, "nl", audience="hr"))
    assert "wat je claimde zonder bewijs" in candidate and "Bewijs per dimensie" in candidate
    assert " je " not in hr and "Bewijs per dimensie" not in hr
    assert "Claimindex (geclaimd zonder bewijs)" in hr and "Per dimensie" in hr
