"""Languages: gettext catalogues compiled in memory at startup, and per-request locale negotiation."""

from __future__ import annotations

import gettext
import re
from contextvars import ContextVar
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

from app.errors import Invalid

SUPPORTED = ("en", "nl")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
COOKIE = "lang"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT)

_ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def check_language(language: str, field: str = "language") -> str:
    """Return the language if pages and e-mails exist in it; otherwise Invalid naming the field and value."""
    if language not in SUPPORTED:
        raise Invalid(f"{field}: {language!r} is not supported; use 'nl' or 'en'", field=field)
    return language


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def read_catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """Read every ``*.po`` of a language into one catalogue (one file per area of the app).

    Areas keep their own files (``messages.po``, ``candidate.po``, ``hr.po``, ``api.po``) so that
    people working on different parts never edit the same catalogue; a translated entry wins over
    an empty one.
    """
    merged = Catalog(locale=lang)
    for po_path in sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            existing = merged.get(message.id)
            if existing is None or (message.string and not existing.string):
                # Deleted first: assigning over an existing entry merges into it and keeps its (empty) text.
                if existing is not None:
                    del merged[message.id]
                merged[message.id] = message
    return merged


@cache
def load_translations(locale_dir: Path = LOCALE_DIR) -> dict[str, gettext.NullTranslations]:
    """Compile the catalogues into in-memory translations, once per process (no .mo files in the repository)."""
    catalogues: dict[str, gettext.NullTranslations] = {}
    for lang in SUPPORTED:
        catalog = read_catalogue(lang, locale_dir)
        if not len(catalog):
            catalogues[lang] = gettext.NullTranslations()
            continue
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        catalogues[lang] = gettext.GNUTranslations(buffer)
    return catalogues


def parse_accept_language(header: str) -> list[str]:
    """Return the language tags of an Accept-Language header (lower case), most preferred first."""
    # Our own parsing on purpose: Babel (2.x) has no header parser; babel.negotiate_locale and
    # Locale.negotiate take a list of preferred tags, which this builds (q-values ranked, q=0 left out).
    # The other parsers at hand belong to web frameworks (werkzeug's parse_accept_header), a runtime
    # dependency too many for a dozen lines.
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        match = _ACCEPT_ITEM.match(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            ranked.append((-quality, position, match.group(1).lower()))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(request: Request) -> str:
    """Pick the page language: ?lang=, then the lang cookie, then Accept-Language, then English.

    Decided once per request (LocaleMiddleware asks first) and kept in the ASGI scope, which every
    Request object of the same request shares: routes and render() ask again and get the same answer.
    """
    decided: str | None = request.scope.get(_SCOPE_KEY)
    if decided is None:
        decided = request.scope[_SCOPE_KEY] = _negotiate(request)
    return decided


_SCOPE_KEY = "touchstone.lang"


def _negotiate(request: Request) -> str:
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in SUPPORTED:
            return candidate
    return _from_header(request.headers.get("accept-language", ""))


@lru_cache(maxsize=256)
def _from_header(header: str) -> str:
    # Browsers send a handful of distinct headers, so each is worked out once per process.
    # Babel matches a regional tag (nl-BE) to its language (nl); no aliases (they would map en to en_US).
    preferred = parse_accept_language(header)
    return negotiate_locale(preferred, SUPPORTED, sep="-", aliases={}) or DEFAULT


class Translator:
    """gettext callables for Jinja2 that follow the language of the request being rendered."""

    def __init__(self, catalogues: dict[str, gettext.NullTranslations]) -> None:
        self.catalogues = catalogues

    def _catalogue(self) -> gettext.NullTranslations:
        return self.catalogues.get(current_locale.get(), self.catalogues[DEFAULT])

    def gettext(self, message: str) -> str:
        return self._catalogue().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ngettext(singular, plural, n)


def translate(message: str) -> str:
    """Translate a message into the language of the request being handled (see LocaleMiddleware)."""
    catalogues = load_translations()
    return catalogues.get(current_locale.get(), catalogues[DEFAULT]).gettext(message)


class LocaleMiddleware:
    """Set the request's language before any route runs, so messages made in code (form errors) are translated.

    The language is negotiated like a page's (?lang=, cookie, Accept-Language); the value is seen by
    dependencies and routes (the thread pool copies the context) and by render().
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            token = current_locale.set(negotiate(Request(scope)))
            try:
                await self.app(scope, receive, send)
            finally:
                current_locale.reset(token)
            return
        await self.app(scope, receive, send)
