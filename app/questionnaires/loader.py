"""Read the question bank from disk and validate it, with errors that point at the file and line.

Layout of a bank folder::

    questions/
      self-test.yaml            one questionnaire per file; the file name is its id
      data/scoring-policy.yaml  thresholds, weights and messages (app.scoring.policy.Policy)
      data/platforms.yaml       platform launch dates with sources
      data/lexicon.yaml         buzzwords and metric terms for the text signals
      data/interview-guide.yaml questions for HR's interview (optional; not part of any version)
      examples/                 example answer files (not loaded here)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from app.scoring import model as m
from app.scoring.bundle import Bundle, definition_hash
from app.scoring.guide import InterviewGuide
from app.scoring.model import Lexicon, PlatformCatalogue, Questionnaire, TenureItem
from app.scoring.policy import Policy

DATA_FILES: dict[str, type[BaseModel]] = {
    "scoring-policy.yaml": Policy,
    "platforms.yaml": PlatformCatalogue,
    "lexicon.yaml": Lexicon,
}


class BankError(Exception):
    """The bank cannot be used; ``errors`` lists every problem, each naming file, item, field, line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadedQuestionnaire:
    id: str
    kind: str
    title_en: str
    path: Path
    bundle: Bundle
    content_hash: str
    definition: dict[str, Any]


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys, which plain YAML silently overwrites."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    text = path.read_text(encoding="utf-8")
    node = yaml.compose(text, Loader=_Loader)
    data = yaml.load(text, Loader=_Loader)  # noqa: S506
    return data, node


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                continue  # a discriminator tag or a missing field: stay on the parent
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


_FIELD_IN_MESSAGE = re.compile(r"^Value error, ([a-z_]+(?:\.[a-z_]+)*): (.*)$", re.DOTALL)


def _describe(path: Path, data: Any, node: yaml.Node | None, err: dict[str, Any]) -> str:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    msg = err["msg"]
    # Model-level checks name their field at the start of the message ("key.best: ..."); move it
    # into the location so the line number and the field point at the exact spot.
    if found := _FIELD_IN_MESSAGE.match(msg):
        loc = loc + tuple(found.group(1).split("."))
        msg = found.group(2)
    where = f"{path}"
    line = _line_of(node, loc)
    if line is not None:
        where += f", line {line}"
    field = loc
    item = ""
    if "items" in loc:
        at = loc.index("items")
        try:
            section = data["sections"][loc[at - 1]]
            item_data = section["items"][loc[at + 1]]
            item = f" item '{item_data.get('id', loc[at + 1])}'"
        except (KeyError, IndexError, TypeError, AttributeError):
            item = f" item #{loc[at + 1]}"
        field = loc[at + 2 :]
        # Drop the union tag pydantic inserts (e.g. 'sjt') so the field reads like the file.
        if field and field[0] == _item_type(data, loc, at):
            field = field[1:]
    field_text = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in field) or "(whole entry)"
    return f"{where}:{item} field '{field_text}': {msg}"


def _item_type(data: Any, loc: tuple[int | str, ...], at: int) -> str | None:
    try:
        value = data["sections"][loc[at - 1]]["items"][loc[at + 1]]["type"]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) else None


def _parse(path: Path, model: type[BaseModel], errors: list[str]) -> Any:
    try:
        data, node = _read_yaml(path)
    except OSError as exc:
        errors.append(f"{path}: cannot read the file: {exc.strerror}")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{path}{line}: not valid YAML: {problem}")
        return None
    if not isinstance(data, dict):
        errors.append(f"{path}: the file must contain a mapping at the top level")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = exc.errors()
        # A failed element also makes pydantic report its container as "too short"; that is noise.
        found = [
            e
            for e in found
            if not (
                e["type"] == "too_short" and any(o["loc"][: len(e["loc"])] == e["loc"] and o is not e for o in found)
            )
        ]
        errors.extend(_describe(path, data, node, dict(e)) for e in found)
        return None


def _load_data(folder: Path, errors: list[str]) -> dict[str, Any]:
    loaded: dict[str, Any] = {}
    for name, model in DATA_FILES.items():
        path = folder / name
        if not path.is_file():
            errors.append(f"{path}: missing (every bank needs data/{name})")
            continue
        loaded[name] = _parse(path, model, errors)
    return loaded


def _cross_check(path: Path, questionnaire: Questionnaire, platforms: PlatformCatalogue) -> list[str]:
    errors = []
    if questionnaire.id != path.stem:
        errors.append(f"{path}: field 'id': '{questionnaire.id}' must equal the file name '{path.stem}'")
    known = {p.id for p in platforms.platforms}
    for item in questionnaire.items():
        if isinstance(item, TenureItem):
            for platform in item.platforms:
                if platform not in known:
                    errors.append(
                        f"{path}: item '{item.id}' field 'platforms': '{platform}' is not in data/platforms.yaml"
                    )
    return errors


