"""Languages: negotiation, in-memory catalogues, and no template text without a Dutch translation."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from starlette.requests import Request

from app import i18n
from app.config import ROOT


def _request(query: str = "", cookie: str | None = None, accept: str | None = None) -> Request:
    headers = []
    if cookie:
        headers.append((b"cookie", f"lang={cookie}".encode()))
    if accept:
        headers.append((b"accept-language", accept.encode()))
    return Request({"type": "http", "query_string": query.encode(), "headers": headers, "path": "/"})


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("lang=nl", "en", "en", "nl"),
        ("lang=fr", "nl", "en", "nl"),
        ("", "nl", "en", "nl"),
        ("", None, "fr-FR, nl;q=0.8, en;q=0.7", "nl"),
        ("", None, "en;q=0.2, nl;q=0.9", "nl"),
        ("", None, "nl;q=0, en", "en"),
        ("", None, "garbage;;", "en"),
        ("", None, None, "en"),
    ],
)
def test_negotiation_order(query: str, cookie: str | None, accept: str | None, expected: str) -> None:
    assert i18n.negotiate(_request(query, cookie, accept)) == expected


def test_catalogues_compile_in_memory() -> None:
    catalogues = i18n.load_translations()
    assert catalogues["nl"].gettext("Page not found") == "Pagina niet gevonden"
    assert catalogues["en"].gettext("Page not found") == "Page not found"


def _extracted_msgids() -> set[str]:
    method_map = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_dutch_translation() -> None:
    msgids = _extracted_msgids()
    assert "Set up Touchstone" in msgids  # the extraction itself works
    catalog = i18n.read_catalogue("nl")
    missing = sorted(m for m in msgids if not (catalog.get(m) and catalog.get(m).string))  # type: ignore[union-attr]
    assert missing == [], f"add Dutch translations to app/locale/nl/LC_MESSAGES/<area>.po: {missing}"


def test_every_catalogue_entry_is_used() -> None:
    msgids = _extracted_msgids()
    unused = [
        f"{path.relative_to(ROOT)}: {message.id}"
        for path in sorted((ROOT / "app" / "locale").glob("*/LC_MESSAGES/*.po"))
        for message in _read_po(path)
        if message.id and (message.id if isinstance(message.id, str) else message.id[0]) not in msgids
    ]
    assert unused == [], f"run `make messages` to drop them: {unused}"


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file)


def _messages_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages_script", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_po(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po_file:
        write_po(po_file, catalog)


def test_make_messages_adds_new_texts_for_translation_and_drops_unused_ones(tmp_path: Path) -> None:
    script = _messages_script()
    template = Catalog()
    template.add("Kept", flags=["python-format"])
    template.add("New text")
    for lang in ("en", "nl"):
        area = Catalog(locale=lang)
        area.add("Kept", "Behouden" if lang == "nl" else "")
        area.add("Gone", "Weg" if lang == "nl" else "")
        _write_po(tmp_path / lang / "LC_MESSAGES" / "hr.po", area)

    added, removed = script.refresh(tmp_path / "nl", template)
    assert (added, removed) == (["New text"], ["Gone"])
    hr = _read_po(tmp_path / "nl" / "LC_MESSAGES" / "hr.po")
    assert [(m.id, m.string) for m in hr if m.id] == [("Kept", "Behouden")]
    fresh = _read_po(tmp_path / "nl" / "LC_MESSAGES" / "messages.po")
    assert [(m.id, m.string) for m in fresh if m.id] == [("New text", "")]
    # English is the language of the ids: nothing to add there, only the unused entry goes.
    assert script.refresh(tmp_path / "en", template) == ([], ["Gone"])
    assert not (tmp_path / "en" / "LC_MESSAGES" / "messages.po").exists()


def test_a_translated_entry_wins_over_an_empty_one_in_an_earlier_area(tmp_path: Path) -> None:
    for area, text in (("a_first.po", ""), ("b_second.po", "Vertaald")):
        catalog = Catalog(locale="nl")
        catalog.add("Translated", text)
        _write_po(tmp_path / "nl" / "LC_MESSAGES" / area, catalog)
    merged = i18n.read_catalogue("nl", tmp_path)
    assert merged.get("Translated").string == "Vertaald"  # type: ignore[union-attr]
