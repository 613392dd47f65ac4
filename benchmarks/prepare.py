"""Fill a migrated Touchstone database with what the benchmarks need, and print it as JSON.

Run with the project's Python and TOUCHSTONE_DATABASE_URL set:
    python benchmarks/prepare.py --open 3000 --completed 200 --bulk 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

import app.models  # noqa: E402, F401 - every table, so foreign keys resolve
from app.accounts import sessions  # noqa: E402
from app.accounts.models import User, UserRole  # noqa: E402
from app.accounts.passwords import hash_password  # noqa: E402
from app.apikeys import service as apikeys  # noqa: E402
from app.assessments import service as assessments  # noqa: E402
from app.assessments.models import Assessment, AssessmentMode, Result  # noqa: E402
from app.candidates.models import Candidate  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.db import create_db_engine, utcnow  # noqa: E402
from app.questionnaires import service as questionnaires  # noqa: E402
from app.scoring import model as m  # noqa: E402

EXAMPLE = ROOT / "questions" / "examples" / "self-test--midlevel.json"
VERDICTS = ("ready_to_lead", "ready_with_mentor", "supervision_only", "not_recommended")
STATUSES = ("invited", "started", "completed", "expired")


def _bulk(session: Session, count: int) -> None:
    """Insert ``count`` candidates with one self-test each (a third completed), fast, without scoring."""
    version = questionnaires.get_current(session, "self-test")
    assert version is not None and version.id is not None
    rng = random.Random(7)
    now = utcnow()
    chunk = 5000
    first_names = ["Anna", "Bram", "Chloé", "Daan", "Eva", "Finn", "Guus", "Hanna", "Ivo", "Julia"]
    last_names = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        candidates = [
            {
                "first_name": rng.choice(first_names),
                "last_name": f"{rng.choice(last_names)} {start + i}",
                "email": f"bench{start + i}@example.org",
                "language": rng.choice(("nl", "en")),
                "kind": "applicant",
                "created_at": now - dt.timedelta(minutes=start + i),
                "updated_at": now - dt.timedelta(minutes=start + i),
            }
            for i in range(size)
        ]
        ids = [row[0] for row in session.execute(insert(Candidate).returning(Candidate.id), candidates)]
        rows = []
        results = []
        for i, candidate_id in enumerate(ids):
            status = STATUSES[(start + i) % len(STATUSES)]
            assessment_id = f"bench{start + i:08d}"
            rows.append(
                {
                    "id": assessment_id,
                    "candidate_id": candidate_id,
                    "questionnaire_version_id": version.id,
                    "content_hash": version.content_hash,
                    "mode": "api",
                    "language": "en",
                    "status": status,
                    "feedback_to_candidate": True,
                    "assessment_date": now.date(),
                    "created_at": now - dt.timedelta(minutes=start + i),
                    "updated_at": now - dt.timedelta(minutes=start + i),
                }
            )
            if status == "completed":
                results.append(
                    {
                        "assessment_id": assessment_id,
                        "content_hash": version.content_hash,
                        "engine_version": "bench",
                        "language": "en",
                        "result": {},
                        "scored_at": now,
                        "evidence_overall": rng.uniform(0, 100),
                        "claims_index": rng.uniform(0, 100),
                        "verdict": rng.choice(VERDICTS),
                        "calibration": "calibrated",
                    }
                )
        session.execute(insert(Assessment), rows)
        if results:
            session.execute(insert(Result), results)
        session.commit()


def _fields(item: m.Item, value: object) -> dict[str, object]:
    """Return the form fields a browser sends for one answered question."""
    name = f"q.{item.id}"
    if isinstance(value, list):
        return {name: [str(v) for v in value]}
    if isinstance(value, dict) and isinstance(item, m.SjtItem):
        return {f"{name}.best": value["best"], f"{name}.worst": value["worst"]}
    if isinstance(value, dict):
        return {f"{name}.{key}": str(v) for key, v in value.items() if v is not None}
    if isinstance(value, bool):
        return {name: "yes" if value else "no"}
    return {name: str(value)}


def _journey(session: Session, answers: dict[str, object]) -> list[dict[str, object]]:
    """Return the self-test as a candidate goes through it: each section with each answered question's fields."""
    version = questionnaires.get_current(session, "self-test")
    assert version is not None
    questionnaire = assessments.compiled_for(version).questionnaire
    return [
        {
            "section": section.id,
            "items": [
                {"item": item.id, "fields": _fields(item, answers[item.id])}
                for item in section.items
                if answers.get(item.id) is not None
            ],
        }
        for section in questionnaire.sections
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=3000, help="open assessments to submit through the API")
    parser.add_argument("--completed", type=int, default=200, help="completed assessments to read results of")
    parser.add_argument("--bulk", type=int, default=0, help="extra candidates with assessments for list timing")
    parser.add_argument("--invitations", type=int, default=0, help="invitation links for the capacity benchmark")
    args = parser.parse_args()

    settings = get_settings()
    engine = create_db_engine(settings.database_url)
    answers = json.loads(EXAMPLE.read_text(encoding="utf-8"))["answers"]
    out: dict[str, object] = {}
    with Session(engine) as session:
        _key, secret = apikeys.create_key(session, name="bench", scopes=["read", "write"], actor="bench")
        out["api_key"] = secret
        user = User(email="bench@example.org", role=UserRole.ADMIN, password_hash=hash_password("bench password!"))
        session.add(user)
        session.flush()
        # The whole Cookie header: in production the session cookie's name is __Host- prefixed.
        out["hr_cookie"] = f"{sessions.cookie_name(settings)}={sessions.start(session, user, settings)}"
        open_ids = []
        for _ in range(args.open):
            created = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="bench"
            )
            open_ids.append(created.assessment.id)
        out["open"] = open_ids
        completed = []
        for _ in range(args.completed):
            created = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="bench"
            )
            assessments.save_answers(session, created.assessment, answers)
            assessments.submit(session, created.assessment, actor="bench")
            completed.append(created.assessment.id)
        out["completed"] = completed
        page = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="nl", actor="bench"
        )
        assessments.save_answers(session, page.assessment, {"self_title": "marketing_professional"})
        out["page_token"] = page.token
        session.commit()
        tokens = []
        for n in range(args.invitations):
            invited = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="en", actor="bench"
            )
            tokens.append(invited.token)
            if n % 500 == 499:
                session.commit()
        session.commit()
        out["tokens"] = tokens
        out["journey"] = _journey(session, answers)
        if args.bulk:
            _bulk(session, args.bulk)
    engine.dispose()
    out["answers"] = answers
    print(json.dumps(out))


if __name__ == "__main__":
    main()
