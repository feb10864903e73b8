"""The wording of a notice, composed from a Notice's facts.

A round-level (shape A) notice has two title lines, an opening paragraph, and per unit a
heading and its 反馈问题/整改情况 paragraphs; every writer lays out those parts. A unit's own
notice (shape B, ``unit_notice``) has a title naming the unit, an opening about its inspection,
and per problem an item heading ("（一）关于“…”的问题") with 问题表现/整改情况; the 公文 writers
(.docx, .pdf) lay out both through ``official_document``. Text here is canonical (half-width
punctuation); the writers put it into official full-width form.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from xuncha.notices.model import HeadlineFigures, Notice, PartialDate, ProblemPair, UnitSection
from xuncha.notices.names import formal_name, int_to_cn, short_issuer

PROBLEM_LABEL = "反馈问题"
RECTIFICATION_LABEL = "整改情况"
#: The problem's label in a unit's own notice, under the item heading that names it.
UNIT_PROBLEM_LABEL = "问题表现"
UNIT_SECTION_HEADING = "巡察反馈问题整改落实情况"
_TITLE_TAIL = "整改进展情况"
#: A quoted item heading as a unit notice writes it, and the name it quotes.
_QUOTED_ITEM = re.compile(r"^关于“(?P<named>.+)”(?:的)?问题$")
_FIRST_SENTENCE = re.compile(r"^[^。;!?\n]+")


@dataclass(frozen=True)
class LabelledText:
    """A label and the paragraphs of its text; the label goes in front of the first paragraph."""

    label: str
    paragraphs: list[str]


@dataclass(frozen=True)
class UnitBlock:
    heading: str
    fields: list[LabelledText]


def title_lines(notice: Notice) -> list[str]:
    """The title as the seed sets it: the round and its units, then "整改进展情况"."""
    head = _title_head(notice)
    if head is None:
        split = notice.title.find("整改")
        if split <= 0:
            return [notice.title or f"巡察{_TITLE_TAIL}"]
        return [notice.title[:split], notice.title[split:]]
    tail = notice.title[len(head):] if notice.title.startswith(head) else ""
    return [head, tail or _TITLE_TAIL]


def opening_paragraph(notice: Notice) -> str:
    """The opening paragraph, worded from the round facts the way the seed words it."""
    short = short_issuer(notice.issuer) if notice.issuer else ""
    return "".join([
        _inspection_sentence(notice, short),
        _feedback_sentence(notice, short),
        "集中整改期后,被巡察党组织陆续报送了巡察整改进展情况报告。",
        _publication_sentence(notice, short),
    ])


def unit_blocks(notice: Notice) -> list[UnitBlock]:
    """Each unit's numbered heading ("一、木垒县东城镇党委") and its labelled pairs."""
    return [
        UnitBlock(f"{int_to_cn(number)}、{unit.name}", _fields(unit))
        for number, unit in enumerate(notice.units, 1)
    ]


def chinese_date(date: PartialDate, *, after: PartialDate | None = None) -> str:
    """"2023年12月15日"; the year is left out when `after` (the start of a period) shares it."""
    year = "" if after is not None and after.year == date.year else f"{date.year}年"
    day = f"{date.day}日" if date.day is not None else ""
    return f"{year}{date.month}月{day}"


def joined_kinds(kinds: list[str]) -> str:
    """"常规巡察和基层组织建设专项巡察"; three or more as "A、B和C"."""
    if len(kinds) <= 1:
        return "".join(kinds) or "巡察"
    return "、".join(kinds[:-1]) + "和" + kinds[-1]


def _title_head(notice: Notice) -> str | None:
    if None in (notice.term, notice.issuer, notice.round, notice.scope_label):
        return None
    return (f"{notice.term}{notice.issuer}第{int_to_cn(notice.round or 0)}轮巡察"
            f"{len(notice.units)}个{notice.scope_label}")


def _inspection_sentence(notice: Notice, short: str) -> str:
    parts = [f"根据{short}巡察工作统一部署,"] if short else []
    if notice.inspection_start and notice.inspection_end:
        start, end = notice.inspection_start, notice.inspection_end
        parts.append(f"{chinese_date(start)}至{chinese_date(end, after=start)},")
    parts.append(f"{notice.term or ''}{notice.issuer or ''}{_round(notice)}巡察")
    if notice.group_count:
        parts.append(f"派出{notice.group_count}个巡察组")
    parts.append(f"对{_units_phrase(notice)}党组织开展了{joined_kinds(notice.kinds)}。")
    return "".join(parts)


