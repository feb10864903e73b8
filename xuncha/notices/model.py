"""What a rectification notice says, as plain data.

The parser turns a document into a :class:`Notice`; the writers turn a :class:`Notice` back into
a document; the importer (``xuncha.inspections.importer``) turns it into rows. Nothing here knows
about Django.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date that notices sometimes give only to the month ("2023年12月")."""

    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)


@dataclass(frozen=True)
class ProblemPair:
    """One problem fed back to a unit and the rectification the unit reported for it."""

    problem: str
    rectification: str
    #: The heading the notice put over the item, where it had one ("关于…的问题", "在…方面").
    heading: str | None = None


@dataclass(frozen=True)
class UnitSection:
    """An inspected party organisation and the problems fed back to it."""

    #: The organisation's name as published, e.g. "木垒县东城镇党委".
    name: str
    #: The county-level place the unit lies in, e.g. "木垒县"; None where the name has none.
    region: str | None
    problems: list[ProblemPair] = field(default_factory=list)

    @property
    def place(self) -> str:
        """The unit's place without its organisation form: "木垒县东城镇党委" -> "木垒县东城镇"."""
        from xuncha.notices.names import split_org_form

        return split_org_form(self.name)[0]


@dataclass(frozen=True)
class HeadlineFigures:
    """The round's figures where a notice states them ("反馈问题25个，已完成整改19个…")."""

    #: Problems fed back (共反馈问题 X 个).
    problems: int | None = None
    #: Problems rectified so far (已完成整改 Y 个).
    completed: int | None = None
    #: Completion rate in percent as printed (完成率76% -> 76.0).
    completion_rate: float | None = None
    #: Rectification measures drawn up (制定整改措施 N 条).
    measures: int | None = None
    #: Rules made or revised (建立完善制度 N 项).
    rules: int | None = None
    #: People held accountable (问责 N 人).
    accountable: int | None = None
    #: Losses recovered, in 万元 (挽回损失 N 万元).
    recovered: float | None = None

    def any(self) -> bool:
        return any(getattr(self, f.name) is not None for f in dataclasses.fields(self))

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Completeness:
    """Which parts of a notice were read and which expected parts are missing.

    A notice copied from a web page often stops part-way; what was read is kept and this says
    what is not there. ``missing`` and ``warnings`` are Chinese sentences for users.
    """

    #: Parts found, e.g. ("标题", "巡察主体", "被巡察单位", "整改事项3项").
    found: tuple[str, ...] = ()
    #: Expected parts not found, e.g. ("正文在第12行后中断",); empty when the notice is whole.
    missing: tuple[str, ...] = ()
    #: What was read leniently (a date typo …); does not make the notice incomplete.
    warnings: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        """One line in Chinese: what is missing, then what was read leniently."""
        parts = []
        if self.missing:
            parts.append("通报不完整：" + "；".join(self.missing))
        parts.extend(self.warnings)
        return "；".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"complete": self.complete, "found": list(self.found),
                "missing": list(self.missing), "warnings": list(self.warnings)}


@dataclass(frozen=True)
class Notice:
    """A published rectification notice (整改情况通报), whatever its shape."""

    #: Which published shape it came in ("A", "B", "C" … see docs/notices.md).
    shape: str
    title: str
    #: The committee that ran the round, as the notice names it ("昌吉州党委", "州党委").
    issuer: str | None
    #: The committee's term, e.g. "十二届".
    term: str | None
    #: The round number within the term (第五轮 -> 5).
    round: int | None
    #: Kinds of inspection, e.g. ["常规巡察", "基层组织建设专项巡察"].
    kinds: list[str]
    inspection_start: PartialDate | None
    inspection_end: PartialDate | None
    feedback_date: PartialDate | None
    units: list[UnitSection]
    #: How many inspection groups the round sent, where the notice says ("派出7个巡察组").
    group_count: int | None = None
    #: What the units are collectively called in a round-level title ("乡镇(街道)").
    scope_label: str | None = None
    #: When the page (or, failing that, the notice's own signature) says it was published.
    #: Like the completeness report, it is about the copy read, not what the notice states, so
    #: two copies of one notice compare equal without it.
    published: PartialDate | None = field(default=None, compare=False)
    #: Headline figures, where the notice states them (shape C puts them first; E has only them).
    figures: HeadlineFigures = field(default_factory=HeadlineFigures)
    completeness: Completeness = field(default_factory=Completeness, compare=False)

    @property
    def problem_count(self) -> int:
        return sum(len(unit.problems) for unit in self.units)

    def to_json(self) -> dict[str, Any]:
        """The JSON object `xuncha parse` prints (field names are a public contract)."""
        return {
            "shape": self.shape,
            "title": self.title,
            "issuer": self.issuer,
            "term": self.term,
            "round": self.round,
            "kinds": list(self.kinds),
            "inspection_start": _iso(self.inspection_start),
            "inspection_end": _iso(self.inspection_end),
            "feedback_date": _iso(self.feedback_date),
            "group_count": self.group_count,
            "scope_label": self.scope_label,
            "published": _iso(self.published),
            "figures": self.figures.to_json(),
            "completeness": self.completeness.to_json(),
            "units": [
                {
                    "name": unit.name,
                    "region": unit.region,
                    "problems": [
                        {"problem": p.problem, "rectification": p.rectification}
                        | ({"heading": p.heading} if p.heading else {})
                        for p in unit.problems
                    ],
                }
                for unit in self.units
            ],
        }

    def replace(self, **changes: Any) -> Notice:
        return dataclasses.replace(self, **changes)


def _iso(value: PartialDate | None) -> str | None:
    return value.iso() if value is not None else None


class NoticeError(ValueError):
    """A document that cannot be read as a rectification notice.

    ``message`` is in Chinese for users; ``line`` (1-based, in the decoded text) says where, when
    the problem has a place.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def describe(self, source: str) -> str:
        """One line for a user: "文件 第N行: 原因"."""
        where = f"{source} 第{self.line}行" if self.line else source
        return f"{where}: {self.message}"
