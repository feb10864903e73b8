"""What a rectification ledger (整改台账) says, as plain data.

The reader (:mod:`xuncha.ledgers.read`) turns an .xlsx workbook into a :class:`Ledger`; the writer
(:mod:`xuncha.ledgers.write`) turns a :class:`Ledger` back into a workbook. Nothing here knows
about Django: statuses are plain string codes equal to the values of
``xuncha.inspections.models.RectificationStatus`` (a test keeps the two in step).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

#: Status codes and their labels, as in RectificationStatus. "逾期" is not a status of its own:
#: it follows from the 完成时限 and the date, so the reader maps it to "in_progress".
STATUS_LABELS: dict[str, str] = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "basically_done": "基本完成",
    "pending_review": "已完成待验收",
    "signed_off": "已销号",
    "long_term": "长期坚持",
    "returned": "退回整改",
    "long_term_review": "长期坚持待确认",
}

#: The canonical columns of a ledger, field name -> header, in the order we write them.
COLUMNS: dict[str, str] = {
    "number": "序号",
    "group": "巡察组",
    "unit": "被巡察单位",
    "category": "问题类别",
    "problem": "反馈问题",
    "immediate": "立行立改",
    "measure": "整改措施",
    "leader": "责任领导",
    "department": "责任部门",
    "deadline": "完成时限",
    "standard": "整改标准",
    "progress": "整改进展",
    "status": "完成情况",
    "signed_off_on": "销号日期",
    "evidence": "佐证材料",
    "notes": "备注",
}

#: Columns the system writes after the ledger's own and never reads back (the reader passes
#: over them without a note): the 整改质量提示 it raised.
SYSTEM_COLUMNS: dict[str, str] = {"quality": "质量提示"}

#: Columns that describe the problem; the others describe one of its measures.
PROBLEM_FIELDS = ("number", "group", "unit", "category", "problem", "immediate")
MEASURE_FIELDS = tuple(name for name in COLUMNS if name not in PROBLEM_FIELDS)


class LedgerError(Exception):
    """A workbook we refuse to read, with one line in Chinese saying where and why."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", row: int | None = None,
                 column: str = "") -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [part for part in (
            self.file,
            f"工作表“{self.sheet}”" if self.sheet else "",
            f"第{self.row}行" if self.row else "",
            f"{self.column}列" if self.column else "",
        ) if part]
        return f"{'，'.join(where)}：{self.message}" if where else self.message


@dataclass(frozen=True)
class Finding:
    """Something the reader noticed but could read past: where (sheet, row, column) and why."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        place = f"工作表“{self.sheet}”"
        if self.row:
            place += f"第{self.row}行"
        if self.column:
            place += f"{self.column}列"
        return f"{place}：{self.reason}"


@dataclass(frozen=True)
class Deadline:
    """A 完成时限 as offices write it.

    ``kind`` is "date" (a calendar limit), "long_term" (长期坚持, maybe with a first date),
    "immediate" (立行立改) or "text" (words we could not read as a date). ``date`` is the last
    day the limit allows; ``precision`` says how much of it was written: "day", "month",
    "quarter" or "year" ("2024年3月底" is 2024-03-31 to the month).
    """

    kind: str = "text"
    date: datetime.date | None = None
    precision: str = "day"
    text: str = ""

    @classmethod
    def on(cls, day: datetime.date) -> Deadline:
        return cls("date", day, "day", day.isoformat())

    def display(self) -> str:
        """How the writer puts it in a cell when it is not a plain date."""
        if self.kind == "long_term" and self.date is None:
            return self.text or "长期坚持"
        if self.kind == "immediate":
            return self.text or "立行立改"
        if self.date is None:
            return self.text
        label = {
            "day": f"{self.date.year}年{self.date.month}月{self.date.day}日",
            "month": f"{self.date.year}年{self.date.month}月底",
            "quarter": f"{self.date.year}年第{(self.date.month - 1) // 3 + 1}季度",
            "year": f"{self.date.year}年底",
        }[self.precision]
        return f"{label}前完成，长期坚持" if self.kind == "long_term" else label


@dataclass(frozen=True)
class Source:
    """Where a fact came from in the workbook (for messages); None for facts we made."""

    sheet: str
    row: int


@dataclass
class Measure:
    """One measure (整改措施) of a problem: one row of the ledger."""

    content: str
    leader: str = ""
    department: str = ""
    deadline: Deadline | None = None
    standard: str = ""
    progress: str = ""
    #: A code of STATUS_LABELS, or None where the cell was empty or unreadable.
    status: str | None = None
    #: The status as written ("正在整改"), kept for messages and the preview; not a fact.
    status_text: str = field(default="", compare=False)
    signed_off_on: datetime.date | None = None
    evidence: str = ""
    notes: str = ""
    source: Source | None = field(default=None, compare=False)


@dataclass
class Problem:
    """A fed-back problem (反馈问题) with its measures, in ledger order."""

    text: str
    #: The 序号 as written ("1", "一", "1-2"); kept as text because offices number freely.
    number: str = ""
    group: str = ""
    category: str = ""
    immediate: bool = False
    measures: list[Measure] = field(default_factory=list)
    source: Source | None = field(default=None, compare=False)
    #: The 整改质量提示 the system raised (written as the last column; not read back).
    quality: str = field(default="", compare=False)


@dataclass
class UnitLedger:
    """The problems of one inspected unit (被巡察单位)."""

    name: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Ledger:
    """A whole ledger: its title (the round, as written) and the units in order."""

    title: str = ""
    units: list[UnitLedger] = field(default_factory=list)

    def unit(self, name: str) -> UnitLedger:
        """The unit called `name`, added at the end if it is new."""
        for unit in self.units:
            if unit.name == name:
                return unit
        unit = UnitLedger(name)
        self.units.append(unit)
        return unit

    def measure_count(self) -> int:
        return sum(len(p.measures) for u in self.units for p in u.problems)
