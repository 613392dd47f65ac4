"""Two submissions of one bulk-invite list at the same moment invite nobody twice, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.assessments.models import Assessment
from app.candidates import bulk
from app.candidates.models import Candidate
from app.db import utcnow
from app.mail.models import MailMessage
from app.roles import service as roles
from app.roles.models import Role, RoleCreate
from tests.faults.server import settings_for
from tests.faults.test_concurrency import _run_together

LIST = "\n".join(f"Persoon {n} Jansen, persoon{n}@example.org" for n in range(8))
SUBMISSIONS = 4


def test_the_same_list_sent_at_once_invites_everyone_exactly_once(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    settings = settings_for(fresh_url, tmp_path)
    with Session(fresh_engine, expire_on_commit=False) as session:
        role_id = roles.create(session, RoleCreate(title="Woordvoerder"), actor="test").id
        session.commit()
    expires = utcnow() + dt.timedelta(days=14)

    def submit(_: int) -> tuple[int, int]:
        # One request: its own session and transaction, committed when the list is done.
        with Session(fresh_engine, expire_on_commit=False) as session:
            role = session.get(Role, role_id)
            assert role is not None
            report = bulk.invite_list(
                session,
                settings,
                role,
                LIST,
                actor="test",
                language="nl",
                expires_at=expires,
                feedback_to_candidate=True,
            )
            session.commit()
            return len(report.invited), len(report.already)

    outcomes = _run_together(SUBMISSIONS, submit)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == [], errors
    # One submission invited the eight; every other one found them all invited already.
    assert sorted(outcomes) == [(0, 8)] * (SUBMISSIONS - 1) + [(8, 0)]
    with Session(fresh_engine) as session:
        count = select(func.count())
        assert session.exec(count.select_from(Candidate)).one() == 8
        assert session.exec(count.select_from(Assessment).where(Assessment.role_id == role_id)).one() == 8
        assert session.exec(count.select_from(MailMessage)).one() == 8
