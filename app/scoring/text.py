"""Free-text signals, read clause by clause: business results, vanity and volume claims, buzzwords, titles.

A text is split into words and clauses (sentences, and their parts between commas, dashes and words
such as "but"/"maar"). A *concrete result* is a business outcome and a figure in the same clause
("180 extra afspraken geboekt", "brought 120 leads"), where the figure is not a duration or a year
("worked with the sales team for 3 years" is none). A term after a negation in the same clause
("leads instead of likes", "geen volgers"), and the terms of its kind listed right after it ("not in likes
or followers"), are taken back. Volume counts as bragging only with a count
or a rate in its clause ("500 tweets", "3 posts per day"), not in "answered customer tweets".

Dutch terms are matched through their Snowball stem, so one entry covers every inflection
(``afspraak``: afspraken; ``boeken``: geboekt). English terms, and the loanwords that the Dutch list
shares with the English one ("leads", "likes"), are matched as written: an English stemmer would
make "leads" match "lead" (to lead a team). Deterministic: the same text always gives the same findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, NamedTuple

import snowballstemmer

from app.scoring.model import Lang, Lexicon

# One pass over the text finds its tokens and the breaks between its clauses. A token is a figure
# (with inner separators and an optional percent sign), a word with inner hyphens or apostrophes, or a
# currency sign. A break separates two clauses when it stands between two words: a sentence mark
# before a space or the end (so "€1.2 million" and "12:30" stay whole), a comma, a dash or a parenthesis.
# A colon or an opening parenthesis that introduces a figure keeps it with what it is about: "omzet: +18%",
# "Leads: 140", "offerteaanvragen (+35%)".
_FIGURE_NEXT: Final = r"(?=\s*[-+±~≈−]?\s*[€$£]?\s*\d)"
_SCAN: Final = re.compile(
    r"(?P<token>\d+(?:[.,]\d+)*%?|\w+(?:[-'’]\w+)*|[€$£%])"
    rf"|[.!?;]+(?=\s|$)|:(?=\s|$)(?!{_FIGURE_NEXT})|\((?!{_FIGURE_NEXT})|[)\n]|,\s|\s[-–—]\s"
)
_YEAR: Final = re.compile(r"(19|20)\d\d")
NEGATION_REACH: Final = 5
"""A negation takes back a term at most this many words further on, in the same clause
("never about the number of followers")."""
LIST_GAP: Final = 2
"""A term taken back takes back the next term of its kind this many words on: "not in likes or followers"."""
_COUNT_REACH: Final = 3
"""A figure at most this many words before a vanity metric is the audience's count ("2 million views", "2 miljoen
keer bekeken"), not a count of the output beside it: "my reels got 2 million views" offers no volume as proof."""
_MIN_HEAD: Final = 5
"""A compound's head is an outcome, a reducible outcome, a vanity metric or a self-given title of at least this many
letters (stemmed): "webshopverkoop" is sales, "twittervolgers" followers, "socialmediagoeroe" a guru. Shorter
heads ("deal", "marge") match inside too many words."""
_MIN_MODIFIER: Final = 3

(
    BUZZWORD,
    VANITY,
    OUTCOME,
    MONEY,
    VOLUME,
    TITLE,
    NEUTRAL,
    NEGATION,
    DURATION,
    FREQUENCY,
    REDUCIBLE,
    DECREASE,
    REACTION,
    BREAK,
    FIGURE,
) = range(15)
HEAD_KINDS: Final = frozenset({OUTCOME, REDUCIBLE, VANITY, TITLE})
"""The kinds a compound word takes from its head (its last part): Dutch writes "webshopverkoop", "LinkedIn-leads",
"Instagram-ninja", "socialmediagoeroe"."""
_LISTS: Final = (
    "buzzwords",
    "vanity_metrics",
    "business_metrics",
    "money_terms",
    "volume_terms",
    "self_titles",
    "neutral_phrases",
    "negations",
    "durations",
    "frequencies",
    "reducible_metrics",
    "decreases",
    "reactions_and_losses",
    "clause_breaks",
    "figure_words",
)
HIGHLIGHTED: Final = {BUZZWORD: "buzzword", TITLE: "title", VANITY: "vanity", VOLUME: "volume"}
"""The kinds a report marks in a person's own text, with their CSS class."""

