"""Similarity of problem texts: one normal form, character-pair shingles, MinHash signatures cut
into LSH bands, an exact score and the words that matched. Pure Python, no Django: the
``xuncha.similar`` app stores the band keys and asks the database for the problems sharing one.

Why character pairs: Chinese has no spaces, and most words of a problem text are two characters
(资金, 党建, 后备, 力量); the pairs two texts share say which words they share, and their
Jaccard index (shared pairs over all pairs) is the score. Numbers are one placeholder, so
"3个村" and "5个村" read the same; punctuation and spaces of either width are dropped.

Why one-permutation MinHash: a signature of ``SIGNATURE_SIZE`` values costs one hash per pair
(each hash picks its bin and competes for that bin's minimum), not one per pair and value, so a
million problems are signed in about a minute of pure Python. Two texts agree on a value with
probability equal to their Jaccard index; a band of ``ROWS`` values is one index key, so two
texts become candidates with probability 1 - (1 - s**ROWS)**BANDS (0.90 at s = 0.5, 0.53 at
s = 0.3, 0.08 at s = 0.1). The exact score then decides.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

#: What every run of digits becomes: "3个村" and "12个村" read the same.
NUMBER = "#"
SIGNATURE_SIZE = 16
ROWS = 2
BANDS = SIGNATURE_SIZE // ROWS
_BIN_BITS = 4  # 2**4 == SIGNATURE_SIZE bins
_VALUE_BITS = 28
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_MIX = 0x9E3779B1
_EMPTY = _VALUE_MASK + 1
#: The default threshold: shared character pairs over all pairs of the two texts.
DEFAULT_THRESHOLD = 0.5
#: Words every problem text uses; they say nothing about which problem it is.
STOP_TERMS = frozenset({
    "存在", "问题", "不到位", "不够", "工作", "方面", "情况", "有的", "部分", "一些", "个别",
    "进一步", "加强", "落实", "不严", "不足", "不力", "较为", "比较", "没有", "未能",
})
#: Matched words shorter than this (in characters) are not shown as an explanation.
MIN_TERM_CHARS = 2


_NOT_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\W_\d]+")


def normalise(text: str) -> str:
    """The text reduced to what it says: width and case folded, every run of digits one
    ``NUMBER``, punctuation and whitespace removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _DIGITS.sub(NUMBER, _NOT_WORD.sub("", folded))


