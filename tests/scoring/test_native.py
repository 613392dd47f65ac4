"""The compiled engine (mypyc, build/native) gives exactly the results of the Python one.

`make install` compiles app/scoring's hot modules; app/native.py puts them in front of the Python
files only when they were built from the current sources. This compares both engines, byte for
byte, on varied answers to every shipped questionnaire, combined results and both languages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import native
from app.questionnaires.loader import load_bank
from app.questionnaires.variations import example_answers, varied
from app.scoring.engine import Part, compile_bundle, score, score_combined

ROOT = Path(__file__).resolve().parents[2]


def sample_results(count: int = 60) -> list[str]:
    """Results for varied answers to every shipped questionnaire, as JSON lines."""
    compiled = {q.id: compile_bundle(q.bundle) for q in load_bank(ROOT / "questions")}
    sets = {}
    for qid, c in sorted(compiled.items()):
        bases = example_answers(ROOT / "questions" / "examples", qid)
        sets[qid] = varied(c.questionnaire, bases, count, seed=7) + varied(
            c.questionnaire, bases, count, seed=8, change=1
        )
    lines = []
    for qid, answer_sets in sets.items():
        for i, answers in enumerate(answer_sets):
            on = dt.date(2026, 11, 28) if i % 2 else dt.date(2013, 3, 1)
            for lang in ("nl", "en"):
                lines.append(json.dumps(score(compiled[qid], answers, at=on, lang=lang), ensure_ascii=False))
    hr = compiled["hr-assessment"]
    rubric = {item.id: 2.0 for item in hr.questionnaire.items() if getattr(item, "rubric", ())}
    for i in range(count):
        parts = [Part(compiled["self-test"], sets["self-test"][i]), Part(hr, sets["hr-assessment"][i], rubric)]
        role = Part(compiled["role-assessment"], sets["role-assessment"][i])
        result = score_combined(parts, at=dt.date(2026, 11, 28), lang="nl" if i % 2 else "en", role_part=role)
        lines.append(json.dumps(result, ensure_ascii=False))
    return lines


def _python_engine(code: str) -> str:
    env = {**os.environ, "TOUCHSTONE_PURE_PYTHON": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def compiled_engine() -> None:
    if native.ACTIVE:
        return
    if os.environ.get("CI"):
        pytest.fail("build/native does not match the sources: `make install` should have compiled the engine")
    pytest.skip("the compiled engine is not built here (no C compiler?); `make install` builds it")


def test_the_compiled_modules_are_the_ones_in_use(compiled_engine: None) -> None:
    from app.scoring import engine, text

    assert Path(engine.__file__).suffix == ".so"
    assert Path(text.__file__).suffix == ".so"
    shown = _python_engine("from app.scoring import engine; print(engine.__file__)")
    assert shown.strip().endswith("engine.py")


def test_compiled_and_python_engines_agree_byte_for_byte(compiled_engine: None) -> None:
    code = "import sys\nfrom tests.scoring.test_native import sample_results\n"
    expected = _python_engine(code + "sys.stdout.write('\\n'.join(sample_results()))")
    got = sample_results()
    assert len(got) > 500
    assert got == expected.split("\n")


def test_a_build_of_other_sources_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = tmp_path / "scoring"
    sources.mkdir()
    for name in native.MODULES:
        (sources / f"{name}.py").write_bytes((native.SOURCES / f"{name}.py").read_bytes())
    build = tmp_path / "build"
    build.mkdir()
    monkeypatch.setattr(native, "SOURCES", sources)
    monkeypatch.setattr(native, "STAMP", build / "STAMP")
    (build / "STAMP").write_text(native.stamp() + "\n", encoding="ascii")
    assert native.build_matches()
    with (sources / "verdict.py").open("a", encoding="utf-8") as edited:
        edited.write("\n# an edit after the build\n")
    assert not native.build_matches()
    (build / "STAMP").unlink()
    assert not native.build_matches()
