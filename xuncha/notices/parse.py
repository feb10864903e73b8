"""Read a published rectification notice, in any of its shapes, into a :class:`Notice`.

A text that is recognisably a rectification notice always gives a Notice with whatever it
states, and a completeness report of what it lacks (a page capture that stops part-way, items
without their rectification). Only texts that are not rectification notices are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from xuncha.notices.decode import EMPTY, decode
from xuncha.notices.facts import read_figures
from xuncha.notices.kinds import ENTRY_ANNOUNCEMENT, refuse_other_documents, reports_rectification
from xuncha.notices.model import Completeness, Notice, NoticeError
from xuncha.notices.normalize import Line, normalize_lines
from xuncha.notices.shapes import READERS
from xuncha.notices.shapes.base import Preamble, closing_index, notice_from, split_preamble
from xuncha.notices.shapes.labels import match_label, split_inline_labels, split_numbering

NO_UNIT = "未找到被巡察单位标题"
__all__ = ["ENTRY_ANNOUNCEMENT", "NO_UNIT", "parse_document", "parse_text"]

# Where the items begin, so headline figures are read from what precedes them only.
_ITEMISED = re.compile(r"关于|方面")
# How a whole paragraph may end; a capture that stops part-way ends otherwise.
_WHOLE_END = frozenset("。!?;:”)】…」』\"")


def parse_document(data: bytes, filename: str) -> Notice:
    """Parse an uploaded notice (.txt, .html, .docx, .pdf …; see ``decode``).

    Raises NoticeError, in Chinese and with a line number where one helps, for anything that is
    not a rectification notice; a notice that lacks parts is read with a completeness report.
    """
    return parse_text(decode(data, filename))


def parse_text(text: str) -> Notice:
    """Parse the text of a rectification notice; see ``parse_document``."""
    lines = split_inline_labels(normalize_lines(text))
    if not lines:
        raise NoticeError(EMPTY)
    preamble = split_preamble(lines)
    refuse_other_documents(text, lines, preamble)
    for reader in READERS.values():
        notice = reader.read(lines)
        if notice is not None:
            return _with_report(notice, lines, preamble)
    if reports_rectification(lines, preamble.title):
        return _with_report(notice_from("B", preamble, []), lines, preamble)
    raise NoticeError(NO_UNIT)


def _with_report(notice: Notice, lines: Sequence[Line], preamble: Preamble) -> Notice:
    """The notice with its headline figures and the report of what was found and is missing."""
    figures = read_figures("\n".join(line.text for line in _before_items(lines)))
    shape = "E" if notice.problem_count == 0 and figures.any() else notice.shape
    found: list[str] = []
    missing = list(notice.completeness.missing)
    for present, name in (
        (notice.title, "标题"), (notice.issuer, "巡察主体"), (notice.term, "届次"),
        (notice.round, "轮次"), (notice.inspection_start, "巡察时间"),
        (notice.feedback_date, "反馈时间"), (notice.published, "发布日期"),
        (figures.any(), "主要数据"),
    ):
        if present:
            found.append(name)
    if not notice.title:
        missing.insert(0, "未找到通报标题")
    if notice.units:
        found.append(f"被巡察单位{len(notice.units)}个")
    elif shape != "E":
        missing.append("未找到被巡察单位")
    if notice.problem_count:
        found.append(f"整改事项{notice.problem_count}项")
    elif shape != "E":
        missing.append("未找到逐项列出的反馈问题与整改情况")
    if (cut := _cut_at(lines, preamble)) is not None:
        missing.append(f"正文在第{cut}行后中断")
    report = Completeness(tuple(found), tuple(missing), notice.completeness.warnings)
    return notice.replace(shape=shape, figures=figures, completeness=report)


def _before_items(lines: Sequence[Line]) -> Sequence[Line]:
    for index, line in enumerate(lines):
        numbering, rest = split_numbering(line.text)
        if match_label(line.text) is not None or (numbering and _ITEMISED.search(rest)):
            return lines[:index]
    return lines


def _cut_at(lines: Sequence[Line], preamble: Preamble) -> int | None:
    """The number of the last line read when the text stops mid-paragraph, else None."""
    end = closing_index(lines, preamble.body_start)
    if end == 0:
        return None
    last = lines[end - 1]
    return None if last.text[-1] in _WHOLE_END else last.number