def _feedback_sentence(notice: Notice, short: str) -> str:
    when = f"{chinese_date(notice.feedback_date)}," if notice.feedback_date else ""
    return f"{when}{short}巡察组分别向被巡察单位党组织反馈了巡察意见,提出整改要求。"


def _publication_sentence(notice: Notice, short: str) -> str:
    return f"根据有关规定,现将{notice.term or ''}{short}{_round(notice)}巡察整改情况予以公布。"


def _units_phrase(notice: Notice) -> str:
    places = "、".join(unit.place for unit in notice.units)
    if len(notice.units) == 1:
        return places
    return f"{places}{len(notice.units)}个{notice.scope_label or '单位'}"


def _round(notice: Notice) -> str:
    return f"第{int_to_cn(notice.round)}轮" if notice.round else ""


def _fields(unit: UnitSection) -> list[LabelledText]:
    fields: list[LabelledText] = []
    for pair in unit.problems:
        fields.append(LabelledText(PROBLEM_LABEL, pair.problem.split("\n")))
        fields.append(LabelledText(RECTIFICATION_LABEL, pair.rectification.split("\n")))
    return fields


class Role(Enum):
    """What a paragraph of a 公文 is, which decides its font and alignment."""

    TITLE = "title"
    BODY = "body"
    #: "一、…" headings (黑体).
    HEADING = "heading"
    #: "（一）…" headings (楷体).
    SUBHEADING = "subheading"
    SIGNATURE = "signature"
    DATE = "date"


@dataclass(frozen=True)
class Paragraph:
    role: Role
    #: The text in official full-width punctuation, ready to lay out.
    text: str


def official_document(notice: Notice, issued: datetime.date | None) -> list[Paragraph]:
    """A notice as the paragraphs of a 公文, in order: title lines, body, signature and date.

    Shape "A" lays out the round-level notice; any other shape lays out the first unit's own
    notice (build one with ``unit_notice``). ``issued`` is the date the document is signed;
    None leaves the date out (the text formats, which carry no signing date).
    """
    from xuncha.notices.normalize import official_punctuation

    if notice.shape == "A":
        parts = _round_document(notice)
        signature = formal_name(notice.issuer) if notice.issuer else ""
    else:
        parts = _unit_document(notice)
        signature = formal_name(notice.units[0].name) if notice.units else ""
    if signature:
        parts.append(Paragraph(Role.SIGNATURE, signature))
    if issued is not None:
        parts.append(Paragraph(Role.DATE, f"{issued.year}年{issued.month}月{issued.day}日"))
    return [Paragraph(part.role, official_punctuation(part.text)) for part in parts]


def unit_notice(
    notice: Notice, unit: UnitSection, figures: HeadlineFigures | None = None
) -> Notice:
    """The unit's own notice (shape B) of its rectification in the round ``notice`` reports.

    It carries the round's facts a unit's notice states (issuer, term, round, kinds and
    dates, not the round's group count or scope), the title "中共…委员会关于…的通报", and an
    item heading per problem ("关于“…”的问题", kept where the problem already had one in that
    form, else quoting the problem's first sentence). With ``figures`` (整改成效) a headline
    paragraph follows the opening, which makes it shape "C" as our parser reads it.
    """
    title = f"{formal_name(unit.name)}关于{notice.term or ''}{notice.issuer or ''}"
    title += f"{_round(notice)}巡察{_TITLE_TAIL}的通报"
    problems = [
        ProblemPair(pair.problem, pair.rectification, _item_heading(pair))
        for pair in unit.problems
    ]
    headline = figures if figures is not None and figures.any() else HeadlineFigures()
    return notice.replace(
        shape="C" if headline.any() else "B", title=title,
        units=[UnitSection(unit.name, unit.region, problems)],
        group_count=None, scope_label=None, figures=headline,
    )


def headline_paragraph(figures: HeadlineFigures) -> str:
    """The headline figures as a unit's notice states them ("反馈问题7个,已完成整改5个,…")."""
    parts = []
    if figures.problems is not None:
        parts.append(f"巡察反馈问题{figures.problems}个")
    if figures.completed is not None:
        parts.append(f"已完成整改{figures.completed}个")
    if figures.completion_rate is not None:
        parts.append(f"完成率{_number(figures.completion_rate)}%")
    if figures.rules is not None:
        parts.append(f"建立完善制度{figures.rules}项")
    if figures.accountable is not None:
        parts.append(f"问责{figures.accountable}人")
    if figures.recovered is not None:
        parts.append(f"挽回损失{_number(figures.recovered)}万元")
    return "截至目前," + ",".join(parts) + "。" if parts else ""


