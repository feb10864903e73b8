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

from xuncha.notices.model import Notice, ProblemPair
from xuncha.notices.names import ORG_FORMS, committee_name
from xuncha.notices.normalize import Line
from xuncha.notices.shapes.base import (
    Preamble,
    ShapeReader,
    closing_at,
    gap,
    notice_from,
    split_preamble,
    unit_section,
)
from xuncha.notices.shapes.labels import Label, match_label, split_numbering
from xuncha.notices.shapes.pairs import Field, pair_from

_FORMS = "|".join(sorted((*ORG_FORMS, "委", "部"), key=len, reverse=True))
# A name may carry an alias in brackets, commas and all: "阜康产业园党工委(甘河子镇党委)".
_ALIAS = r"(?:\([^()]{1,40}\))?"
_NAME = rf"[^\s,。:;、“”()]{{2,40}}?(?:{_FORMS}){_ALIAS}"
# A unit's own title: its name, then "关于…"; or its name right before "巡察…整改" / "落实…整改".
# The name before "关于" is taken whole (greedy): "中共XX县委统战部关于…" names the department.
_TITLE_UNIT = re.compile(
    rf"^(?!关于)(?P<org>(?:中共|中国共产党)?[^\s,。:;“”]{{2,60}}(?:{_FORMS}){_ALIAS})关于")
_TITLE_UNIT_BARE = re.compile(
    rf"^(?!关于)(?P<org>(?:中共|中国共产党)?{_NAME})"
    rf"(?=巡[察视](?!办|组|工作)[^。]{{0,20}}?整改|落实[^。]{{0,30}}整改)")
# "关于县委巡察组反馈意见整改…" names the committee whose group inspected, not the unit.
_ABOUT_UNIT = re.compile(
    rf"^关于(?!落实|对)(?P<org>(?:中共|中国共产党)?{_NAME})(?!第|巡[察视][组办])(?=.{{0,30}}?整改)")
_FEEDBACK_TO = re.compile(rf"向(?P<unit>{_NAME})(?:党组织)?(?:领导班子)?(?:进行了?|集中)?反馈")
_INSPECTED = re.compile(rf"对(?P<unit>{_NAME})(?:党组织)?(?:开展|进行)了?[^,。;]{{0,30}}?巡[察视]")
_MEETING = re.compile(
    rf"(?:^|[,。])(?:\d{{4}}年)?(?:\d{{1,2}}月\d{{1,2}}日,?)?(?P<unit>{_NAME})召开(?!.{{0,4}}常委)")
_NOT_ONE_UNIT = re.compile(r"届|第[^,。]{1,3}轮|\d|个|家|被巡[察视]|各|等|所属|有关|相关")
_SIGNATURE_UNIT = re.compile(rf"^(?:中共|中国共产党)?[^\s,。:;“”]{{2,40}}?(?:{_FORMS}){_ALIAS}$")

_AREA = re.compile(
    r"^(?P<area>[^,。;:]{1,40}方面(?:存在的?问题|的问题)?)(?:[。:,]\s*(?P<tail>.*))?$")
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
    #: The numbering style of its heading ("paren", "arabic" …), to tell levels apart.
    style: str | None = None
    #: What a problem label seen twice, or similar, leaves missing.
    gaps: list[str] = field(default_factory=list)

    def add(self, line: Line) -> None:
        label = match_label(line.text)
        if label is not None and label.kind is Label.PROBLEM:
            if self.problem is not None:  # with a rectification, a new item would have begun
                self.gaps.append(gap(f"“{self.problem.label}”后未找到对应的整改情况",
                                     self.problem.line))
            self.problem = Field(label.label, line.number, [label.content])
        elif label is not None and self.rectification is None:
            self.rectification = Field(label.label, line.number, [label.content])
        else:
            current = self.rectification or self.problem
            (current.paragraphs if current else self.plain).append(line.text)

    def has_rectification(self) -> bool:
        return self.rectification is not None

    def is_empty(self) -> bool:
        return not (any(self.plain) or self.problem or self.rectification)

    def pair(self, gaps: list[str]) -> ProblemPair | None:
        gaps.extend(self.gaps)
        heading = self.area or self.heading
        if self.problem is not None:
            problem = Field(self.problem.label, self.problem.line,
                            [*self.plain, *self.problem.paragraphs])
            pair = pair_from(problem, self.rectification, gaps)
        elif self.rectification is not None:
            problem = Field("问题", self.line, self.plain or [self.named_problem or ""])
            pair = pair_from(problem, self.rectification, gaps)
        else:
            # Without labels the heading names the problem and what follows is the rectification.
            rectification = Field("整改情况", self.line, self.plain)
            problem = Field(self.heading or "问题", self.line, [self.named_problem or ""])
            if not rectification.text():
                gaps.append(gap(f"“{self.heading}”下未找到整改情况", self.line))
            pair = pair_from(problem, rectification if rectification.text() else None, [])
        return None if pair is None else ProblemPair(pair.problem, pair.rectification, heading)


class UnitReportReader(ShapeReader):
    """Shapes B/C/D: a unit's own notice; "C" when headline figures come before the items."""

    shape = "B"

    def read(self, lines: Sequence[Line]) -> Notice | None:
        preamble = split_preamble(lines)
        body = lines[preamble.body_start:]
        name = unit_in_title(preamble.title) or _unit_elsewhere(preamble, body)
        if name is None:
            return None
        items = _read_items(body)
        gaps: list[str] = []
        pairs = [pair for item in items if (pair := item.pair(gaps)) is not None]
        units = [unit_section(name, pairs)]
        shape = _shape_of(lines, items) if items else self.shape
        return notice_from(shape, preamble, units, gaps)


