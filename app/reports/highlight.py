"""Mark the lexicon terms the engine found in a person's own text, as escaped HTML with <mark> elements."""

from __future__ import annotations

from markupsafe import Markup, escape

# The engine's own tokenisation, so every mark lines up with a term the engine counted.
from app.scoring.text import _TOKEN, TextAnalyzer

# Order matters when one phrase is on two lists: the first kind names the mark.
KINDS = ("buzzword", "title", "vanity", "volume")


def highlight(text: str, analyzer: TextAnalyzer) -> Markup:
    """Return ``text`` HTML-escaped, with buzzwords, self-titles, vanity and volume terms in <mark>."""
    findings = analyzer.analyse(text)
    phrases: dict[tuple[str, ...], str] = {}
    for kind, found in zip(KINDS, (findings.buzzwords, findings.titles, findings.vanity, findings.volume), strict=True):
        for phrase in found:
            phrases.setdefault(tuple(phrase.split(" ")), kind)
    if not phrases:
        return escape(text)
    longest_first = sorted(phrases, key=len, reverse=True)
    tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    words = [t[0] for t in tokens]
    out: list[str] = []
    position = 0
    i = 0
    while i < len(tokens):
        match = next((p for p in longest_first if tuple(words[i : i + len(p)]) == p), None)
        if match is None:
            i += 1
            continue
        start, end = tokens[i][1], tokens[i + len(match) - 1][2]
        out.append(escape(text[position:start]))
        out.append(Markup('<mark class="{}">{}</mark>').format(phrases[match], text[start:end]))
        position = end
        i += len(match)
    out.append(escape(text[position:]))
    return Markup("").join(out)
