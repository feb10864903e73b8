"""What every shape reader is, and the parts all notices share: title and opening paragraph."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from xuncha.notices.facts import RoundFacts, read_facts
from xuncha.notices.model import Completeness, Notice, PartialDate, ProblemPair, UnitSection
from xuncha.notices.names import cn_to_int, county_of, split_org_form
from xuncha.notices.normalize import Line
from xuncha.notices.shapes.labels import DATE_LINE, NUMBERING, is_closing, match_label

#: How far into a document its opening paragraph may start (web pages put chrome first).
_OPENING_WITHIN = 40
_OPENING = re.compile(
    r"^(?:根据|按照|依据|遵照|为|经|现将|近日|近期|\d{4}年|\d{1,2}月\d{1,2}日)"
    r"|巡[察视]组.{0,40}(?:对|向)|对.{2,60}(?:开展|进行)了?.{0,30}巡[察视]"
    r"|(?:党委|党组|党工委|委员会)召开"
)
_INSPECTION = re.compile(r"巡[察视]")
_OPENING_MORE = re.compile(r"巡[察视]|反馈|整改|公布")
_NOT_TITLE = re.compile(
    r"[:>|【】»›→]|^\d{4}[-./年]\d|^\(\d{4}年|^(?:首页|当前位置|您现在的位置)"
    # Page chrome written without a colon ("浏览次数 128", "发布时间 2024-05-10").
    r"|次数|字号|字体|打印|关闭|分享|作者|编辑|来源|点击|阅读|发布(?:时间|日期|机构)"
)
_TITLE_WORDS = re.compile(r"巡[察视]|整改|通报|公告|情况|委员会|党委|党工委|党组|关于")
_SPACE = re.compile(r"\s+")
#: The column a page files the notice under, in front of its title: "【巡察整改】", "栏目:巡察 ".
_COLUMN = re.compile(r"^(?:【[^】]{1,15}】|\[[^\]]{1,15}\]|栏目\s*:\s*\S{1,15}\s+)")
_TITLE_END = re.compile(r"(?:通报|情况|公告|报告|公开)$")
_BYLINE = re.compile(r"^(?:中共|中国共产党)?[^\s,。:;“”]{2,40}(?:委员会|党委|党工委|党组|办公室)$")
#: A page's own date: "发布日期: 2024-05-10", "发布时间:2020-12-10 16:02", "日期:2024年5月10日".
_PAGE_DATE = re.compile(
    r"(?:发布|发文|成文|生成|更新)?(?:日期|时间)\s*:?\s*(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月]"
    r"(?P<d>\d{1,2})"
)
_LEADING_DATE = re.compile(r"^(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})")


class ShapeReader:
    """Reads notices published in one shape (see docs: "Shapes of published notices")."""

    #: The shape letter a notice read by this reader reports.
    shape: ClassVar[str]

    def read(self, lines: Sequence[Line]) -> Notice | None:
        """The notice `lines` hold if they are in this reader's shape, else None.

        `lines` are normalised logical lines. Raises NoticeError (with the line number) when
        the lines are recognisably in this shape but cannot be read: a unit without problems,
        a problem without its rectification.
        """
        raise NotImplementedError


@dataclass(frozen=True)
class Preamble:
    """A notice's title and opening paragraph(s), and where its body starts."""

    title: str
    #: Number of the line the title starts on; None when there is no title.
    title_line: int | None
    opening: str
    #: Index into the lines of the first line after the preamble.
    body_start: int
    #: The page's publication date from its metadata, else the notice's signature date.
    published: PartialDate | None = None

    def facts(self) -> RoundFacts:
        return read_facts(self.title, self.opening, self.published)


def split_preamble(lines: Sequence[Line]) -> Preamble:
    """Find the title and opening paragraph at the head of a notice."""
    # Every reader, and the parser itself, asks for the same lines' preamble.
    return _split_preamble(tuple(lines))


def closing_index(lines: Sequence[Line], start: int = 0) -> int:
    """Index of the first line from `start` on that starts the closing part, else len(lines)."""
    return _closing_index(tuple(lines), start)


@functools.lru_cache(maxsize=4)
def _closing_index(lines: tuple[Line, ...], start: int) -> int:
    return next((i for i in range(start, len(lines)) if closing_at(lines, i)), len(lines))


@functools.lru_cache(maxsize=4)
def _split_preamble(lines: tuple[Line, ...]) -> Preamble:
    head = lines[:_OPENING_WITHIN]
    start = next((i for i, line in enumerate(head) if _is_opening(line.text)), None)
    if start is None:
        # No opening paragraph: the body starts where the title stops.
        start = end = next(
            (i for i, line in enumerate(head) if not _is_title_like(line.text)), len(head))
    else:
        end = start + 1
        while end < len(lines) and _continues_opening(lines, end):
            end += 1
    title = _title_run(lines[:start])
    opening = "".join(line.text for line in lines[start:end])
    published = _page_date(lines[:start]) or _signature_date(lines)
    return Preamble(_join(title), _first_number(title), opening, end, published)