def segments(text: str) -> list[str]:
    """The text's stretches between punctuation, spaces and numbers, normalised: where a
    matched word may run (a word never spans a comma)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [piece for piece in _SEPARATORS.split(folded) if piece]


def shingles(normal: str) -> set[str]:
    """The overlapping character pairs of normalised text (the text itself if shorter)."""
    if len(normal) < 2:
        return {normal} if normal else set()
    return {normal[i : i + 2] for i in range(len(normal) - 1)}


def _hash(shingle: str) -> int:
    return (zlib.crc32(shingle.encode()) * _MIX) & 0xFFFFFFFF


def signature(pairs: Iterable[str]) -> list[int]:
    """A one-permutation MinHash signature of ``SIGNATURE_SIZE`` values.

    Each pair's hash picks a bin (its top bits) and competes for the bin's minimum with the
    rest; an empty bin borrows from the next non-empty one (densification), so short texts
    still fill every band. Empty input gives an empty list (nothing to match on).
    """
    bins = [_EMPTY] * SIGNATURE_SIZE
    for shingle in pairs:
        value = _hash(shingle)
        index = value >> _VALUE_BITS
        value &= _VALUE_MASK
        if value < bins[index]:
            bins[index] = value
    if all(value == _EMPTY for value in bins):
        return []
    for index in range(SIGNATURE_SIZE):
        step = 1
        while bins[index] == _EMPTY:
            # Borrow the next filled bin's value, salted by the distance, as densified OPH does.
            borrowed = bins[(index + step) % SIGNATURE_SIZE]
            if borrowed != _EMPTY:
                bins[index] = (borrowed + step * _MIX) & _VALUE_MASK
            step += 1
    return bins


def band_keys(values: Sequence[int]) -> list[int]:
    """The LSH index keys of a signature: one signed 64-bit integer per band.

    The band's number sits in the top bits so equal values in different bands never collide.
    """
    keys = []
    for band in range(len(values) // ROWS):
        a, b = values[band * ROWS : band * ROWS + ROWS]
        keys.append((band << 56) | (a << _VALUE_BITS) | b)
    return keys


def keys_for(text: str) -> list[int]:
    """The band keys of a problem text (empty when it has no letters or digits)."""
    return band_keys(signature(shingles(normalise(text))))


def jaccard(a: Set[str], b: Set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _trim(run: str) -> str:
    """A run without the set phrases at its ends ("村级后备力量不足" → "村级后备力量")."""
    changed = True
    while changed:
        changed = False
        for stop in STOP_TERMS:
            if run.endswith(stop) and len(run) > len(stop):
                run, changed = run[: -len(stop)], True
            if run.startswith(stop) and len(run) > len(stop):
                run, changed = run[len(stop) :], True
    return run


def matched_terms(pieces: Iterable[str], shared: set[str], limit: int = 8) -> list[str]:
    """The words two texts share, read from one text's ``segments``: maximal runs of shared
    pairs, trimmed of set phrases, longest first, without stop words and repeats."""
    runs: list[str] = []
    for piece in pieces:
        start: int | None = None
        for i in range(len(piece) - 1):
            if piece[i : i + 2] in shared:
                if start is None:
                    start = i
            elif start is not None:
                runs.append(piece[start : i + 1])
                start = None
        if start is not None:
            runs.append(piece[start:])
    order = {run: index for index, run in reversed(list(enumerate(runs)))}
    terms: list[str] = []
    for run in sorted(order, key=lambda r: (-len(r), order[r])):
        word = _trim(run)
        if len(word) < MIN_TERM_CHARS or word in STOP_TERMS:
            continue
        if any(word in kept for kept in terms):
            continue
        terms.append(word)
    return terms[:limit]


@dataclass(frozen=True)
class Text:
    """A problem text prepared for comparison."""

    id: int
    pieces: tuple[str, ...]
    pairs: frozenset[str]

    @classmethod
    def of(cls, id_: int, text: str) -> Text:
        return cls(id_, tuple(segments(text)), frozenset(shingles(normalise(text))))


@dataclass(frozen=True)
class Match:
    """Two texts at or above the threshold: their score and the words they share."""

    a: int
    b: int
    score: float
    terms: tuple[str, ...]


def compare(a: Text, b: Text, threshold: float = DEFAULT_THRESHOLD, *,
            explain: bool = True) -> Match | None:
    """The match of two texts, or None when their score is under ``threshold``.

    ``explain=False`` leaves out the matched words (most of the cost) where only the score
    counts, e.g. when grouping, which explains each group once.
    """
    small, large = sorted((len(a.pairs), len(b.pairs)))
    if not small or small < threshold * large:
        return None  # the score cannot exceed small / large: no need to intersect
    score = jaccard(a.pairs, b.pairs)
    if score < threshold or score == 0.0:
        return None
    terms = matched_terms(a.pieces, set(a.pairs & b.pairs)) if explain else []
    return Match(a.id, b.id, round(score, 3), tuple(terms))


def candidate_pairs(keys: Mapping[int, Sequence[int]]) -> set[tuple[int, int]]:
    """Pairs of ids sharing at least one band key (each pair once, smaller id first).

    For the texts of one round, in memory: buckets by key, never every pair of texts.
    """
    buckets: dict[int, list[int]] = {}
    for id_, id_keys in keys.items():
        for key in id_keys:
            buckets.setdefault(key, []).append(id_)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        members.sort()
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pairs.add((first, second))
    return pairs


@dataclass(frozen=True)
class Group:
    """Similar problems around one centre: every member matches the centre."""

    centre: int
    members: tuple[int, ...]
    terms: tuple[str, ...]


def group(texts: dict[int, Text], matches: Iterable[Match]) -> list[Group]:
    """Star groups: the problem with the most matches is a centre and takes every ungrouped
    problem matching it; then the next. Stars, not connected components, so a chain of texts
    each like the next cannot join two unlike problems in one group.

    Terms of a group are the centre's words shared with at least half of its members.
    """
    neighbours: dict[int, dict[int, Match]] = {}
    for match in matches:
        neighbours.setdefault(match.a, {})[match.b] = match
        neighbours.setdefault(match.b, {})[match.a] = match
    order = sorted(neighbours, key=lambda id_: (-len(neighbours[id_]), id_))
    grouped: set[int] = set()
    groups: list[Group] = []
    for centre in order:
        if centre in grouped:
            continue
        members = [other for other in sorted(neighbours[centre]) if other not in grouped]
        if not members:
            continue
        grouped.add(centre)
        grouped.update(members)
        groups.append(Group(centre, (centre, *members), _group_terms(texts, centre, members)))
    return groups


def _group_terms(texts: dict[int, Text], centre: int, members: Sequence[int]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for member in members:
        for pair in texts[centre].pairs & texts[member].pairs:
            counts[pair] = counts.get(pair, 0) + 1
    enough = {pair for pair, count in counts.items() if count * 2 >= len(members)}
    return tuple(matched_terms(texts[centre].pieces, enough))
