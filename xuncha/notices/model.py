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
