"""Text functions for Chinese full-text search: one normal form, index tokens, query terms,
highlighted snippets. Pure Python, no Django: the search app (``xuncha.search``) stores what
these functions produce and asks the database's own full-text index for it.

Why character bigrams: Chinese has no spaces, and the words people search for are often two
characters long (资金, 党建, 两委), which a trigram index cannot find. Every run of letters and
digits (Chinese or not) is indexed as its overlapping character pairs plus its last character
alone, so any substring of two or more characters is found by the AND of its pairs, and a single
character by a prefix query. The database narrows by tokens; a plain substring test on the
normalised text then removes the false positives (the pairs present but not adjacent), so the
results are exactly the texts containing each query word.

Why tokens are spelled in ASCII letters: SQLite's unicode61 tokenizer and PostgreSQL's default
text-search parser disagree on which non-ASCII characters are letters (the latter depends on
the database's locale). Each character is written as five letters a–z (its code point in base
26), so both see one plain ASCII word per token and the index never depends on a locale.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

#: Letters per encoded character: 26**5 = 11,881,376 covers every code point (≤ 0x10FFFF).
_WIDTH = 5
#: Query limits, so one request cannot ask the database for thousands of tokens.
MAX_TERMS = 8
MAX_TERM_CHARS = 40


# Cached: a bulk import indexes millions of characters drawn from a few thousand.
@functools.lru_cache(maxsize=65536)
def _normal_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold()


class _PerChar(dict[int, str]):
    """A ``str.translate`` table computed per code point on first use, so a bulk import maps
    each character with one C-level lookup. Bounded: past ``_PER_CHAR_MAX`` characters new ones
    are computed each time, not kept."""

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, code: int) -> str:
        value = self.function(chr(code))
        if len(self) < _PER_CHAR_MAX:
            self[code] = value
        return value


_PER_CHAR_MAX = 65536
_NORMAL = _PerChar(_normal_char)


def normalise(text: str) -> str:
    """One form for matching: full-width → half-width (NFKC) and case folded, char by char.

    Character by character (not NFKC over the whole string) so that ``original_spans`` can map
    a position in the normal form back to the original text for highlighting.
    """
    return text.translate(_NORMAL)


#: A run of characters for which str.isalnum() holds (a \w is exactly that, or "_").
_RUN = re.compile(r"[^\W_]+")


def runs(normal: str) -> Iterator[str]:
    """The maximal runs of letters and digits in already normalised text."""
    return (match.group() for match in _RUN.finditer(normal))


@functools.lru_cache(maxsize=65536)
def encode_char(char: str) -> str:
    """A character as five ASCII letters (its code point in base 26)."""
    code = ord(char)
    letters = []
    for _ in range(_WIDTH):
        code, digit = divmod(code, 26)
        letters.append(chr(ord("a") + digit))
    return "".join(reversed(letters))


def bigrams(run: str) -> list[str]:
    """The overlapping character pairs of a run, and its last character alone (encoded)."""
    encoded = [encode_char(char) for char in run]
    pairs = [encoded[i] + encoded[i + 1] for i in range(len(encoded) - 1)]
    return [*pairs, encoded[-1]] if encoded else []


def index_tokens(text: str) -> str:
    """The space-separated tokens the full-text index stores for ``text``."""
    return normal_tokens(normalise(text))


def _encoded_or_space(char: str) -> str:
    return encode_char(char) if _RUN.fullmatch(char) else " "


#: A normalised character as its five letters, a space for a character outside every run.
_ENCODED = _PerChar(_encoded_or_space)
#: In encoded text (runs of 5-letter characters between spaces), at each character: the pair
#: it starts, or the run's last character alone; consuming one character, so every pair and
#: last character of every run is found, in order.
_TOKENS = re.compile(r"(?=([a-z]{10}|[a-z]{5}(?![a-z])))[a-z]{5}")


def normal_tokens(normal: str) -> str:
    """``index_tokens`` of text already normalised: the pairs and last character of every run
    (``bigrams``), computed in C (translate and one regex) rather than per token in Python."""
    return " ".join(_TOKENS.findall(normal.translate(_ENCODED)))


def query_terms(query: str) -> list[str]:
    """The words of a query, normalised: punctuation and spaces of either width separate them.

    Duplicates and words contained in another word are dropped (they add nothing to an AND);
    at most ``MAX_TERMS`` words of at most ``MAX_TERM_CHARS`` characters are kept.
    """
    words = [run[:MAX_TERM_CHARS] for run in runs(normalise(query))]
    kept: list[str] = []
    for word in sorted(set(words), key=lambda w: (-len(w), words.index(w))):
        if not any(word in other for other in kept):
            kept.append(word)
    kept.sort(key=words.index)
    return kept[:MAX_TERMS]


def term_tokens(term: str) -> tuple[list[str], str | None]:
    """What the index must hold for a text containing ``term``: its pairs (all of them), or
    for a single character the prefix every token starting with it shares."""
    if len(term) == 1:
        return [], encode_char(term)
    pairs = bigrams(term)[:-1]
    return list(dict.fromkeys(pairs)), None


def fts5_query(terms: Iterable[str]) -> str:
    """An SQLite FTS5 MATCH expression requiring every term (tokens are plain ASCII words)."""
    parts = []
    for term in terms:
        tokens, prefix = term_tokens(term)
        parts.extend(tokens)
        if prefix:
            parts.append(prefix + "*")
    return " AND ".join(parts)


def tsquery(terms: Iterable[str]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` expression requiring every term."""
    parts = []
    for term in terms:
        tokens, prefix = term_tokens(term)
        parts.extend(tokens)
        if prefix:
            parts.append(prefix + ":*")
    return " & ".join(parts)


def original_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text``, as merged (start, end) spans of the ORIGINAL text."""
    normal_parts = [_normal_char(char) for char in text]
    # normal position -> original index, for each character the normal form produced
    owner: list[int] = []
    for index, part in enumerate(normal_parts):
        owner.extend([index] * len(part))
    normal = "".join(normal_parts)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = normal.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((owner[start], owner[end - 1] + 1))
            start = normal.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Iterable[str], width: int = 120) -> str:
    """An HTML snippet of about ``width`` characters around the first match, the text escaped
    and each matching word wrapped in ``<mark>``; the start of the text when nothing matches."""
    spans = original_spans(text, terms)
    if spans:
        first = spans[0][0]
        start = max(0, min(first - width // 4, len(text) - width))
    else:
        start = 0
    end = min(len(text), start + width)
    pieces = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)
