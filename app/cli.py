"""The `touchstone` console command: serve, migrate, manage users and work with the question bank."""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import schema, startup
from app.accounts.models import UserRole
from app.config import ConfigError, Settings, load_settings
from app.db import create_db_engine
from app.errors import DomainError
from app.logs import configure_logging
from app.scoring.model import Lang

cli = typer.Typer(
    help="Touchstone: separate real social-media experience from self-declared claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        fail(str(error))


@contextmanager
def checked_database(
    settings: Settings,
    errors: tuple[type[Exception], ...] = (),
    describe: Callable[[Exception], str] = str,
) -> Iterator[Engine]:
    """Open the database and check it; a startup problem (or one of ``errors``) ends the command in one line."""
    handled: tuple[type[Exception], ...] = (startup.StartupError, *errors)
    engine = create_db_engine(settings.database_url, settings.db_limits)
    try:
        startup.check_database(engine)
        yield engine
    except handled as error:
        fail(describe(error))
    finally:
        engine.dispose()


# glibc gives every thread that meets contention in malloc an arena of its own (up to eight per core),
# and the request thread pool then keeps tens of MB of freed memory spread over arenas it never hands
# back. Two arenas keep a worker's resident size flat (in `make bench` 134 MB instead of 163 MB after
# the same load) without costing throughput.
MALLOC_ARENAS = "2"
# Longer than a person's pause between two answers, and than the idle timeout of common proxies (60 s).
KEEP_ALIVE_SECONDS = 75
_M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


def limit_malloc_arenas() -> None:
    """Cap glibc's malloc arenas in this process and, through the environment, in its worker processes.

    A MALLOC_ARENA_MAX already in the environment is kept. Elsewhere than glibc this does nothing.
    """
    os.environ.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)  # read by glibc when a worker starts
    try:
        arenas = int(os.environ["MALLOC_ARENA_MAX"])
        mallopt = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, arenas)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    with_worker: Annotated[
        bool, typer.Option(help="Also run `touchstone worker` (webhooks, mail, expiry, purge) until serving stops.")
    ] = False,
) -> None:
    """Serve the web application with uvicorn (X-Forwarded-* believed only from TOUCHSTONE_FORWARDED_ALLOW_IPS)."""
    import uvicorn

    limit_malloc_arenas()
    settings = _settings()
    configure_logging(settings.log_level)
    engine = create_db_engine(settings.database_url, settings.db_limits)
    try:
        startup.prepare(engine, settings, listen_url=_listen_url(host, port))
    except startup.StartupError as error:
        fail(str(error))
    finally:
        engine.dispose()
    os.environ[startup.PREFLIGHT_DONE_ENV] = "1"
    with _background_worker(enabled=with_worker):
        uvicorn.run(
            "app.main:create_configured_app",
            factory=True,
            host=host,
            port=port,
            workers=None if reload else workers,
            reload=reload,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_config=None,
            server_header=False,
            # Browsers and proxies keep connections open between requests (a candidate thinks for seconds between
            # answers): closing an idle one after uvicorn's 5 s races the next request on it, which then fails.
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            # Importing the app and compiling the question bank takes a few seconds on a busy small machine;
            # uvicorn's default 5 s would kill healthy workers that are merely slow to start.
            timeout_worker_healthcheck=60,
        )


