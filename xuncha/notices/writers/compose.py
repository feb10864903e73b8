"""The wording of a round-level (shape A) notice, composed from a Notice's facts.

Both writers lay out the same parts: two title lines, an opening paragraph, and per unit a
heading and its 反馈问题/整改情况 paragraphs. Text here is canonical (half-width punctuation);
the writers put it into official full-width form.
"""

from __future__ import annotations

from dataclasses import dataclass

from xuncha.notices.model import Notice, PartialDate, UnitSection
from xuncha.notices.names import int_to_cn, short_issuer

PROBLEM_LABEL = "反馈问题"
RECTIFICATION_LABEL = "整改情况"
_TITLE_TAIL = "整改进展情况"


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
