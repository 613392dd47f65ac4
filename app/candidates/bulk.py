"""Bulk invite: a pasted or uploaded list of names and e-mail addresses, invited for one role.

Each line is "name, e-mail" or "first name, last name, e-mail" (comma, semicolon or tab between; a header
line is skipped). Lines that cannot be read are refused with their number and the reason; a repeated
address in the list and a candidate of the role who already has an open invitation are reported, not
invited again, so a list sent twice invites nobody twice.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app import emails, i18n
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.config import Settings
from app.db import lock_row
from app.errors import Invalid
from app.i18n import N_
from app.roles.models import Role

MAX_LINES = 500
MAX_FILE_BYTES = 200_000
HEADER_WORDS = {"name", "naam", "first name", "voornaam", "last name", "achternaam", "email", "e-mail", "e-mailadres"}

BAD_COLUMNS = N_("expected a name and an e-mail address (or first name, last name, e-mail address)")
NO_LAST_NAME = N_("give a first and a last name")
BAD_EMAIL = N_("%(value)s is not an e-mail address")
TOO_LONG = N_("a name is longer than 200 characters")
REPEATED = N_("the same e-mail address as line %(line)s")
ALREADY = N_("already invited for this role")
TOO_MANY = N_("more than %(max)s lines; send the rest in another list")


@dataclass(frozen=True)
class Problem:
    """A line not invited: its number, its text and why (a message id with its parameters)."""

    line: int
    text: str
    reason: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    line: int
    first_name: str
    last_name: str
    email: str


@dataclass
class Report:
    invited: list[tuple[Person, invitations.Invitation]] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    repeated: list[Problem] = field(default_factory=list)
    already: list[Problem] = field(default_factory=list)


def _split(cells: list[str]) -> tuple[str, str, str] | str:
    if len(cells) == 3:
        return cells[0], cells[1], cells[2]
    if len(cells) != 2:
        return BAD_COLUMNS
    first, _, last = cells[0].partition(" ")
    if not last.strip():
        return NO_LAST_NAME
    return first, last.strip(), cells[1]


def parse(text: str, report: Report) -> list[Person]:
    """Read the list; lines that cannot be read go to report.refused, repeated addresses to report.repeated."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    people: list[Person] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        # Each line its own separator: a list pasted from several sources mixes them.
        delimiter = next((d for d in ("\t", ";") if d in raw), ",")
        cells = [cell.strip() for cell in next(csv.reader([raw], delimiter=delimiter))]
        cells = [cell for cell in cells if cell] if len(cells) > 3 else cells
        if not people and not report.refused and not seen and {c.casefold() for c in cells} & HEADER_WORDS:
            continue  # a header line
        if len(people) + len(report.refused) + len(report.repeated) >= MAX_LINES:
            report.refused.append(Problem(number, raw.strip(), TOO_MANY, {"max": MAX_LINES}))
            break
        split = _split(cells)
        if isinstance(split, str):
            report.refused.append(Problem(number, raw.strip(), split))
            continue
        first, last, address = split
        if len(first) > 200 or len(last) > 200:
            report.refused.append(Problem(number, raw.strip(), TOO_LONG))
            continue
        try:
            address = emails.checked(address)
        except Invalid:
            report.refused.append(Problem(number, raw.strip(), BAD_EMAIL, {"value": address}))
            continue
        if address in seen:
            report.repeated.append(Problem(number, raw.strip(), REPEATED, {"line": seen[address]}))
            continue
        seen[address] = number
        people.append(Person(number, first, last, address))
    return people


def _existing(session: Session, role: Role, address: str) -> Candidate | None:
    return session.exec(
        select(Candidate)
        .where(Candidate.email == address, Candidate.role_id == role.id, col(Candidate.erased_at).is_(None))
        .order_by(col(Candidate.id).desc())
    ).first()


def _has_open_invitation(session: Session, candidate: Candidate) -> bool:
    open_one = session.exec(
        select(Assessment.id).where(
            Assessment.candidate_id == candidate.id,
            Assessment.mode == AssessmentMode.INVITATION.value,
            col(Assessment.status).in_([AssessmentStatus.INVITED.value, AssessmentStatus.STARTED.value]),
        )
    ).first()
    return open_one is not None


def invite_list(
    session: Session,
    settings: Settings,
    role: Role,
    text: str,
    *,
    actor: str,
    language: str,
    expires_at: dt.datetime,
    feedback_to_candidate: bool,
    candidate_names_referees: bool = False,
) -> Report:
    """Invite everyone on the list for the role (their e-mail is queued) and report every line not invited."""
    i18n.check_language(language)
    # Two submissions of one list run one after the other (on PostgreSQL and SQLite): the second finds
    # everyone invited.
    lock_row(session, Role, role.id)
    report = Report()
    for person in parse(text, report):
        candidate = _existing(session, role, person.email)
        if candidate is not None and _has_open_invitation(session, candidate):
            report.already.append(Problem(person.line, person.email, ALREADY))
            continue
        if candidate is None:
            data = CandidateCreate(
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                language=language,
                role_id=role.id,
            )
            candidate = candidates.create(session, data, actor=actor)
        invited = invitations.invite(
            session,
            settings,
            candidate,
            actor=actor,
            expires_at=expires_at,
            feedback_to_candidate=feedback_to_candidate,
            candidate_names_referees=candidate_names_referees,
            send=True,
        )
        report.invited.append((person, invited))
    return report