_dutch = snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The Snowball stem of a lowercase Dutch word; figures and signs as they are.

    Cached: the pure-Python stemmer is slow, and every word of a text is looked up.
    """
    return str(_dutch.stemWord(word)) if word.isalpha() else word


class Token(NamedTuple):
    text: str
    """Lowercased."""
    start: int
    end: int
    clause: int


def tokens(text: str, break_words: frozenset[str] = frozenset()) -> list[Token]:
    """The words of ``text`` with their positions and the clause each belongs to.

    A clause ends at a sentence mark, a comma, a dash or a parenthesis between two words, and after
    each of ``break_words`` ("but", "maar").
    """
    found: list[Token] = []
    clause = 0
    for match in _SCAN.finditer(text):
        word = match["token"]
        if word is None:
            clause += 1
            continue
        word = word.lower()
        found.append(Token(word, match.start(), match.end(), clause))
        if word in break_words:
            clause += 1
    return found


@dataclass(frozen=True, slots=True)
class Match:
    kind: int
    phrase: str
    first: int
    """Index of the first token."""
    last: int
    """Index of the last token."""
    clause: int


class TextAnalyzer:
    """The lexicon indexed by first word; build once per questionnaire version."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._written: dict[str, list[tuple[tuple[str, ...], frozenset[int]]]] = {}
        self._stemmed: dict[str, list[tuple[tuple[str, ...], frozenset[int]]]] = {}
        english = {
            " ".join(_words(term))
            for name in _LISTS
            for term in getattr(lexicon, name).get(Lang.EN, ())
            if term.strip()
        }
        written: dict[tuple[str, ...], set[int]] = {}
        stemmed: dict[tuple[str, ...], set[int]] = {}
        self._breaks: frozenset[str] = frozenset(
            " ".join(_words(term)) for terms in lexicon.clause_breaks.values() for term in terms
        )
        for kind, name in enumerate(_LISTS):
            if kind == BREAK:
                continue
            lists: Mapping[Lang, tuple[str, ...]] = getattr(lexicon, name)
            for lang, terms in lists.items():
                for term in terms:
                    words = _words(term)
                    if not words:
                        continue
                    written.setdefault(words, set()).add(kind)
                    if lang == Lang.NL and " ".join(words) not in english:
                        stemmed.setdefault(tuple(_stem(w) for w in words), set()).add(kind)
        self._written = _index(written)
        self._stemmed = _index(stemmed)
        # One-word terms that can head a compound: as written (after a hyphen: "LinkedIn-leads") and, for Dutch,
        # by their stem (closed compounds: "webshopverkoop", "instagramvolgers").
        self._heads_written = {
            w[0]: frozenset(k & HEAD_KINDS) for w, k in written.items() if len(w) == 1 and k & HEAD_KINDS
        }
        self._heads_stemmed = {
            w[0]: frozenset(k & HEAD_KINDS)
            for w, k in stemmed.items()
            if len(w) == 1 and k & HEAD_KINDS and len(w[0]) >= _MIN_HEAD
        }

    def matches(self, words: list[Token]) -> list[Match]:
        """Every lexicon phrase in ``words``, longest first at each position, never across a clause."""
        written = [w.text for w in words]
        stems = [_stem(text) for text in written]
        found: list[Match] = []
        i = 0
        while i < len(words):
            best = (
                self._longest(words, written, stems, i)
                if written[i] in self._written or stems[i] in self._stemmed
                else None
            )
            if best is None:
                head = self._head(written[i], stems[i])
                if head:
                    found.extend(Match(kind, written[i], i, i, words[i].clause) for kind in sorted(head))
                i += 1
                continue
            size, kinds = best
            phrase = " ".join(written[i : i + size])
            found.extend(Match(kind, phrase, i, i + size - 1, words[i].clause) for kind in sorted(kinds))
            i += size
        return found

    def _longest(
        self, words: list[Token], written: list[str], stems: list[str], at: int
    ) -> tuple[int, frozenset[int]] | None:
        """The longest phrase starting at word ``at``, as written or by its Dutch stems, and its kinds."""
        clause = words[at].clause
        best: tuple[int, frozenset[int]] | None = None
        for index, read in ((self._written, written), (self._stemmed, stems)):
            for rest, kinds in index.get(read[at], ()):
                size = 1 + len(rest)
                if best is not None and size <= best[0]:
                    break  # the phrases still to come are no longer than the one found
                if at + size > len(words) or words[at + size - 1].clause != clause:
                    continue
                if tuple(read[at + 1 : at + size]) == rest:
                    best = (size, kinds)
                    break
        return best

    def _head(self, word: str, stem: str) -> frozenset[int]:
        """The kinds of a compound word's head: its part after the last hyphen, or a Dutch stem it ends in.

        Dutch glues a modifier to its head ("webshopverkoop", "online-omzet", "LinkedIn-leads"); the head says what
        the word is, the modifier only narrows it. Only heads of at least ``_MIN_HEAD`` letters after a modifier of at
        least ``_MIN_MODIFIER``, so short words ("deal", "marge") are not found inside unrelated ones.
        """
        if "-" in word:
            last = word.rsplit("-", 1)[1]
            kinds = self._heads_written.get(last) or self._heads_stemmed.get(_stem(last))
            if kinds:
                return kinds
            word, stem = last, _stem(last)
        if not stem.isalpha():
            return frozenset()
        for cut in range(_MIN_MODIFIER, len(stem) - _MIN_HEAD + 1):
            kinds = self._heads_stemmed.get(stem[cut:])
            if kinds:
                return kinds
        return frozenset()

    def analyse(self, text: str) -> TextFindings:
        """Read ``text``: the terms of each kind that count, and the concrete results it states.

        Cached per text: a result is often written in both languages, and the reading does not depend on it.
        """
        return self._analyse(text)

    @lru_cache(maxsize=4096)  # noqa: B019 (the analyzer lives as long as its compiled questionnaire version)
    def _analyse(self, text: str) -> TextFindings:
        words = tokens(text, self._breaks)
        matches = self.matches(words)
        negations = [m for m in matches if m.kind == NEGATION]
        taken_back: list[Match] = []

        def negated(m: Match) -> bool:
            if any(n.clause == m.clause and 0 < m.first - n.last <= NEGATION_REACH for n in negations):
                return True
            # A negation covers a list of terms of one kind: "not in likes or followers", "geen volgers of likes".
            return any(
                p.kind == m.kind and p.clause == m.clause and 0 < m.first - p.last <= LIST_GAP for p in taken_back
            )

        # Buzzwords are hollow whatever surrounds them; every other term can be taken back. In text order,
        # so a term taken back can take back the next one of its list.
        kept: list[Match] = []
        for m in matches:
            if m.kind != BUZZWORD and negated(m):
                taken_back.append(m)
            else:
                kept.append(m)
        durations = {m.first for m in matches if m.kind == DURATION}
        clauses: dict[int, set[int]] = {}
        for m in kept:
            clauses.setdefault(m.clause, set()).add(m.kind)
        counts: set[int] = set()
        """Clauses with a figure that counts something (not a duration or a year)."""
        output_counts: set[int] = set()
        """Clauses with such a figure that is not an audience's count ("2 million views", "20.000 volgers")."""
        vanity_starts = {m.first for m in kept if m.kind == VANITY}
        counted_words = 0
        for i, w in enumerate(words):
            head = w.text[0]
            if head.isalnum():
                counted_words += 1
                if head.isdecimal() and not _YEAR.fullmatch(w.text) and i + 1 not in durations:
                    counts.add(w.clause)
                    if not vanity_starts & set(range(i + 1, i + 1 + _COUNT_REACH)):
                        output_counts.add(w.clause)
        # A figure in words ("revenue doubled", "de kosten halveerden") is a figure, unless a duration follows it.
        counts.update(m.clause for m in kept if m.kind == FIGURE and m.last + 1 not in durations)
        # An outcome is one achieved: a reducible one ("complaints") only where it fell, and none in a clause
        # about an audience's reaction or a loss ("300 customers commented", "we lost 30% of our customers").
        achieved = [
            m
            for m in kept
            if (m.kind == OUTCOME or (m.kind == REDUCIBLE and DECREASE in clauses[m.clause]))
            and REACTION not in clauses[m.clause]
        ]
        outcome_clauses = {m.clause for m in achieved}
        concrete = sorted(outcome_clauses & counts)
        """Clauses that state a business outcome with a figure."""
        # Vanity metrics and volume beside a concrete result are diagnostics, not the measure of success.
        vanity = [] if concrete else [m for m in kept if m.kind == VANITY]
        volume = (
            []
            if concrete
            else [m for m in kept if m.kind == VOLUME and (m.clause in output_counts or FREQUENCY in clauses[m.clause])]
        )
        counted = [m for m in kept if m.kind in (BUZZWORD, TITLE)] + vanity + volume
        return TextFindings(
            words=counted_words,
            buzzwords=_phrases(kept, BUZZWORD),
            titles=_phrases(kept, TITLE),
            vanity=_phrases(vanity, VANITY),
            business=tuple(m.phrase for m in achieved),
            volume=_phrases(volume, VOLUME),
            results=tuple(_clause_text(text, words, c) for c in concrete),
            spans=tuple((words[m.first].start, words[m.last].end, HIGHLIGHTED[m.kind]) for m in counted),
        )


