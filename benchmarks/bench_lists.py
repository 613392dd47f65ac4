"""How the candidates list scales: the same queries on 1,000 and on 100,000 candidates and assessments.

Usage: python benchmarks/bench_lists.py [--small N] [--large N] [--repeat N]
Builds a migrated SQLite database per size (bulk inserts), then times through the real service
(app.candidates.service.list_candidates): the first page, a deep page reached by cursor, and filtered
lists. Prints p50/p99 per size and the p99 ratio. Target: p99 at the large size at most 1.5x the small
one, which holds only when every query walks an index range (keyset pages, composite indexes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from app import schema  # noqa: E402
from app.assessments.models import Assessment  # noqa: E402
from app.candidates import service as candidates  # noqa: E402
from app.candidates.models import Candidate  # noqa: E402
from app.db import create_db_engine  # noqa: E402
from app.pagination import encode_cursor  # noqa: E402
from app.questionnaires.models import QuestionnaireVersion  # noqa: E402
from app.roles.models import Role  # noqa: E402

TARGET_RATIO = 1.5
STATUSES = ["invited", "started", "completed", "expired", "cancelled", "none"]
VERDICTS = ["ready_to_lead", "ready_with_mentor", "supervision_only", "not_recommended"]
ROLES = 20
BATCH = 5_000


def fill(session: Session, size: int) -> None:
    """Insert size candidates, each with one assessment, in bulk."""
    rng = random.Random(size)
    now = dt.datetime.now(dt.UTC)
    session.execute(
        insert(Role),
        [{"title": f"Role {i}", "language": "en", "created_at": now, "updated_at": now} for i in range(ROLES)],
    )
    version = QuestionnaireVersion(
        questionnaire_id="self-test",
        kind="self_test",
        title="Self-test",
        content_hash="bench",
        definition={},
        source_path="bench",
    )
    session.add(version)
    session.flush()
    for start in range(0, size, BATCH):
        people, tests = [], []
        for i in range(start, min(size, start + BATCH)):
            status = rng.choice(STATUSES)
            verdict = rng.choice(VERDICTS) if status == "completed" else None
            updated = now - dt.timedelta(seconds=rng.randrange(0, 365 * 86400))
            first, last = f"First{i}", f"Last{rng.randrange(size)}"
            people.append(
                {
                    "id": i + 1,
                    "first_name": first,
                    "last_name": last,
                    "email": f"p{i}@example.org",
                    "language": "en",
                    "kind": "applicant",
                    "role_id": rng.randrange(ROLES) + 1,
                    "created_at": updated,
                    "updated_at": updated,
                    "status": status,
                    "verdict": verdict,
                    "verdict_rank": VERDICTS.index(verdict) if verdict else None,
                    "evidence_overall": rng.uniform(0, 100) if verdict else None,
                    "claims_index": rng.uniform(0, 100) if verdict else None,
                    "last_activity_at": updated,
                    "name_key": f"{last} {first}".lower(),
                }
            )
            tests.append(
                {
                    "id": f"a{i:08d}",
                    "candidate_id": i + 1,
                    "questionnaire_version_id": version.id,
                    "content_hash": "bench",
                    "mode": "invitation",
                    "language": "en",
                    "status": status if status != "none" else "created",
                    "created_at": updated,
                    "updated_at": updated,
                    "assessment_date": updated.date(),
                    "feedback_to_candidate": True,
                }
            )
        session.execute(insert(Candidate), people)
        session.execute(insert(Assessment), tests)
    session.commit()


def deep_cursor(session: Session, size: int) -> str:
    """Return the cursor of the row halfway down the default order (found once, not timed)."""
    row = session.exec(
        select(Candidate).order_by(col(Candidate.updated_at).desc(), col(Candidate.id).desc()).offset(size // 2)
    ).first()
    assert row is not None
    return encode_cursor("updated", True, row.updated_at.isoformat(), row.id)


def time_query(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    for _ in range(max(5, repeat // 20)):
        run()  # warm the page cache and statement cache
    samples = []
    # The collector's pauses would measure Python's heap, not the query plan.
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            began = time.perf_counter()
            run()
            samples.append((time.perf_counter() - began) * 1000)
    finally:
        gc.enable()
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def measure(size: int, repeat: int, folder: Path) -> dict[str, tuple[float, float]]:
    url = f"sqlite:///{folder / f'bench-{size}.db'}"
    schema.upgrade(url)
    engine = create_db_engine(url)
    with Session(engine) as session:
        began = time.perf_counter()
        fill(session, size)
        print(f"  filled {size:,} candidates and assessments in {time.perf_counter() - began:.1f} s")
        cursor = deep_cursor(session, size)
        queries: dict[str, Callable[[], Any]] = {
            "first page": lambda: candidates.list_candidates(session, limit=50),
            "deep page (cursor)": lambda: candidates.list_candidates(session, after=cursor, limit=50),
            "status filter": lambda: candidates.list_candidates(session, status="completed", limit=50),
            "verdict filter": lambda: candidates.list_candidates(session, verdict="ready_to_lead", limit=50),
            "role filter": lambda: candidates.list_candidates(session, role_id=7, limit=50),
            "sort by name": lambda: candidates.list_candidates(session, sort="name", descending=False, limit=50),
        }
        results = {}
        for name, run in queries.items():
            page = run()
            assert len(page.items) == 50, f"{name} returned {len(page.items)} rows"
            results[name] = time_query(run, repeat)
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{args.small:,} candidates:")
        small = measure(args.small, args.repeat, Path(tmp))
        print(f"{args.large:,} candidates:")
        large = measure(args.large, args.repeat, Path(tmp))
    print(f"\n{'query':<20} {'p50 small':>10} {'p99 small':>10} {'p50 large':>10} {'p99 large':>10} {'ratio p99':>10}")
    failed = []
    for name in small:
        (s50, s99), (l50, l99) = small[name], large[name]
        ratio = l99 / s99
        print(f"{name:<20} {s50:>8.2f}ms {s99:>8.2f}ms {l50:>8.2f}ms {l99:>8.2f}ms {ratio:>9.2f}x")
        if ratio > TARGET_RATIO:
            failed.append(name)
    print(
        f"\ntarget: p99 at {args.large:,} at most {TARGET_RATIO}x p99 at {args.small:,}: "
        + ("met" if not failed else "MISSED for " + ", ".join(failed))
    )
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
