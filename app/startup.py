"""Checks a process makes before it serves: database reachable and migrated, question bank valid and stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import sys
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from app import schema
from app.accounts import service as accounts
from app.config import Settings
from app.questionnaires import service as questionnaires
from app.questionnaires.loader import BankError, LoadedQuestionnaire, load_bank

logger = logging.getLogger("touchstone.startup")

# Set by `touchstone serve` for its workers: the parent process already printed the setup URL once.
PREFLIGHT_DONE_ENV = "TOUCHSTONE_PREFLIGHT_DONE"


class StartupError(Exception):
    """The process cannot serve; str() is a one-line reason that names the setting or file to fix."""


def first_line(error: BaseException) -> str:
    """Return the first non-empty line of an error message, unwrapping SQLAlchemy's driver errors."""
    # SQLAlchemy wraps the driver's error; the driver's first line is the readable part.
    error = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def check_database(engine: Engine) -> None:
    """Raise StartupError unless the database answers and is at the migration head."""
    shown = make_url(str(engine.url)).render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        reason = schema.pending_reason(engine)
    except SQLAlchemyError as error:
        raise StartupError(f"TOUCHSTONE_DATABASE_URL: cannot use the database {shown}: {first_line(error)}") from None
    if reason:
        raise StartupError(f"TOUCHSTONE_DATABASE_URL: {reason}")


def load_questionnaires(path: Path) -> list[LoadedQuestionnaire]:
    """Load and validate the question bank, raising StartupError with the first problem found."""
    if not path.exists():
        raise StartupError(f"TOUCHSTONE_QUESTIONS_DIR: {path} does not exist")
    try:
        return load_bank(path)
    except BankError as error:
        more = len(error.errors) - 1
        suffix = f" (and {more} more; run `touchstone check-questions`)" if more > 0 else ""
        raise StartupError(f"question bank: {first_line(error)}{suffix}") from None


def sync_questionnaires(engine: Engine, loaded: list[LoadedQuestionnaire]) -> questionnaires.SyncReport:
    """Store new questionnaire versions; safe when several workers start at the same moment."""
    for attempt in range(2):
        try:
            with Session(engine) as session:
                report = questionnaires.sync_bank(session, loaded)
                session.commit()
                return report
        except IntegrityError:
            # Another worker stored the same version first; the second pass sees it and adds nothing.
            if attempt:
                raise
    raise AssertionError("unreachable")


def setup_token(settings: Settings) -> str:
    """Return the one-time setup token: only who can read the console (or the secret key) can open /setup.

    Derived from the secret key, so every worker and instance knows it without storing it; it opens
    nothing once the first user exists.
    """
    digest = hmac.new(settings.secret_key.encode(), b"touchstone setup token", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def setup_url(settings: Settings, base_url: str | None = None) -> str:
    """Return the address of the setup page with its one-time token."""
    base = settings.base_url if base_url is None else base_url
    return f"{base}/setup?token={setup_token(settings)}"


def announce_setup(engine: Engine, settings: Settings, base_url: str) -> None:
    """Print where to create the first admin (the setup page with its token) while no HR user exists."""
    with Session(engine) as session:
        if accounts.count_users(session):
            return
    url = setup_url(settings, base_url)
    # The token is a credential: it goes to the console only, never into the (shipped, collected) JSON log.
    logger.warning("no HR user exists yet: open the setup address printed on the console to create the first admin")
    print(f"\n  Touchstone has no users yet. Create the first admin at: {url}\n", file=sys.stderr, flush=True)


def prepare(engine: Engine, settings: Settings, *, announce: bool = True, listen_url: str | None = None) -> None:
    """Run every check and the bank sync; raise StartupError with a one-line reason on failure."""
    check_database(engine)
    loaded = load_questionnaires(settings.questions_dir)
    report = sync_questionnaires(engine, loaded)
    logger.info("question bank loaded: %s", report, extra={"added": report.added})
    if announce:
        # The configured public address: the one the host check lets in (in production the address the
        # server listens on is refused as a host), and the one a proxy in front of it answers on.
        shown = settings.base_url if settings.base_url_configured else (listen_url or settings.base_url)
        announce_setup(engine, settings, shown)
