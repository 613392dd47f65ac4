"""Automatic signals in free text: buzzwords, vanity and business metrics, volume, self-titles."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from app.scoring.model import Lang, Lexicon

# Words (with inner hyphens or apostrophes) and the money/percent signs that business terms use.
_TOKEN: Final = re.compile(r"\w+(?:[-'’]\w+)*|[€$£%]")
_NUMBER: Final = re.compile(r"\d")
_SYMBOLS: Final = frozenset(("€", "$", "£", "%"))
# Punctuation that never belongs to a token, stripped from the ends of a whitespace-separated chunk.
_EDGES: Final = '.,;:!?()[]{}"“”‘„«»…/*'


def _ascii_table() -> bytes:
    """A bytes.translate table that lowercases ASCII and turns separators into spaces.

    Separators are the ASCII characters that can be neither part of a word token nor a token
    themselves; what is left is letters, digits, "_", whitespace and "-", "'", "$", "%".
    bytes.translate is several times faster than str.lower and str.translate.
    """
    table = bytearray(range(256))
    for c in range(128):
        char = chr(c)
        if char.isalnum() or char in "_-'$%" or char.isspace():
            table[c] = ord(char.lower())
        else:
            table[c] = 32
    return bytes(table)


_ASCII_TABLE: Final = _ascii_table()


def _tokens(text: str) -> list[str]:
    """``_TOKEN.findall(text.lower())``, computed chunk by chunk (see :func:`_split`)."""
    return _split(text)[0]


def _split(text: str) -> tuple[list[str], int]:
    """The tokens of ``text`` (as ``_TOKEN.findall(text.lower())``) and how many are currency or % signs.

    Most whitespace-separated chunks are one plain word, some once edge punctuation is stripped;
    only the rest (inner hyphens, apostrophes, currency signs, digits with separators) go through
    the regular expression. Neither the stripped characters nor whitespace can be part of a token,
    so the result is the same as running the expression over the whole text, several times faster.
    Plain ASCII text without hyphens, apostrophes, "$" or "%" is faster still: with its punctuation
    turned into spaces, every whitespace-separated chunk is one token.
    """
    if text.isascii():
        lowered = text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
        if "-" not in lowered and "'" not in lowered and "$" not in lowered and "%" not in lowered:
            return lowered.split(), 0
    else:
        lowered = text.lower()
    tokens: list[str] = []
    symbols = 0
    for chunk in lowered.split():
        if chunk.isalnum():
            tokens.append(chunk)
            continue
        core = chunk.strip(_EDGES)
        if core.isalnum():
            tokens.append(core)
        elif core:
            for token in _TOKEN.findall(core):
                tokens.append(token)
                if token in _SYMBOLS:
                    symbols += 1
    return tokens, symbols


class TextFindings:
    """The lexicon terms found in one text, per kind, and whether it states a concrete result."""

    __slots__ = ("words", "buzzwords", "vanity", "business", "volume", "titles", "concrete_result")

    def __init__(
        self,
        words: int,
        buzzwords: tuple[str, ...],
        vanity: tuple[str, ...],
        business: tuple[str, ...],
        volume: tuple[str, ...],
        titles: tuple[str, ...],
        concrete_result: bool,
    ) -> None:
        self.words = words
        self.buzzwords = buzzwords
        self.vanity = vanity
        self.business = business
        self.volume = volume
        self.titles = titles
        self.concrete_result = concrete_result
        """A business metric and a number in the same text: a result someone can check."""

    @property
    def buzzword_density(self) -> float:
        """Buzzwords per 100 words."""
        return 100.0 * len(self.buzzwords) / self.words if self.words else 0.0


class TextAnalyzer:
    """Lexicon terms indexed by their words; build once per questionnaire version.

    Matching walks the text's tokens once and looks up every 1..n-word window in a dict, which is
    several times faster than one large regular expression and matches whole words only
    ("like" does not match "likely"). Longer phrases win: "social media expert" is one title.
    """

    __slots__ = ("_starts",)

    def __init__(self, lexicon: Lexicon) -> None:
        # Candidates mix languages freely, so every list is searched whatever the answer language.
        sources = (
            lexicon.buzzwords,
            lexicon.vanity_metrics,
            lexicon.business_metrics,
            lexicon.volume_terms,
            lexicon.self_titles,
        )
        terms: dict[tuple[str, ...], list[int]] = {}
        for kind, lists in enumerate(sources):
            for words in _all_terms(lists):
                key = tuple(_tokens(words))
                if key and kind not in terms.setdefault(key, []):
                    terms[key].append(kind)
        # Index by first word, longest phrase first, so most tokens cost one dict lookup.
        starts: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = {}
        for key, kinds in sorted(terms.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            starts.setdefault(key[0], []).append((key[1:], tuple(kinds)))
        self._starts = {k: tuple(v) for k, v in starts.items()}

    def analyse(self, text: str) -> TextFindings:
        """Find every lexicon term in ``text`` (case-insensitive, whole words, longest match first)."""
        tokens, symbols = _split(text)
        found: list[list[str]] = [[], [], [], [], []]
        starts = self._starts
        n = len(tokens)
        i = 0
        while i < n:
            candidates = starts.get(tokens[i])
            i += 1
            if candidates is None:
                continue
            for rest, kinds in candidates:
                size = len(rest)
                if size and not _continues(tokens, i, rest):
                    continue
                phrase = " ".join((tokens[i - 1], *rest)) if size else tokens[i - 1]
                for kind in kinds:
                    found[kind].append(phrase)
                i += size
                break
        business = found[2]
        return TextFindings(
            words=n - symbols,
            buzzwords=tuple(found[0]),
            vanity=tuple(found[1]),
            business=tuple(business),
            volume=tuple(found[3]),
            titles=tuple(found[4]),
            concrete_result=bool(business) and _has_number(text),
        )


def _continues(tokens: list[str], at: int, rest: tuple[str, ...]) -> bool:
    """True when ``tokens[at:]`` starts with the words ``rest``."""
    if at + len(rest) > len(tokens):
        return False
    for j in range(len(rest)):  # noqa: SIM110 (a plain loop: faster compiled than all() over a generator)
        if tokens[at + j] != rest[j]:
            return False
    return True


def _has_number(text: str) -> bool:
    """Whether ``text`` contains a digit (any script's, as ``\\d`` matches)."""
    for digit in "0123456789":
        if digit in text:
            return True
    return not text.isascii() and _NUMBER.search(text) is not None


def _all_terms(lists: Mapping[Lang, tuple[str, ...]]) -> list[str]:
    return sorted({t.strip() for terms in lists.values() for t in terms if t.strip()})
