"""Shapes B, C and D: one unit's own notice of its rectification progress.

"中共XX委员会关于…巡察整改进展情况的通报": an opening, then sections (一、组织领导 二、整改落实情况
三、下一步打算) of which only the items count. An item is introduced by "（一）关于“…”的问题" or
"1.关于“…”问题的整改", optionally under an area heading ("（一）在…方面"). Its problem is the
"问题表现:" paragraph, else the first paragraph before "整改情况:", else what the heading names;
its rectification is the labelled paragraph(s), else everything under the heading (shape D:
"（一）关于…的问题。一是…二是…").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from xuncha.notices.model import Notice, NoticeError, ProblemPair
from xuncha.notices.names import ORG_FORMS, unit_name_from_formal
from xuncha.notices.normalize import Line
from xuncha.notices.shapes.base import (
    Preamble,
    ShapeReader,
    closing_at,
    notice_from,
    split_preamble,
    unit_section,
)
from xuncha.notices.shapes.labels import Label, match_label, split_numbering
from xuncha.notices.shapes.pairs import Field, pair_from

_FORMS = "|".join(sorted((*ORG_FORMS, "委"), key=len, reverse=True))
_TITLE_UNIT = re.compile(
    rf"^(?P<org>(?:中共|中国共产党)?[^\s,。:;“”]{{2,40}}?(?:{_FORMS}))关于.*(?:整改|巡[察视])"
)
_FEEDBACK_TO = re.compile(
    r"向(?P<unit>[^\s,。:;、“”]{2,30}?(?:党委|党工委|党组|党总支|党支部))反馈"
)
_SIGNATURE_UNIT = re.compile(rf"^(?:中共|中国共产党)?[^\s,。:;“”]{{2,40}}?(?:{_FORMS})$")

_AREA = re.compile(r"^[^,。;:]{1,40}方面(?:存在的?问题|的问题)?[。:]?$")
_AFTER_QUOTE = re.compile(r"(?:的)?问题(?:的整改(?:情况)?)?")
_ABOUT_ITEM = re.compile(r"关于(?P<problem>.+?)(?:的)?问题(?:的整改(?:情况)?)?(?=[。.:;]|$)")
_QUOTES = {"“": "”", "「": "」", '"': '"'}
_TAIL_PUNCTUATION = "。.:;, "
_HEADLINE = re.compile(
    r"(?:反馈|发现|交办|移交)[^。]{0,12}问题\d+个|问题\d+个[^。]{0,40}(?:已完成|完成整改|已整改)"
    r"|完成率\d"
)


@dataclass
class _Item:
    line: int
    heading: str | None
    area: str | None
    #: The problem as the heading names it ("关于“X”的问题" -> "X").
    named_problem: str | None
    #: Paragraphs before any label, e.g. the problem in shape C or the whole text in shape D.
    plain: list[str] = field(default_factory=list)
    problem: Field | None = None
    rectification: Field | None = None

    def add(self, line: Line) -> None:
        label = match_label(line.text)
        if label is not None and label.kind is Label.PROBLEM:
            if self.problem is not None:  # with a rectification, a new item would have begun
                raise NoticeError(f"“{self.problem.label}”后未找到对应的整改情况",
                                  line=self.problem.line)
            self.problem = Field(label.label, line.number, [label.content])
        elif label is not None and self.rectification is None:
            self.rectification = Field(label.label, line.number, [label.content])
        else:
            current = self.rectification or self.problem
            (current.paragraphs if current else self.plain).append(line.text)

    def has_rectification(self) -> bool:
        return self.rectification is not None

    def pair(self) -> ProblemPair:
        heading = self.area or self.heading
        if self.problem is not None:
            problem = Field(self.problem.label, self.problem.line,
                            [*self.plain, *self.problem.paragraphs])
            pair = pair_from(problem, self.rectification)
        elif self.rectification is not None:
            problem = Field("问题", self.line, self.plain or [self.named_problem or ""])
            pair = pair_from(problem, self.rectification)
        else:
            # Without labels the heading names the problem and what follows is the rectification.
            rectification = Field("整改情况", self.line, self.plain)
            problem = Field(self.heading or "问题", self.line, [self.named_problem or ""])
            if not rectification.text():
                raise NoticeError(f"“{self.heading}”下未找到整改情况", line=self.line)
            pair = pair_from(problem, rectification)
        return ProblemPair(pair.problem, pair.rectification, heading)


class UnitReportReader(ShapeReader):
    """Shapes B/C/D: a unit's own notice; "C" when headline figures come before the items."""

    shape = "B"

    def read(self, lines: Sequence[Line]) -> Notice | None:
        preamble = split_preamble(lines)
        body = lines[preamble.body_start:]
        titled = _TITLE_UNIT.match(preamble.title)
        name = unit_name_from_formal(titled.group("org")) if titled else _unit_elsewhere(
            preamble, body)
        if name is None:
            return None
        items = _read_items(body)
        if not items:
            if titled is None:
                return None
            raise NoticeError(f"单位“{name}”下未找到反馈问题与整改情况",
                              line=preamble.title_line)
        units = [unit_section(name, [item.pair() for item in items])]
        return notice_from(_shape_of(lines, items), preamble, units)