def _number(value: float) -> str:
    # 76.0 -> "76", 12.5 -> "12.5": as notices print figures.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def unit_opening(notice: Notice, unit: UnitSection) -> str:
    """The opening paragraph of a unit's own notice, worded from the round's facts."""
    short = short_issuer(notice.issuer) if notice.issuer else ""
    parts = [f"根据{short}巡察工作统一部署,"] if short else []
    if notice.inspection_start and notice.inspection_end:
        start, end = notice.inspection_start, notice.inspection_end
        parts.append(f"{chinese_date(start)}至{chinese_date(end, after=start)},")
    parts.append(f"{short}巡察组对{unit.place}党组织开展了{joined_kinds(notice.kinds)}。")
    when = f"{chinese_date(notice.feedback_date)}," if notice.feedback_date else ""
    parts.append(f"{when}{short}巡察组向{unit.name}反馈了巡察意见。")
    parts.append("按照巡察工作有关要求,现将巡察整改进展情况予以公布。")
    return "".join(parts)


def _round_document(notice: Notice) -> list[Paragraph]:
    parts = [Paragraph(Role.TITLE, line) for line in title_lines(notice)]
    parts.append(Paragraph(Role.BODY, opening_paragraph(notice)))
    for block in unit_blocks(notice):
        parts.append(Paragraph(Role.HEADING, block.heading))
        parts.extend(_labelled(block.fields))
    return parts


def _unit_document(notice: Notice) -> list[Paragraph]:
    parts = [Paragraph(Role.TITLE, notice.title)]
    if not notice.units:
        return parts
    unit = notice.units[0]
    parts.append(Paragraph(Role.BODY, unit_opening(notice, unit)))
    if notice.figures.any():
        parts.append(Paragraph(Role.BODY, headline_paragraph(notice.figures)))
    parts.append(Paragraph(Role.HEADING, f"一、{UNIT_SECTION_HEADING}"))
    for number, pair in enumerate(unit.problems, 1):
        parts.append(Paragraph(Role.SUBHEADING, f"({int_to_cn(number)}){_item_heading(pair)}"))
        parts.extend(_labelled([
            LabelledText(UNIT_PROBLEM_LABEL, pair.problem.split("\n")),
            LabelledText(RECTIFICATION_LABEL, pair.rectification.split("\n")),
        ]))
    return parts


def _labelled(fields: list[LabelledText]) -> list[Paragraph]:
    parts: list[Paragraph] = []
    for field in fields:
        first, *rest = field.paragraphs
        parts.append(Paragraph(Role.BODY, f"{field.label}:{first}"))
        parts.extend(Paragraph(Role.BODY, paragraph) for paragraph in rest)
    return parts


def _item_heading(pair: ProblemPair) -> str:
    if pair.heading and _QUOTED_ITEM.match(pair.heading):
        return pair.heading
    first = _FIRST_SENTENCE.match(pair.problem)
    named = (first.group() if first else pair.problem).rstrip(",:")
    return f"关于“{named}”的问题"


#: Where a 公文 title may break (after these words, or before "关于"), so that each line keeps
#: whole words: "中共XX镇委员会 / 关于…第五轮巡察 / 整改进展情况的通报".
_TITLE_BREAK = re.compile(
    r"(?<=委员会)|(?<=党委)|(?<=党工委)|(?<=党组)|(?<=巡察)|(?<=巡视)|(?=关于)")


def break_title(title: str, fits: Callable[[str], bool]) -> list[str]:
    """The title's lines: each the longest run that ``fits`` ending at a word break, else
    (no break fits) the longest run that fits at all."""
    lines: list[str] = []
    rest = title
    while rest and not fits(rest):
        breaks = [m.start() for m in _TITLE_BREAK.finditer(rest) if 0 < m.start() < len(rest)]
        fitting = [at for at in breaks if fits(rest[:at])]
        at = max(fitting) if fitting else _longest_fitting(rest, fits)
        lines.append(rest[:at])
        rest = rest[at:]
    if rest:
        lines.append(rest)
    return lines


def _longest_fitting(text: str, fits: Callable[[str], bool]) -> int:
    at = 1
    while at < len(text) and fits(text[: at + 1]):
        at += 1
    # A closing mark never starts a line: it goes down with the character before it.
    while at > 1 and text[at] in "，。、；：？！）》」』”’":
        at -= 1
    return at
