"""Bring the translation catalogues in line with the template `pybabel extract` just wrote (`make messages`).

Touchstone keeps several catalogues per language, one per area of the app (app/locale/<lang>/LC_MESSAGES/
<area>.po; app.i18n.read_catalogue merges them). `pybabel update` knows only one catalogue per language, so
this script does its job for the areas: a message the code no longer has is removed from the area file that
holds it, and a message new to the code is added, untranslated, to messages.po of each language other than
English (the messages are English; an English entry would only repeat its id). Translate what it lists.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "app" / "locale"
TEMPLATE = LOCALE / "messages.pot"
SOURCE_LANGUAGE = "en"
NEW_MESSAGES_AREA = "messages.po"
WIDTH = 120


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=WIDTH, no_location=True, omit_header=False)


def refresh(lang_dir: Path, template: Catalog) -> tuple[list[str], list[str]]:
    """Refresh one language's area files; return the message ids added and removed."""
    lang = lang_dir.name
    wanted = {message.id for message in template if message.id}
    areas = {path: _read(path, lang) for path in sorted((lang_dir / "LC_MESSAGES").glob("*.po"))}
    removed: list[str] = []
    present: set[object] = set()
    for catalog in areas.values():
        for message in list(catalog):
            if not message.id:
                continue
            if message.id in wanted:
                present.add(message.id)
            else:
                catalog.delete(message.id)
                removed.append(str(message.id))
    added: list[str] = []
    if lang != SOURCE_LANGUAGE:
        target = lang_dir / "LC_MESSAGES" / NEW_MESSAGES_AREA
        catalog = areas.setdefault(target, Catalog(locale=lang, project="Touchstone"))
        for message in template:
            if message.id and message.id not in present:
                catalog.add(message.id, string=("", "") if message.pluralizable else "", flags=message.flags)
                added.append(str(message.id))
    for path, catalog in areas.items():
        _write(path, catalog)
    return added, removed


def main() -> int:
    template = _read(TEMPLATE)
    for lang_dir in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        added, removed = refresh(lang_dir, template)
        print(f"{lang_dir.name}: {len(added)} new (in {NEW_MESSAGES_AREA}), {len(removed)} no longer used (removed)")
        for message_id in added:
            print(f"  translate: {message_id}")
        for message_id in removed:
            print(f"  removed: {message_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
