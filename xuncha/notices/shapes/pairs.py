"""Shape A: a round-level notice, unit by unit, each with 反馈问题/整改情况 pairs (the seed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xuncha.notices.model import Notice, ProblemPair, UnitSection
from xuncha.notices.normalize import Line
from xuncha.notices.shapes.base import (
    ShapeReader,
    closing_index,
    gap,
    notice_from,
    split_preamble,
    unit_section,
)
from xuncha.notices.shapes.labels import (
    NOT_A_UNIT,
    ORG_NAME,
    Label,
    match_label,
    split_numbering,
)

#: Longest unit name a heading without an organisation form may carry ("一、木垒县东城镇").
_BARE_NAME_MAX = 30
_UNSET = "unset"


@dataclass
class Field:
    """A labelled field being read: the label, where it started and its paragraphs."""

    label: str
    line: int
    paragraphs: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(paragraph for paragraph in self.paragraphs if paragraph)


class PairsReader(ShapeReader):
    """Shape A: unit headings ("一、XX镇党委"), each followed by problem/rectification pairs."""

    shape = "A"

    def read(self, lines: Sequence[Line]) -> Notice | None:
        preamble = split_preamble(lines)
        body = lines[preamble.body_start:closing_index(lines, preamble.body_start)]
        headings = unit_headings(body)
        if not headings:
            return None
        ends = [*headings[1:], len(body)]
        gaps: list[str] = []
        units = [_read_unit(body[start:end], gaps)
                 for start, end in zip(headings, ends, strict=True)]
        return notice_from(self.shape, preamble, units, gaps)


def unit_headings(lines: Sequence[Line]) -> list[int]:
    """Indexes of the lines that head a unit's section, in one numbering style."""
    headings: list[int] = []
    style: str | None = _UNSET
    for index, line in enumerate(lines):
        numbering, rest = split_numbering(line.text)
        if style not in (_UNSET, numbering):
            continue
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if _names_unit(rest, numbered=numbering is not None, following=following):
            headings.append(index)
            style = numbering
    return headings


def pair_from(problem: Field, rectification: Field | None, gaps: list[str]) -> ProblemPair | None:
    """A problem and its rectification. What lacks is noted in `gaps` with its line: a problem
    without rectification is kept with an empty one; a label without a problem gives None."""
    problem_text = problem.text()
    if not problem_text:
        gaps.append(gap(f"“{problem.label}”后没有问题内容", problem.line))
        return None
    rectification_text = rectification.text() if rectification is not None else ""
    if not rectification_text:
        gaps.append(gap(f"“{problem.label}”后未找到对应的整改情况", problem.line))
    return ProblemPair(problem=problem_text, rectification=rectification_text)


def _names_unit(rest: str, *, numbered: bool, following: str) -> bool:
    if NOT_A_UNIT.search(rest):
        return False
    announces_problem = (label := match_label(following)) is not None and (
        label.kind is Label.PROBLEM)
    if ORG_NAME.match(rest):
        return numbered or announces_problem
    # "一、木垒县东城镇" names its unit by place alone; only a problem label after it says so.
    return numbered and announces_problem and len(rest) <= _BARE_NAME_MAX and "," not in rest


def _read_unit(lines: Sequence[Line], gaps: list[str]) -> UnitSection:
    heading = lines[0]
    name = split_numbering(heading.text)[1]
    pairs: list[ProblemPair | None] = []
    problem: Field | None = None
    rectification: Field | None = None
    for line in lines[1:]:
        label = match_label(line.text)
        if label is None:
            if (current := rectification or problem) is not None:
                current.paragraphs.append(line.text)
        elif label.kind is Label.PROBLEM:
            if problem is not None:
                pairs.append(pair_from(problem, rectification, gaps))
            problem, rectification = Field(label.label, line.number, [label.content]), None
        elif problem is None or (rectification is not None and rectification.label == label.label):
            # The same label twice in a row means the problem between them is missing.
            gaps.append(gap(f"“{label.label}”前没有对应的反馈问题", line.number))
            if problem is not None:
                pairs.append(pair_from(problem, rectification, gaps))
            problem = rectification = None
        elif rectification is None:
            rectification = Field(label.label, line.number, [label.content])
        else:
            # A further label ("整改成效:" after "整改措施:") carries on the rectification.
            rectification.paragraphs.append(line.text)
    if problem is not None:
        pairs.append(pair_from(problem, rectification, gaps))
    kept = [pair for pair in pairs if pair is not None]
    if not kept:
        gaps.append(gap(f"单位“{name}”下未找到反馈问题与整改情况", heading.number))
    return unit_section(name, kept)
