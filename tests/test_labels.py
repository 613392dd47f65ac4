"""Every code the app can produce has a display label, in English and in Dutch; an unknown code never crashes."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from app import i18n, labels
from app.accounts.models import User, UserRole
from app.apikeys.models import ApiKey, ApiScope
from app.assessments.models import Assessment, AssessmentStatus
from app.audit.service import SYSTEM, object_type_of
from app.candidates import pipeline
from app.candidates.models import CANDIDATE_STATUSES, Candidate, CandidateKind
from app.config import ROOT
from app.events import service as events
from app.mail.models import MailStatus
from app.privacy import erasure
from app.referees import service as referees
from app.referees.models import NamedBy, Referee, RefereeStatus, Relation
from app.reports import headline
from app.reports.models import DecisionKind
from app.scoring import guide
from app.scoring.model import Calibration, Discipline, Risk, Signal, Verdict
from app.webhooks.models import DeliveryKind, DeliveryStatus

APP = ROOT / "app"


def _strings(node: ast.AST) -> Iterator[str]:
    """Yield the string constants in an expression (both sides of ``"a" if x else "b"``)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value


def _code_arguments(name: str) -> set[str]:
    """Return every constant the app passes as ``name`` (an audit action, an object type) anywhere in its source.

    It finds ``record(action="x")``, ``action = "x" if a else "y"`` and a module's own helper that takes
    ``action`` as a parameter (``_by_candidate(session, candidate, "x")``).
    """
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {
            f.name: [a.arg for a in f.args.args].index(name)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef) and name in [a.arg for a in f.args.args]
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == name:
                        found.update(_strings(keyword.value))
                callee = node.func.id if isinstance(node.func, ast.Name) else None
                if callee in helpers and len(node.args) > helpers[callee]:
                    found.update(_strings(node.args[helpers[callee]]))
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                found.update(_strings(node.value))
    return found


def _values(*enums: type[Enum]) -> set[str]:
    return {str(member.value) for enum in enums for member in enum}


def _missing(kind: str, codes: Iterable[str]) -> set[str]:
    return {code for code in codes if code not in labels.LABELS[kind]}


def test_every_audit_action_the_app_records_has_a_label() -> None:
    actions = {code for code in _code_arguments("action") if "." in code}
    assert len(actions) > 40  # the scan finds the app's actions, not nothing
    assert "candidate.retention_consent_withdrawn" in actions  # through a module's own helper
    assert "webhook_endpoint.disabled" in actions  # through "a" if active else "b"
    assert _missing("audit_action", actions) == set()


def test_every_audit_object_type_and_actor_has_a_label() -> None:
    # Most entries take their object type from the row they are about (app.audit.service.object_type_of).
    audited = {object_type_of(row) for row in (User(), Candidate(), Assessment(), ApiKey(), Referee())}
    audited |= {"mentor", "mentor_assignment", "role", "webhook_endpoint", "webhook_delivery", "decision"}
    assert audited - {"user"} <= set(SQLModel.metadata.tables)  # users are "user", not their table's name
    object_types = _code_arguments("object_type") | audited
    assert _missing("object_type", object_types) == set()
    actors = {code.split(":")[0] for code in _code_arguments("actor") if "@" not in code and code != "test"}
    assert _missing("actor", actors | {SYSTEM, "user", "api-key"}) == set()


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("status", _values(AssessmentStatus) | set(CANDIDATE_STATUSES)),
        ("status", set(pipeline.STAGES)),
        ("verdict", _values(Verdict)),
        ("decision", _values(DecisionKind)),
        ("result_source", {headline.SELF_TEST, headline.HR_ASSESSMENT, headline.COMBINED}),
        ("calibration", _values(Calibration)),
        ("risk", _values(Risk)),
        ("signal", _values(Signal)),
        ("discipline", _values(Discipline)),
        ("candidate_kind", _values(CandidateKind)),
        ("mail_status", _values(MailStatus)),
        ("user_role", _values(UserRole)),
        ("relation", _values(Relation)),
        ("referee_status", _values(RefereeStatus)),
        ("referee_named_by", _values(NamedBy)),
        ("delivery_status", _values(DeliveryStatus)),
        ("delivery_kind", _values(DeliveryKind)),
        ("api_scope", _values(ApiScope)),
        ("language", set(i18n.SUPPORTED)),
        ("event", {v for k, v in vars(events).items() if k.isupper() and isinstance(v, str) and "." in v}),
        ("questionnaire", {path.stem for path in (ROOT / "questions").glob("*.yaml")}),
    ],
)
def test_every_code_of_a_kind_has_a_label(kind: str, codes: set[str]) -> None:
    assert codes
    assert _missing(kind, codes) == set()


def test_every_reason_for_the_interview_guide_has_a_label() -> None:
    source = Path(guide.__file__).read_text(encoding="utf-8")
    returned = {
        node.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }
    assert "not_measured" in returned
    assert _missing("guide_status", returned) == set()


def test_every_label_has_a_dutch_translation() -> None:
    catalogue = i18n.read_catalogue("nl")
    untranslated = {
        (kind, code)
        for kind, table in labels.LABELS.items()
        if kind != "language"
        for code, text in table.items()
        if not (message := catalogue.get(text)) or not message.string
    }
    assert untranslated == set()
    assert catalogue.get(labels.ERASED_LABEL).string == "[gewist]"  # type: ignore[union-attr]


def test_a_label_is_in_the_readers_language_and_an_unknown_code_is_shown_as_it_is() -> None:
    dutch = i18n.load_translations()["nl"].gettext
    assert labels.label("report.viewed", "audit_action", dutch) == "Rapport bekeken"
    assert labels.label("report.viewed", "audit_action", lambda text: text) == "Report viewed"
    assert labels.label(Discipline.PR, "discipline", dutch) == "PR"
    assert labels.label("communication", "discipline", dutch) == "Communicatie"
    assert labels.label("candidate:12", "actor", dutch) == "Kandidaat 12"
    assert labels.label("hr@example.org", "actor", dutch) == "hr@example.org"
    assert labels.label("nl", "language", dutch) == "Nederlands"
    assert labels.label("something.new", "audit_action", dutch) == "something.new"
    assert labels.label(None, "status", dutch) == ""
    with pytest.raises(KeyError):
        labels.label("x", "no such kind", dutch)


def test_erasure_placeholder_is_shown_in_the_readers_language() -> None:
    assert erasure.ERASED == referees.ERASED == labels.ERASED
    dutch = i18n.load_translations()["nl"].gettext
    assert labels.erased("[erased]", dutch) == "[gewist]"
    assert labels.erased("Met [erased] gesproken", dutch) == "Met [gewist] gesproken"
    assert labels.erased(None, dutch) == ""


def test_the_vanity_risk_reads_as_plain_words_without_changing_the_policy() -> None:
    dutch = i18n.load_translations()["nl"].gettext
    assert labels.label(Risk.VANITY_KPIS, "risk", dutch) == "Succes gemeten in volgers en likes"
    assert labels.label(Risk.VANITY_KPIS, "risk", lambda text: text) == "Success measured in followers and likes"


def test_calibrated_is_one_dutch_term() -> None:
    dutch = i18n.load_translations()["nl"].gettext
    assert labels.label(Calibration.CALIBRATED, "calibration", dutch) == "In balans"
