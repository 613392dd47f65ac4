"""`touchstone worker`: the background process. Each step runs in its own short transactions (deliveries and
mail: claim, send with no transaction open, record); several workers may run at once."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from app.apikeys.models import IdempotencyRecord, RateWindow
from app.apikeys.service import RATE_WINDOW_SECONDS
from app.assessments import service as assessments
from app.candidates import reminders
from app.config import Settings
from app.db import utcnow
from app.mail import service as mail
from app.privacy import service as privacy
from app.referees import mail as referee_mail
from app.webhooks import delivery

logger = logging.getLogger("touchstone.worker")

IDEMPOTENCY_TTL = dt.timedelta(hours=24)
EXPIRE_EVERY = dt.timedelta(minutes=1)
PURGE_EVERY = dt.timedelta(days=1)


def prune(session: Session, now: dt.datetime | None = None) -> None:
    """Forget idempotency records after a day and rate-limit windows once they are over."""
    now = now or utcnow()
    session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < now - IDEMPOTENCY_TTL))
    current = int(now.timestamp()) // RATE_WINDOW_SECONDS
    session.execute(delete(RateWindow).where(col(RateWindow.window) < current - 1))
    session.flush()


@dataclass
class Worker:
    """One worker process: remembers when the periodic steps last ran."""

    engine: Engine
    settings: Settings
    http: httpx.Client
    last_run: dict[str, dt.datetime] = field(default_factory=dict)

    def _step(self, name: str, action: Callable[[Session], object]) -> None:
        # A failing step is logged and retried on the next pass; it must not stop the others.
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                outcome = action(session)
                session.commit()
            if outcome:
                logger.info("%s: %s", name, outcome)
        except Exception:
            logger.exception("worker step %s failed", name)

    def _due(self, name: str, every: dt.timedelta, now: dt.datetime) -> bool:
        last = self.last_run.get(name)
        if last is not None and now - last < every:
            return False
        self.last_run[name] = now
        return True

    def run_pass(self) -> None:
        """Run every step once: expiry, fan-out, deliveries, reminders, mail, pruning, and the daily purge."""
        now = utcnow()
        if self._due("expire", EXPIRE_EVERY, now):
            self._step("expired assessments", lambda s: assessments.expire_due(s))
        self._step("deliveries created", delivery.dispatch)
        self._step("deliveries attempted", lambda s: delivery.deliver_due(s, self.settings, self.http))
        self._step("reminders queued", lambda s: reminders.remind_due(s, self.settings))
        self._step("referee reminders queued", lambda s: referee_mail.remind_due(s, self.settings))
        self._step("mail sent", lambda s: mail.deliver_pending(s, self.settings))
        self._step("pruned", lambda s: prune(s))
        if self._due("purge", PURGE_EVERY, now):
            self._step("purge", lambda s: str(privacy.purge(s, settings=self.settings)))

    def run(self, *, once: bool, interval: float) -> None:
        """Run passes until stopped (Ctrl-C or SIGTERM), or one pass with once."""
        stop = threading.Event()
        if not once and threading.current_thread() is threading.main_thread():
            # Finish the pass in progress on SIGTERM (docker stop) instead of dying mid-delivery.
            signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
        while True:
            self.run_pass()
            if once or stop.wait(interval):
                return
