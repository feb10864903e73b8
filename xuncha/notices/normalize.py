"""Canonical text for parsing: one punctuation width, tidy whitespace, hard wraps undone.

Real notices mix full-width and half-width punctuation (the seed itself uses half-width "," and
":"). The canonical form is the NFKC one: full-width ASCII forms ("，：（）；" and full-width
digits/letters) become their ASCII counterparts, so patterns only need to know one of each.
Chinese-only punctuation ("。、“”《》") has no ASCII form and is kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# U+FF01..U+FF5E are the full-width forms of U+0021..U+007E.
_TO_HALF_WIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_TO_HALF_WIDTH.update({
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",  # no-break space (&nbsp; in web pages)
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
})
# str.translate looks every character up; a regex only visits the few that change.
_WIDE = re.compile("[\uff01-\uff5e\u3000\u00a0\u200b-\u200d\u2060\ufeff]")

_SPACE_RUN = re.compile(r"[ \t\f\v]+")
_WHITESPACE = re.compile(r"\s+")

# A logical line ends here when the last visible character closes a sentence or a label.
_SENTENCE_END = frozenset("。!?:…")
_CLOSERS = frozenset("”’\")》」』")

# What starts a new block, so a wrapped line is never glued onto it: numbered headings and items
# (一、 (一) 第一 1. (1) ①), labels ("整改情况:"), and closing lines (dates).
_BLOCK_START = re.compile(
    r"(?:[〇零一二两三四五六七八九十百]+[、.]"
    r"|\([〇零一二两三四五六七八九十百\d]+\)"
    r"|第[一二三四五六七八九十百]+[、.,:\s]"
    r"|\d{1,3}(?:[、]|\.(?!\d))"
    r"|[①-⑳]"
    r"|[\u4e00-\u9fff]{2,8}:"
    r"|\d{4}年\d{1,2}月\d{1,2}日$)"
)

# Full-width forms official text uses, for the writers.
_TO_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
_HALF_PUNCTUATION = re.compile(r"[;()!?]|(?<!\d)[,:]|[,:](?!\d)")


class Line(NamedTuple):
    """A logical line of a notice and the 1-based number of the decoded line it starts on."""

    number: int
    text: str


def half_width(text: str) -> str:
    """Map full-width ASCII forms and odd spaces to their plain forms; drop zero-width marks."""
    return _WIDE.sub(lambda match: _TO_HALF_WIDTH[match.group()], text)


def normalize_lines(text: str) -> list[Line]:
    """Split decoded text into canonical logical lines, numbered by where they start.

    Punctuation is made half-width, runs of spaces collapse to one, blank lines go, and lines
    that a PDF extraction or an e-mail client broke mid-paragraph are joined again.
    """
    lines: list[Line] = []
    indented: list[bool] = []
    for number, line in enumerate(_SPACE_RUN.sub(" ", half_width(text)).splitlines(), 1):
        if stripped := line.strip():
            lines.append(Line(number, stripped))
            indented.append(line[0] == " ")
    return _join_wrapped(lines, indented)


def normalize(text: str) -> str:
    """The canonical text as one string, a logical line per line."""
    return "\n".join(line.text for line in normalize_lines(text))


def compare_form(text: str) -> str:
    """A form for comparing two renderings of one text: one punctuation width, no whitespace."""
    return _WHITESPACE.sub("", half_width(text))


def official_punctuation(text: str) -> str:
    """Write canonical text with the full-width punctuation of official documents.

    A comma or colon between digits ("1,000", "8:00") is part of a number and stays half-width.
    """
    return _HALF_PUNCTUATION.sub(lambda match: _TO_FULL_WIDTH[match.group()], text)


def _join_wrapped(lines: list[Line], indented: list[bool]) -> list[Line]:
    width = _wrap_width(lines)
    if width is None:
        return lines
    full = int(width * 0.9)
    indents = len(lines) * 0.05 <= sum(indented) <= len(lines) * 0.6
    joined = lines[:1]
    for previous, line, starts_indented in zip(lines, lines[1:], indented[1:], strict=False):
        if _continues(previous.text, line.text, full, starts_indented if indents else None):
            joined[-1] = Line(joined[-1].number, joined[-1].text + line.text)
        else:
            joined.append(line)
    return joined


def _continues(previous: str, current: str, full: int, indented: bool | None) -> bool:
    """Whether `current` carries on the paragraph that was wrapped at the end of `previous`.

    `indented` says whether `current` is indented, None where the text does not indent its
    paragraphs. Where it does (as "　　" in PDF text) the indent alone marks a new paragraph, so
    a full line ending in "。" may still go on; otherwise "。" is taken to end the paragraph.
    """
    if len(previous) < full or _BLOCK_START.match(current):
        return False
    if indented is None:
        return not _ends_sentence(previous)
    return not indented


def _wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None if it was not hard-wrapped.

    One paragraph per line gives lines of every length; a wrapped text has most of its lines
    at (about) the same length.
    """
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 10)
    if len(lengths) < 8:
        return None
    width = lengths[len(lengths) * 3 // 4]
    near = sum(1 for length in lengths if width * 0.9 <= length <= width * 1.15)
    return width if near * 2 >= len(lengths) else None


def _ends_sentence(text: str) -> bool:
    last = text[-1]
    if last in _CLOSERS and len(text) > 1:
        last = text[-2]
    return last in _SENTENCE_END