def unit_in_title(title: str) -> str | None:
    """The unit a notice's own title names: "中共XX镇委员会关于…" -> "XX镇党委"."""
    match = _TITLE_UNIT.match(title) or _TITLE_UNIT_BARE.match(title) or _ABOUT_UNIT.match(title)
    if match is None or _NOT_ONE_UNIT.search(match.group("org")):
        return None
    return committee_name(match.group("org"))


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
        if close is not None and text[close + 1:close + 2] in ("", "。", ":", ";"):
            # "(1)关于“X”": a sub-problem named by its quote alone.
            return text[: close + 1], text[3:close], text[close + 1:].lstrip(_TAIL_PUNCTUATION)
    about = _ABOUT_ITEM.match(text)
    if about is not None:
        heading = text[: about.end()]
        return heading, about.group("problem"), text[about.end():].lstrip(_TAIL_PUNCTUATION)
    return None


def _read_items(body: Sequence[Line]) -> list[_Item]:
    """The items of a unit's notice, at whatever depth the notice nests them.

    An item heading right under another item heading in a different numbering style makes the
    outer one a container: the inner headings are the problems ("1.关于“…”问题的整改" /
    "(1)关于“…”"). An area heading ("(一)在…方面") with no item under it reports measures by
    theme and becomes one item itself.
    """
    items: list[_Item] = []
    current: _Item | None = None
    parent: _Item | None = None
    area: str | None = None
    theme: _Item | None = None
    for index, line in enumerate(body):
        if closing_at(body, index):
            break
        numbering, rest = split_numbering(line.text)
        split = split_item_heading(rest) if numbering or rest.startswith("关于") else None
        area_match = _AREA.match(rest) if numbering and split is None else None
        if split is not None and (numbering or not split[2]):
            heading, named, tail = split
            current, parent = _nest(current, parent, numbering, items)
            current = _Item(line.number, parent.heading if parent else heading, area, named,
                            style=numbering)
            if tail:
                # "关于…的问题。整改进展:…": the rest of the line may carry a label.
                current.add(Line(line.number, tail))
            items.append(current)
            _close_theme(theme, items)
            theme = None
        elif area_match is not None:
            _close_theme(theme, items)
            theme = None
            area, current, parent = area_match.group("area"), None, None
            tail = area_match.group("tail")
            theme = _Item(line.number, area, None, area, [tail] if tail else [], style=numbering)
        elif numbering == "top":
            _close_theme(theme, items)
            theme = None
            area, current, parent = None, None, None
        elif numbering and _heads_plain_problem(body, index, current):
            current, parent = _nest(current, parent, numbering, items)
            named = rest.rstrip(_TAIL_PUNCTUATION)
            current = _Item(line.number, parent.heading if parent else None, area, named,
                            style=numbering)
            items.append(current)
            _close_theme(theme, items)
            theme = None
        elif _starts_unheaded_item(line, current):
            current = _Item(line.number, None, area, None)
            current.add(line)
            items.append(current)
            _close_theme(theme, items)
            theme = None
        elif current is not None:
            current.add(line)
        elif theme is not None:
            theme.add(line)
    _close_theme(theme, items)
    return items


def _nest(current: _Item | None, parent: _Item | None, numbering: str | None,
          items: list[_Item]) -> tuple[_Item | None, _Item | None]:
    """Where a new item heading goes: under `current` when that is an empty heading of another
    numbering style (it becomes the parent), beside its siblings, or back at the top level."""
    if current is not None and current.is_empty() and current.style != numbering:
        items.remove(current)
        return None, current
    if parent is not None and parent.style == numbering:
        return current, None
    return current, parent


def _close_theme(theme: _Item | None, items: list[_Item]) -> None:
    """Keep a theme that reported measures of its own; one with items under it is just a heading."""
    if theme is not None and not theme.is_empty() and not any(
            item.line > theme.line for item in items):
        items.append(theme)


def _heads_plain_problem(body: Sequence[Line], index: int, current: _Item | None) -> bool:
    """A numbered statement ("(二)村务公开不规范。") whose paragraphs bring a rectification label
    before the next numbered line heads a problem of its own."""
    if current is not None and not current.has_rectification() and not current.is_empty():
        return False  # a numbered point inside a problem still waiting for its rectification
    if match_label(body[index].text) is not None:
        return False
    for following in body[index + 1:]:
        label = match_label(following.text)
        if label is not None:
            return label.kind is Label.RECTIFICATION
        if split_numbering(following.text)[0] is not None:
            return False
    return False


def _starts_unheaded_item(line: Line, current: _Item | None) -> bool:
    """A problem label with no item heading over it starts an item of its own."""
    label = match_label(line.text)
    if label is None or label.kind is not Label.PROBLEM:
        return False
    return current is None or current.has_rectification()


def _unit_elsewhere(preamble: Preamble, body: Sequence[Line]) -> str | None:
    """The unit, where the title does not name it: "对XX党委开展了巡察", "向XX镇党委反馈",
    "XX党委召开", else the signature."""
    for pattern in (_INSPECTED, _FEEDBACK_TO, _MEETING):
        for match in pattern.finditer(preamble.opening):
            if not _NOT_ONE_UNIT.search(match.group("unit")):
                return committee_name(match.group("unit"))
    for index in range(len(body) - 1, -1, -1):
        # A numbered line ("一、某局党组") heads a unit of a round notice cut off there.
        if (closing_at(body, index) and _SIGNATURE_UNIT.match(body[index].text)
                and split_numbering(body[index].text)[0] is None):
            return committee_name(body[index].text)
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
        numbering == "top" and _AREA.match(rest)
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
