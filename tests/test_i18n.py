"""Languages: negotiation, in-memory catalogues, and no template text without a Dutch translation."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
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