@contextmanager
def _background_worker(*, enabled: bool) -> Iterator[None]:
    """Run `touchstone worker` as a child process while the block runs (one machine: one command starts all)."""
    if not enabled:
        yield
        return
    # A process of its own, as in production: its network waits and CPU never share the web process's GIL.
    child = subprocess.Popen([sys.executable, "-m", "app", "worker"])
    # uvicorn shuts down on SIGTERM and then raises it again, by default ending the process before this
    # block's cleanup: as an exception instead, the worker is stopped too (exit status 143, as for SIGTERM).
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _listen_url(host: str, port: int) -> str:
    # A wildcard address is not something to type into a browser.
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    return f"http://{shown}:{port}"


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply the database migrations (run once per deployment, before starting the instances)."""
    settings = _settings()
    configure_logging("WARNING")
    from alembic.util import CommandError

    try:
        schema.upgrade(settings.database_url, revision)
        engine = create_db_engine(settings.database_url, settings.db_limits)
        current = schema.current_revisions(engine)
        engine.dispose()
    except SQLAlchemyError as error:
        fail(f"TOUCHSTONE_DATABASE_URL: cannot migrate: {startup.first_line(error)}")
    except CommandError as error:  # an unknown revision, or one Alembic cannot reach
        fail(f"migrate {revision}: {startup.first_line(error)}")
    shown = ", ".join(sorted(current)) or "base"
    if revision not in {"head", "heads"} and revision not in current:
        # `migrate` only goes up: a database already past the revision stays where it is.
        typer.echo(f"database at revision {shown}, already past {revision} (migrate never goes down)")
    else:
        typer.echo(f"database at revision {shown}")
    if revision == "head":
        _refresh_stale_results(settings)


def _refresh_stale_results(settings: Settings) -> None:
    # Rows stored before the list showed one result with its source get it now, so no screen shows an
    # older number after an upgrade (a no-op on a new database).
    from app.reports import service as reports

    with checked_database(settings) as engine, Session(engine) as session:
        count = reports.refresh_shown_results(session, after_batch=session.commit, only_stale=True)
    if count:
        typer.echo(f"{count} candidate(s) now show their result with its source")


@cli.command("check-questions")
def check_questions(
    path: Annotated[Path | None, typer.Argument(help="A questions folder or one questionnaire file.")] = None,
) -> None:
    """Validate the question bank (or one file) and report every problem with file, item, field and line."""
    from app.questionnaires.loader import BankError, load_bank
    from app.scoring import engine

    target = path or _settings().questions_dir
    if not target.exists():
        fail(f"{target} does not exist")
    try:
        loaded = load_bank(target)
    except BankError as error:
        for line in error.errors:
            typer.echo(line, err=True)
        fail(f"{len(error.errors)} problem(s) in {target}")
    for questionnaire in loaded:
        try:
            engine.compile_bundle(questionnaire.bundle)
        except Exception as error:
            # Whatever the engine trips over is a problem in that file: report it as one line.
            fail(f"{questionnaire.path}: cannot be compiled for scoring: {error}")
        typer.echo(f"ok  {questionnaire.id:<24} {questionnaire.kind:<16} {questionnaire.content_hash[:12]}")
    typer.echo(f"{len(loaded)} questionnaire(s) valid")


@cli.command("load-questions")
def load_questions() -> None:
    """Store a new version of every changed questionnaire in the database."""
    settings = _settings()
    with checked_database(settings) as engine:
        loaded = startup.load_questionnaires(settings.questions_dir)
        report = startup.sync_questionnaires(engine, loaded)
    added = f": {', '.join(report.added)}" if report.added else ""
    typer.echo(f"{report}{added}")


@cli.command("stats")
def stats(
    questionnaire_id: Annotated[str, typer.Argument(help="Questionnaire id, e.g. self-test.")],
) -> None:
    """Print the reliability (Cronbach's alpha per dimension) of a questionnaire's current version."""
    from app.assessments.statistics import reliability
    from app.questionnaires import service as questionnaires

    settings = _settings()
    with checked_database(settings, errors=(DomainError,)) as engine, Session(engine) as session:
        report = reliability(session, questionnaires.current_or_404(session, questionnaire_id))
    typer.echo(f"{report.questionnaire_id} {report.content_hash[:12]}: {report.respondents} completed assessment(s)")
    for dim, alpha in report.alpha.items():
        shown = "undefined (fewer than two items or respondents)" if alpha is None else f"{alpha:.3f}"
        typer.echo(f"  {dim:<24} items {report.items.get(dim, 0):>2}  alpha {shown}")


@cli.command("refresh-results")
def refresh_results() -> None:
    """Store again the result the candidate list shows for every candidate (once, after upgrading)."""
    from app.reports import service as reports

    settings = _settings()
    with checked_database(settings) as engine, Session(engine) as session:
        count = reports.refresh_shown_results(session, after_batch=session.commit)
    typer.echo(f"{count} candidate(s) refreshed")


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="E-mail address; also the sign-in name.")],
    role: Annotated[UserRole, typer.Option(help="What the user may do.")] = UserRole.VIEWER,
) -> None:
    """Create an HR user; the password is prompted twice, or read from stdin when it is not a terminal."""
    from app.accounts import service as accounts
    from app.accounts.models import UserCreate

    settings = _settings()
    password = _read_password()
    with checked_database(settings, errors=(DomainError,)) as engine:
        accounts.check_password(password)
        with Session(engine) as session:
            user = accounts.create_user(session, UserCreate(email=email, password=password, role=role), actor="cli")
            session.commit()
            typer.echo(f"created {user.role} {user.email} (id {user.id})")


def _read_password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@cli.command()
def score(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="QUESTIONNAIRE_ID ANSWERS.json [QUESTIONNAIRE_ID ANSWERS.json]",
            help="A questionnaire id and its answer file; give a self-test and an HR assessment of one person "
            "to print their combined result.",
        ),
    ],
    date: Annotated[str | None, typer.Option("--date", help="Assessment date YYYY-MM-DD (default today).")] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of the result texts (default en).")] = None,
) -> None:
    """Score answer files against the questionnaires in the bank and print the result as JSON."""
    from app.questionnaires import answer_files
    from app.questionnaires.loader import BankError, load_bank
    from app.scoring import engine

    if len(files) not in (2, 4):
        fail("give QUESTIONNAIRE_ID ANSWERS.json, or two such pairs (a self-test and an HR assessment)")
    try:
        given_date = answer_files.parse_date(date)
    except ValueError as error:
        fail(f"--date: {error}")
    try:
        bank = {q.id: q for q in load_bank(_settings().questions_dir)}
    except BankError as error:
        fail(f"question bank: {error.errors[0]}")
    questionnaires = [q.bundle.questionnaire for q in bank.values()]
    parts: list[engine.Part] = []
    read: list[answer_files.AnswerFile] = []
    for questionnaire_id, name in zip(files[::2], files[1::2], strict=True):
        if questionnaire_id not in bank:
            fail(f"no questionnaire {questionnaire_id!r}; known: {', '.join(sorted(bank))}")
        compiled = engine.compile_bundle(bank[questionnaire_id].bundle)
        path = Path(name)
        try:
            found = answer_files.read(path, compiled.questionnaire, questionnaires)
        except answer_files.AnswerFileError as error:
            fail(str(error))
        problems = engine.validate_answers(compiled.questionnaire, found.answers, complete=True)
        if problems:
            for problem in problems:
                typer.echo(f"{path}: {problem.item_id}: {problem.message}", err=True)
            fail(f"{path}: {len(problems)} answer(s) invalid for '{questionnaire_id}'")
        parts.append(engine.Part(compiled, found.answers))
        read.append(found)
    language = lang.value if lang else (read[0].lang or "en")
    if language not in {"nl", "en"}:
        fail(f"{read[0].path}: lang {language!r} is not nl or en")
    try:
        at = given_date or answer_files.parse_date(read[0].date) or dt.datetime.now(dt.UTC).date()
    except ValueError as error:
        fail(f"{read[0].path}: date {error}")
    if len(parts) == 1:
        result = engine.score(parts[0].compiled, parts[0].answers, at=at, lang=language)
    else:
        kinds = sorted(p.compiled.kind_code for p in parts)
        if kinds != ["hr_assessment", "self_test"]:
            fail(f"a combined result joins one self-test and one HR assessment, not {' and '.join(kinds)}")
        result = engine.score_combined(parts, at=at, lang=language)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@cli.command()
def purge() -> None:
    """Erase personal data past its retention date; anonymous scores stay for norms (the worker runs it daily)."""
    from app.privacy import service as privacy

    settings = _settings()
    with (
        checked_database(
            settings, errors=(SQLAlchemyError,), describe=lambda error: f"purge failed: {startup.first_line(error)}"
        ) as engine,
        Session(engine) as session,
    ):
        report = privacy.purge(session, settings=settings)
        session.commit()
    typer.echo(str(report))


@cli.command("create-api-key")
def create_api_key(
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. the ATS's name.")],
    scopes: Annotated[
        list[str], typer.Option("--scopes", help="read, write, greenhouse and/or webhooks (repeat or comma-separate).")
    ],
) -> None:
    """Create an API key for an ATS; the key is printed once, as the last line."""
    from app.apikeys import service as apikeys

    settings = _settings()
    with checked_database(settings, errors=(DomainError,)) as engine, Session(engine) as session:
        key, secret = apikeys.create_key(
            session, name=name, scopes=[s for value in scopes for s in value.split(",")], actor="cli"
        )
        session.commit()
        typer.echo(f"created API key {key.id} {key.name!r} with scopes {', '.join(key.scopes)}")
        typer.echo("Store it now; it is not shown again:")
        typer.echo(secret)


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one pass and exit.")] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between passes.")] = 2.0,
) -> None:
    """Deliver webhooks and Greenhouse callbacks, send mail, expire assessments, purge (several may run)."""
    from app.webhooks.delivery import http_client
    from app.webhooks.worker import Worker

    settings = _settings()
    configure_logging(settings.log_level)
    with checked_database(settings) as engine, http_client(settings) as http, suppress(KeyboardInterrupt):
        Worker(engine, settings, http).run(once=once, interval=interval)


def main() -> None:
    """Run the command line."""
    cli()
