"""Mark the lexicon terms the engine counted in a person's own text, as escaped HTML with <mark> elements."""

from __future__ import annotations

from markupsafe import Markup, escape

from app.scoring.text import TextAnalyzer


def highlight(text: str, analyzer: TextAnalyzer) -> Markup:
    """Return ``text`` HTML-escaped, with the buzzwords, self-titles, vanity and volume terms that counted in <mark>.

    The spans come from the engine's own reading, so a term it took back ("leads instead of likes") is not marked.
    """
    out: list[str] = []
    position = 0
    for start, end, kind in sorted(analyzer.analyse(text).spans):
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(Markup('<mark class="{}">{}</mark>').format(kind, text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
