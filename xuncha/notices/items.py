"""Problems pasted as a block of text, split into items the way notices number them.

Pure: text in, items out. A clerk pastes what the feedback letter says — one problem a line,
or numbered "一、", "(一)", "1.", "1、", "(1)", "①" — and gets one item per problem. Where two
styles nest ("一、在党建方面" over "1.…"), the outer lines are headings, not problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from xuncha.notices.normalize import half_width
from xuncha.notices.shapes.labels import Label, match_label, split_numbering

#: More than this many items in one paste is not a feedback letter.
MAX_ITEMS = 300


@dataclass(frozen=True)
class Item:
    """One problem read from the block, with the heading it stood under (or "")."""

    text: str
    heading: str = ""


@dataclass(frozen=True)
class _Line:
    style: str | None
    text: str


def split_items(block: str) -> list[Item]:
    """The problems in ``block``: one per numbered item, or one per line where none is numbered.

    An unnumbered line after a numbered one continues it (a paragraph broken by the paste); a
    line before the first number stands alone. A "反馈问题:" label in front of a line is dropped.
    """
    lines = [_read(raw) for raw in block.splitlines() if raw.strip()]
    if not any(line.style for line in lines):
        return [Item(line.text) for line in lines if line.text]
    headings = _heading_styles(lines)
    items: list[Item] = []
    heading = ""
    numbered_open = False
    for line in lines:
        if line.style in headings:
            heading, numbered_open = line.text, False
        elif line.style is not None or not numbered_open:
            items.append(Item(line.text, heading))
            numbered_open = line.style is not None
        else:
            items[-1] = Item(items[-1].text + line.text, items[-1].heading)
    return [item for item in items if item.text]


def _read(raw: str) -> _Line:
    text = raw.strip()
    # Numbering is recognised on the half-width form; the text keeps the clerk's punctuation
    # unless stripping a zero-width mark shifted the characters.
    plain = half_width(text)
    style, rest = split_numbering(plain)
    if style is not None:
        text = text[len(plain) - len(rest):] if len(plain) == len(text) else rest
    label = match_label(half_width(text))
    if label is not None and label.kind == Label.PROBLEM and label.content:
        text = text[len(text) - len(label.content):]
    return _Line(style, text.strip())


def _heading_styles(lines: list[_Line]) -> set[str]:
    """Numbering styles used for headings: a style whose lines are followed directly by lines
    of a style first seen after it (the nested items)."""
    order: list[str] = []
    for line in lines:
        if line.style and line.style not in order:
            order.append(line.style)
    headings = set()
    for current, following in pairwise(lines):
        if (
            current.style and following.style and following.style != current.style
            and order.index(following.style) > order.index(current.style)
        ):
            headings.add(current.style)
    return headings