@dataclass(frozen=True, slots=True)
class TextFindings:
    """What one text shows: the terms that count per kind, and its concrete results."""

    words: int
    buzzwords: tuple[str, ...]
    titles: tuple[str, ...]
    vanity: tuple[str, ...]
    """Vanity metrics offered as success: not taken back, in a text that states no concrete result."""
    business: tuple[str, ...]
    volume: tuple[str, ...]
    """Output volume offered as proof: with a count or a rate in its clause, in a text with no concrete result."""
    results: tuple[str, ...]
    """Each clause that states a business outcome with a figure, as written."""
    spans: tuple[tuple[int, int, str], ...]
    """(start, end, kind) of each highlighted term in the text."""

    @property
    def concrete_result(self) -> bool:
        return bool(self.results)

    @property
    def buzzword_density(self) -> float:
        """Buzzwords per 100 words."""
        return 100.0 * len(self.buzzwords) / self.words if self.words else 0.0


def _words(term: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokens(term))


def _index(terms: dict[tuple[str, ...], set[int]]) -> dict[str, list[tuple[tuple[str, ...], frozenset[int]]]]:
    index: dict[str, list[tuple[tuple[str, ...], frozenset[int]]]] = {}
    for words, kinds in sorted(terms.items()):
        index.setdefault(words[0], []).append((words[1:], frozenset(kinds)))
    for phrases in index.values():
        phrases.sort(key=lambda phrase: -len(phrase[0]))  # longest first, so the first that fits is the longest
    return index


def _phrases(matches: Iterable[Match], kind: int) -> tuple[str, ...]:
    return tuple(m.phrase for m in matches if m.kind == kind)


def _clause_text(text: str, words: list[Token], clause: int) -> str:
    inside = [w for w in words if w.clause == clause]
    return text[inside[0].start : inside[-1].end]
