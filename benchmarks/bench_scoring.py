"""How many self-test results one core scores per second, explanations included.

Usage: python benchmarks/bench_scoring.py [--seconds N]
Scores the shipped self-test with its example answer files (or generated answers when there are
none) in a loop on one thread and prints results per second. Target: at least 20,000 per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.questionnaires.loader import load_bank  # noqa: E402
from app.scoring.engine import compile_bundle, score  # noqa: E402

TARGET = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    loaded = {q.id: q for q in load_bank(ROOT / "questions")}
    compiled = compile_bundle(loaded["self-test"].bundle)
    examples = sorted((ROOT / "questions" / "examples").glob("self-test--*.json"))
    answer_sets = [json.loads(p.read_text(encoding="utf-8"))["answers"] for p in examples]
    if not answer_sets:
        raise SystemExit("no questions/examples/self-test--*.json files to score")
    day = dt.date(2026, 11, 28)

    rates = []
    for _ in range(args.rounds):
        count = 0
        start = time.perf_counter()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            for answers in answer_sets:
                for lang in ("en", "nl"):
                    score(compiled, answers, at=day, lang=lang)
                    count += 1
        rates.append(count / (time.perf_counter() - start))

    best, median = max(rates), statistics.median(rates)
    items = len(compiled.items)
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"questionnaire: self-test ({items} items), {len(answer_sets)} example answer sets x 2 languages")
    print(f"results per second, one core: median {median:,.0f}  best {best:,.0f}  (target {TARGET:,})")
    print(f"microseconds per result: {1e6 / median:.1f}")
    print("target met" if median >= TARGET else "target NOT met")


if __name__ == "__main__":
    main()
