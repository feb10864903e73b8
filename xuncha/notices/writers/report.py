"""The unit's 整改情况报告 to the committee (关于巡察反馈意见整改情况的报告), as 公文 paragraphs.

Pure: the facts come in as dataclasses, the paragraphs go to ``docx.render_document`` or
``pdf.render_document``, which lay them out like the notices.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from xuncha.notices.model import HeadlineFigures
from xuncha.notices.names import formal_name, int_to_cn
from xuncha.notices.normalize import official_punctuation
from xuncha.notices.writers.compose import Paragraph, Role, headline_paragraph

_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class MeasureFacts:
    content: str
    status: str
    leader: str = ""
    due: datetime.date | None = None
    #: The latest progress reported, "" when none.
    progress: str = ""
    #: Still open (neither signed off nor kept up long term).
    open: bool = True


@dataclass(frozen=True)
class ProblemFacts:
    text: str
    status: str
    measures: list[MeasureFacts] = field(default_factory=list)


@dataclass(frozen=True)
class ReportFacts:
    unit: str
    #: "十二届昌吉州党委第五轮巡察".
    round_name: str
    #: Whom the report is to, e.g. "州党委巡察工作领导小组".
    addressee: str
    problems: list[ProblemFacts]
    figures: HeadlineFigures
    #: Other figures worth stating ("党纪政务处分2人、组织处理1人"), already worded.
    details: list[str] = field(default_factory=list)


def report_title(facts: ReportFacts) -> str:
    return f"{formal_name(facts.unit)}关于{facts.round_name}反馈意见整改情况的报告"


def report_document(facts: ReportFacts, issued: datetime.date | None) -> list[Paragraph]:
    """The report's paragraphs: title, addressee, overall figures, per problem its measures,
    progress and what is still open, then the next steps, signature and date."""
    parts = [Paragraph(Role.TITLE, report_title(facts))]
    parts.append(Paragraph(Role.BODY, f"{facts.addressee}:" if facts.addressee else ""))
    opening = (f"按照{facts.round_name}反馈意见和整改要求,{facts.unit}认真组织整改,"
               "现将整改情况报告如下。")
    parts.append(Paragraph(Role.BODY, opening))
    parts.append(Paragraph(Role.HEADING, "一、整改总体情况"))
    summary = headline_paragraph(facts.figures)
    if facts.details:
        summary = summary.rstrip("。") + ",其中" + "、".join(facts.details) + "。"
    parts.append(Paragraph(Role.BODY, summary or "暂无整改成效数据。"))
    parts.append(Paragraph(Role.HEADING, "二、反馈问题整改情况"))
    for number, problem in enumerate(facts.problems, 1):
        heading = f"({int_to_cn(number)}){_first_sentence(problem.text)}"
        parts.append(Paragraph(Role.SUBHEADING, heading))
        parts.append(Paragraph(Role.BODY, f"问题表现:{problem.text}"))
        parts.append(Paragraph(Role.BODY, f"整改情况:{problem.status}。"))
        for index, measure in enumerate(problem.measures):
            parts.append(Paragraph(Role.BODY, _measure_line(index, measure)))
        if not problem.measures:
            parts.append(Paragraph(Role.BODY, "尚未制定整改措施。"))
    open_lines = []
    for number, problem in enumerate(facts.problems, 1):
        if not problem.measures:
            open_lines.append(f"第{int_to_cn(number)}项问题:尚未制定整改措施({problem.status})。")
        for measure in problem.measures:
            if measure.open:
                due = f",完成时限{_date(measure.due)}" if measure.due else ""
                open_lines.append(
                    f"第{int_to_cn(number)}项问题:{measure.content}({measure.status}{due})。")
    parts.append(Paragraph(Role.HEADING, "三、尚未完成的整改事项"))
    if open_lines:
        parts.extend(Paragraph(Role.BODY, line) for line in open_lines)
    else:
        parts.append(Paragraph(Role.BODY, "反馈问题的整改措施均已完成或转入长期坚持。"))
    parts.append(Paragraph(Role.HEADING, "四、下一步打算"))
    parts.append(Paragraph(Role.BODY, "对尚未完成的事项,明确时限、压实责任,持续推进;对已完成的事项,"
                                      "巩固整改成果,建立长效机制,防止问题反弹。"))
    parts.append(Paragraph(Role.SIGNATURE, formal_name(facts.unit)))
    if issued is not None:
        parts.append(Paragraph(Role.DATE, f"{issued.year}年{issued.month}月{issued.day}日"))
    return [Paragraph(part.role, official_punctuation(part.text)) for part in parts]


def _measure_line(index: int, measure: MeasureFacts) -> str:
    ordinal = _ORDINALS[index] if index < len(_ORDINALS) else str(index + 1)
    text = f"{ordinal}是{measure.content.rstrip('。;')}"
    if measure.leader:
        text += f"(责任领导:{measure.leader})"
    text += f",{measure.status}"
    if measure.progress:
        text += f"。进展:{measure.progress.rstrip('。')}"
    return text + "。"


def _first_sentence(text: str) -> str:
    for stop in "。;\n":
        text = text.split(stop)[0]
    return text[:60]


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