def split_item_heading(text: str) -> tuple[str, str, str] | None:
    """Split an item heading into (heading, the problem it names, text after it on the line).

    "关于“X”的问题" -> ("关于“X”的问题", "X", "");
    "关于X的问题。一是…" -> ("关于X的问题", "X", "一是…").
    None if the text is not an item heading.
    """
    if text[2:3] in _QUOTES and text.startswith("关于"):
        close = _closing_quote(text, 2)
        after = _AFTER_QUOTE.match(text, close + 1) if close is not None else None
        if close is not None and after is not None:
            return text[: after.end()], text[3:close], text[after.end():].lstrip(_TAIL_PUNCTUATION)
    about = _ABOUT_ITEM.match(text)
    if about is not None:
        heading = text[: about.end()]
        return heading, about.group("problem"), text[about.end():].lstrip(_TAIL_PUNCTUATION)
    return None


def _read_items(body: Sequence[Line]) -> list[_Item]:
    items: list[_Item] = []
    current: _Item | None = None
    area: str | None = None
    for index, line in enumerate(body):
        if closing_at(body, index):
            break
        numbering, rest = split_numbering(line.text)
        split = split_item_heading(rest) if numbering or rest.startswith("关于") else None
        if split is not None and (numbering or not split[2]):
            heading, named, tail = split
            current = _Item(line.number, heading, area, named, [tail] if tail else [])
            items.append(current)
        elif numbering and _AREA.search(rest):
            area, current = rest.rstrip("。:"), None
        elif numbering == "top":
            area, current = None, None
        elif _starts_unheaded_item(line, current):
            current = _Item(line.number, None, area, None)
            current.add(line)
            items.append(current)
        elif current is not None:
            current.add(line)
    return items


def _starts_unheaded_item(line: Line, current: _Item | None) -> bool:
    """A problem label with no item heading over it starts an item of its own."""
    label = match_label(line.text)
    if label is None or label.kind is not Label.PROBLEM:
        return False
    return current is None or current.has_rectification()


def _unit_elsewhere(preamble: Preamble, body: Sequence[Line]) -> str | None:
    """The unit, where the title does not name it: "向XX镇党委反馈", else the signature."""
    fed_back = _FEEDBACK_TO.search(preamble.opening)
    if fed_back:
        return fed_back.group("unit")
    for index in range(len(body) - 1, -1, -1):
        if closing_at(body, index) and _SIGNATURE_UNIT.match(body[index].text):
            return unit_name_from_formal(body[index].text)
    return None


def _shape_of(lines: Sequence[Line], items: list[_Item]) -> str:
    first_item = items[0].line
    if any(_HEADLINE.search(line.text) for line in lines if line.number < first_item):
        return "C"
    if _top_areas(lines):
        return "D"
    return "B"


def _top_areas(lines: Sequence[Line]) -> bool:
    return any(
        numbering == "top" and _AREA.search(rest)
        for numbering, rest in (split_numbering(line.text) for line in lines)
    )


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the quote that closes the one at `start`, allowing nested quotes inside."""
    opener = text[start]
    closer = _QUOTES[opener]
    if opener == closer:
        end = text.find(closer, start + 1)
        return end if end != -1 else None
    depth = 0
    for index in range(start, len(text)):
        if text[index] == opener:
            depth += 1
        elif text[index] == closer:
            depth -= 1
            if depth == 0:
                return index
    return None