def questionnaire_files(path: Path) -> list[Path]:
    """Return the questionnaire files of a bank folder, or the one file given."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.yaml") if p.is_file())


def load_bank(path: Path) -> list[LoadedQuestionnaire]:
    """Load and validate every questionnaire under ``path`` (a bank folder or one file)."""
    path = Path(path)
    if not path.exists():
        raise BankError([f"{path}: no such file or folder"])
    data_dir = (path.parent if path.is_file() else path) / "data"
    errors: list[str] = []
    data = _load_data(data_dir, errors)
    files = questionnaire_files(path)
    if not files:
        errors.append(f"{path}: no questionnaire files (*.yaml) found")
    parsed = [(file, _parse(file, Questionnaire, errors)) for file in files]
    if errors:
        raise BankError(errors)
    policy, platforms, lexicon = (data[name] for name in DATA_FILES)
    loaded: list[LoadedQuestionnaire] = []
    for file, questionnaire in parsed:
        if questionnaire is None:
            continue
        errors.extend(_cross_check(file, questionnaire, platforms))
        bundle = Bundle(questionnaire=questionnaire, policy=policy, platforms=platforms, lexicon=lexicon)
        definition = bundle.definition()
        loaded.append(
            LoadedQuestionnaire(
                id=questionnaire.id,
                kind=questionnaire.kind.value,
                title_en=questionnaire.title.en,
                path=file,
                bundle=bundle,
                content_hash=definition_hash(definition),
                definition=definition,
            )
        )
    errors.extend(_claims_cross_check(loaded))
    _check_guide(data_dir, [q.bundle.questionnaire for q in loaded], errors)
    if errors:
        raise BankError(errors)
    return loaded


def _claims_cross_check(loaded: list[LoadedQuestionnaire]) -> list[str]:
    """Every claim a reference check shows must be a self-test item (when a self-test was loaded with it)."""
    known = {
        i.id for q in loaded if q.bundle.questionnaire.kind == m.Kind.SELF_TEST for i in q.bundle.questionnaire.items()
    }
    if not known:
        return []
    return [
        f"{q.path}: item '{item.id}' field 'shows_claims': '{claim}' is not an item of the self-test"
        for q in loaded
        for item in q.bundle.questionnaire.items()
        for claim in item.shows_claims
        if claim not in known
    ]


GUIDE_FILE = "interview-guide.yaml"


def _check_guide(data_dir: Path, questionnaires: list[Questionnaire], errors: list[str]) -> None:
    """Validate the interview guide, when the bank has one, against the questionnaires loaded with it."""
    path = data_dir / GUIDE_FILE
    if not path.is_file():
        return
    guide = _parse(path, InterviewGuide, errors)
    if guide is not None:
        errors.extend(_guide_cross_check(path, guide, questionnaires))


def _guide_cross_check(path: Path, guide: InterviewGuide, questionnaires: list[Questionnaire]) -> list[str]:
    """Every linked HR item must exist in an HR assessment, every unconfirmed key be a self-reported item.

    Only checked against what was loaded (checking one file, or a bank whose self-test asks for no
    self-reported experience, leaves the rest alone).
    """
    errors: list[str] = []
    hr = [q for q in questionnaires if q.kind == m.Kind.HR_ASSESSMENT]
    if hr:
        known = {item.id for q in hr for item in q.items()}
        for question in guide.all_questions():
            for item_id in question.hr_items:
                if item_id not in known:
                    errors.append(
                        f"{path}: question '{question.id}' field 'hr_items': '{item_id}' is not an item of "
                        f"the HR assessment ({', '.join(q.id for q in hr)})"
                    )
    reported = {
        item.id for q in questionnaires if q.kind == m.Kind.SELF_TEST for item in q.items() if item.self_reported
    }
    if reported:
        for key in guide.unconfirmed:
            if key not in reported:
                errors.append(
                    f"{path}: field 'unconfirmed.{key}': '{key}' is not a self-reported item of the self-test "
                    f"(self-reported: {', '.join(sorted(reported))})"
                )
    return errors


def load_interview_guide(folder: Path) -> InterviewGuide | None:
    """Read the interview guide of a bank folder (None when it has none); BankError when it is broken."""
    path = Path(folder) / "data" / GUIDE_FILE
    if not path.is_file():
        return None
    errors: list[str] = []
    guide = _parse(path, InterviewGuide, errors)
    if errors:
        raise BankError(errors)
    return guide


def bundle_from_definition(definition: dict[str, Any]) -> Bundle:
    """Rebuild the bundle of a stored questionnaire version."""
    return Bundle.model_validate(definition)