def unit_section(name: str, problems: list[ProblemPair]) -> UnitSection:
    """A unit with its county-level region taken from its name."""
    return UnitSection(name=name, region=county_of(split_org_form(name)[0]), problems=problems)


def notice_from(
    shape: str, preamble: Preamble, units: list[UnitSection], gaps: Sequence[str] = ()
) -> Notice:
    """Assemble a notice from the preamble's round facts and the units read from the body.

    `gaps` are the expected parts the reader did not find ("第4行: 单位…下未找到…").
    """
    facts = preamble.facts()
    return Notice(
        shape=shape,
        title=preamble.title,
        issuer=facts.issuer,
        term=facts.term,
        round=facts.round,
        kinds=facts.kinds,
        inspection_start=facts.inspection_start,
        inspection_end=facts.inspection_end,
        feedback_date=facts.feedback_date,
        units=units,
        group_count=facts.group_count,
        scope_label=facts.scope_label,
        published=preamble.published,
        completeness=Completeness(missing=tuple(gaps), warnings=tuple(facts.warnings)),
    )


def gap(message: str, line: int | None) -> str:
    """A missing part as the completeness report words it: "第5行: …"."""
    return f"第{line}行: {message}" if line else message


def closing_at(lines: Sequence[Line], index: int) -> bool:
    """Whether lines[index] starts the closing part (contacts, signature, date)."""
    following = lines[index + 1].text if index + 1 < len(lines) else None
    return is_closing(lines[index].text, following)


def _is_opening(text: str) -> bool:
    return (
        len(text) >= 30
        and _INSPECTION.search(text) is not None
        and NUMBERING.match(text) is None
        and match_label(text) is None
        and _OPENING.search(text) is not None
    )


def _continues_opening(lines: Sequence[Line], index: int) -> bool:
    text = lines[index].text
    return (
        NUMBERING.match(text) is None
        and match_label(text) is None
        and not closing_at(lines, index)
        and _OPENING_MORE.search(text) is not None
    )


def _is_title_like(text: str) -> bool:
    text = _COLUMN.sub("", text)
    return len(text) <= 80 and not _NOT_TITLE.search(text) and NUMBERING.match(text) is None


def _title_run(lines: Sequence[Line]) -> list[Line]:
    """The title: the last run of title-like lines, past any chrome after it ("发布时间:…") and
    without leading lines that name nothing (breadcrumbs)."""
    run: list[Line] = []
    for line in reversed(lines):
        if _is_title_like(line.text):
            run.insert(0, line)
        elif run:
            break
    while run and not _TITLE_WORDS.search(run[0].text):
        run = run[1:]
    # "关于…的通报" / "中共某镇委员会" (the author under the title) is a title and a byline.
    ends = [i for i, line in enumerate(run) if _TITLE_END.search(line.text)]
    if ends and ends[-1] < len(run) - 1 and all(
            _BYLINE.match(line.text) for line in run[ends[-1] + 1:]):
        run = run[:ends[-1] + 1]
    return run


def _join(lines: list[Line]) -> str:
    # A title broken over lines ("…7个乡镇(街道)" / "整改进展情况") is still one title; a space
    # inside it is layout, and a page that prints it twice in a row still has one title.
    title = _SPACE.sub("", "".join(_COLUMN.sub("", line.text) for line in lines))
    half = len(title) // 2
    if title and len(title) % 2 == 0 and title[:half] == title[half:]:
        return title[:half]
    return title


def _page_date(lines: Sequence[Line]) -> PartialDate | None:
    for line in lines:
        match = _PAGE_DATE.search(line.text) or _LEADING_DATE.match(line.text)
        if match is not None:
            return _date_of(match)
    return None


def _signature_date(lines: Sequence[Line]) -> PartialDate | None:
    for line in reversed(lines[-6:]):
        if DATE_LINE.match(line.text):
            year, month, day = re.split(r"[年月日]", line.text)[:3]
            # "二〇二五年二月二十日": the year digit by digit, month and day as numerals.
            digits = "".join(str("〇一二三四五六七八九".find(c)) if not c.isdigit() else c
                             for c in year.replace("零", "〇"))
            return _valid(int(digits), cn_to_int(month), cn_to_int(day))
    return None


def _date_of(match: re.Match[str]) -> PartialDate | None:
    return _valid(int(match.group("y")), int(match.group("m")), int(match.group("d")))


def _valid(year: int, month: int, day: int) -> PartialDate | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return PartialDate(year, month, day)


def _first_number(lines: list[Line]) -> int | None:
    return lines[0].number if lines else None
