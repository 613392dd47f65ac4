"""How many self-test results one core scores per second, explanations included.

Usage: python benchmarks/bench_scoring.py [--seconds N] [--rounds N] [--sets N]
Scores the shipped self-test on one thread, each time a different answer set (varied from the
example answer files by benchmarks/variations.py) in English and Dutch, and prints results
per second by the CPU time of the scoring thread and by the wall clock. Floor: at least 2,000 per second
in plain Python on one core.

The floor is judged by CPU time: that is what one core's second buys. The wall clock agrees with it on an
idle machine and falls behind it when other processes share the core (the load average printed beside it
says how busy the machine was), so it measures the machine's business rather than the engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.questionnaires.loader import load_bank  # noqa: E402
from app.scoring.engine import compile_bundle, score  # noqa: E402
from benchmarks.variations import example_answers, varied  # noqa: E402

TARGET = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sets", type=int, default=5000, help="distinct answer sets to cycle through")
    args = parser.parse_args()

    loaded = {q.id: q for q in load_bank(ROOT / "questions")}
    compiled = compile_bundle(loaded["self-test"].bundle)
    bases = example_answers(ROOT / "questions" / "examples", "self-test")
    if not bases:
        raise SystemExit("no questions/examples/self-test--*.json files to vary")
    answer_sets = varied(compiled.questionnaire, bases, args.sets)
    day = dt.date(2026, 11, 28)

    rates, cpu_rates = [], []
    count = 0
    for _ in range(args.rounds):
        done = 0
        start, cpu_start = time.perf_counter(), time.thread_time()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            answers = answer_sets[count % len(answer_sets)]
            count += 1
            for lang in ("en", "nl"):
                score(compiled, answers, at=day, lang=lang)
                done += 2 if lang == "nl" else 0
        rates.append(done / (time.perf_counter() - start))
        cpu_rates.append(done / (time.thread_time() - cpu_start))

    median, cpu_median = statistics.median(rates), statistics.median(cpu_rates)
    items = len(compiled.items)
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"questionnaire: self-test ({items} items), {len(answer_sets):,} varied answer sets x 2 languages")
    print(f"results per second, one core (CPU time of the thread): median {cpu_median:,.0f}  (floor {TARGET:,})")
    print(f"results per second by the wall clock: median {median:,.0f}  (load {load:.1f} on {os.cpu_count()} cores)")
    print(f"microseconds per result: {1e6 / cpu_median:.1f} CPU, {1e6 / median:.1f} wall")
    print("floor met" if cpu_median >= TARGET else "floor NOT met")


if __name__ == "__main__":
    main()
