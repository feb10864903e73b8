"""Write a ledger as the workbook offices pass around, and the 三个清单.

The 台账 sheet has one row per measure with the problem's cells merged over its measures, as
offices lay it out; the 逐行 sheet repeats every cell so filters and pivot tables work. Rows
are streamed straight into the package (:mod:`xuncha.ledgers.xlsx`), so 100,000 rows stay fast.

No user text ever becomes a formula: every string is stored as a string, and one that Excel or
a later CSV export could take for a formula (starting with = + - @, or a tab or CR before one)
also carries Excel's quote prefix, so editing the cell keeps it text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from openpyxl.utils import get_column_letter

from xuncha.ledgers.model import (
    COLUMNS,
    STATUS_LABELS,
    SYSTEM_COLUMNS,
    Ledger,
    Measure,
    Problem,
    UnitLedger,
)
from xuncha.ledgers.xlsx import Book, Sheet, Style, clean

#: Column widths in characters, by field; CJK text is about two characters wide per glyph.
WIDTHS: dict[str, float] = {
    "number": 6, "group": 10, "unit": 16, "category": 14, "problem": 42, "immediate": 8,
    "measure": 42, "leader": 10, "department": 14, "deadline": 14, "standard": 24,
    "progress": 32, "status": 12, "signed_off_on": 12, "evidence": 20, "notes": 14,
    "quality": 36,
}


#: The three warning colours of the overdue board (xuncha.workflow.exports uses the same).
LEVEL_FILLS: dict[str, str] = {"overdue": "F8D7DA", "warning": "FFE8B3", "notice": "FFF6D6"}

#: Given a measure, its warning level ("overdue", "warning", "notice"; anything else: none).
Levels = Callable[[Measure], str]

#: Told (done, total) as rows are written: every few hundred rows and once at the end.
Progress = Callable[[int, int], None]

#: Rows between two progress calls.
PROGRESS_EVERY = 500

_PROBLEM_COLUMNS = ("number", "group", "unit", "category", "problem", "immediate")
_FORMULA_STARTS = ("=", "+", "-", "@")
_CENTRED_FIELDS = frozenset({"number", "immediate", "deadline", "status", "signed_off_on"})
_HEADER = Style(bold=True, fill="D9E1F2", border=True, wrap=True, horizontal="center")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet might run `text` as a formula (CSV injection's openings)."""
    return text.lstrip("\t\r").startswith(_FORMULA_STARTS)


class _Cells:
    """(value, style id) pairs for one sheet, with the style ids looked up once."""

    def __init__(self, book: Book, boxed: bool) -> None:
        self.book = book
        self.boxed = boxed
        self.ids: dict[tuple[bool, str, bool, bool], int] = {}

    def make(self, value: Any, field: str = "", fill: str = "") -> tuple[Any, int]:
        if isinstance(value, str):
            value = clean(value)
        risky = isinstance(value, str) and is_formula_like(value)
        date = isinstance(value, datetime.date)
        centred = field in _CENTRED_FIELDS
        key = (centred, fill, risky, date)
        style = self.ids.get(key)
        if style is None:
            style = self.ids[key] = self.book.style(Style(
                fill=LEVEL_FILLS.get(fill, ""), border=self.boxed, wrap=self.boxed,
                horizontal="center" if centred and self.boxed else "", date=date, quote=risky))
        return value, style


def _deadline_value(measure: Measure) -> Any:
    deadline = measure.deadline
    if deadline is None:
        return None
    if deadline.kind == "date" and deadline.precision == "day" and deadline.date is not None:
        return deadline.date
    return deadline.display()


def _number_value(number: str) -> Any:
    return int(number) if number.isdigit() and len(number) < 10 else number


def _problem_values(problem: Problem, unit: UnitLedger, group: str) -> dict[str, Any]:
    return {
        "number": _number_value(problem.number), "group": problem.group or group,
        "unit": unit.name, "category": problem.category, "problem": problem.text,
        "immediate": "是" if problem.immediate else "", "quality": problem.quality,
    }


def _measure_values(measure: Measure | None) -> dict[str, Any]:
    if measure is None:
        return {}
    status = STATUS_LABELS.get(measure.status or "", measure.status_text)
    return {
        "measure": measure.content, "leader": measure.leader,
        "department": measure.department, "deadline": _deadline_value(measure),
        "standard": measure.standard, "progress": measure.progress, "status": status,
        "signed_off_on": measure.signed_off_on, "evidence": measure.evidence,
        "notes": measure.notes,
    }


_Row = tuple[Problem, int, dict[str, Any], Measure | None]


def _rows(ledger: Ledger, group: str) -> Iterator[_Row]:
    """(problem, its row count, cell values, measure) for every ledger row, in order."""
    for unit in ledger.units:
        for problem in unit.problems:
            head = _problem_values(problem, unit, group)
            measures: list[Measure | None] = list(problem.measures) or [None]
            for measure in measures:
                yield problem, len(measures), {**head, **_measure_values(measure)}, measure


def _level(levels: Levels | None, measure: Measure | None) -> str:
    if levels is None or measure is None:
        return ""
    level = levels(measure)
    return level if level in LEVEL_FILLS else ""


def _new_sheet(book: Book, name: str, fields: list[str], header_rows: int,
               rows: int = 0) -> Sheet:
    return book.add_sheet(name, [WIDTHS.get(f, 14) for f in fields], freeze_rows=header_rows,
                          print_title_rows=header_rows, rows=rows)


def _row_count(ledger: Ledger) -> int:
    return sum(max(1, len(p.measures)) for u in ledger.units for p in u.problems)


def _header_row(book: Book, sheet: Sheet, names: list[str]) -> None:
    style = book.style(_HEADER)
    sheet.append([(name, style) for name in names], height=30)


class _Counter:
    """Counts written rows and tells `progress` every PROGRESS_EVERY rows."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def write_ledger(ledger: Ledger, *, title: str = "", group: str = "",
                 levels: Levels | None = None, flat: bool = True,
                 lists: bool = False, quality: bool = False,
                 progress: Progress | None = None) -> bytes:
    """The ledger as .xlsx bytes.

    Sheets: 整改台账 (merged problem cells), 逐行 (every cell filled) when `flat`, and the
    三个清单 when `lists`. `title` defaults to the ledger's; `group` fills an empty 巡察组;
    `levels` colours each measure's 完成时限 by its warning level; `quality` adds the
    problems' 质量提示 as the last column of both sheets. `progress` is told (rows written,
    rows to write) over the 台账 and 逐行 sheets, and (total, total) at the end.
    """
    buffer = io.BytesIO()
    book = Book(buffer)
    fields = [*COLUMNS, *(["quality"] if quality else [])]
    title = title or ledger.title or "巡察反馈问题整改台账"
    counter = _Counter(progress, _row_count(ledger) * (2 if flat else 1))
    _merged_sheet(book, ledger, title, group, levels, fields, counter)
    if flat:
        _flat_sheet(book, ledger, group, levels, fields, counter)
    if lists:
        _list_sheets(book, ledger, group)
    book.close()
    counter.finish()
    return buffer.getvalue()


def write_lists(ledger: Ledger, *, group: str = "") -> bytes:
    """The 三个清单 (问题清单, 任务清单, 责任清单) as one workbook."""
    buffer = io.BytesIO()
    book = Book(buffer)
    _list_sheets(book, ledger, group)
    book.close()
    return buffer.getvalue()


def _merged_sheet(book: Book, ledger: Ledger, title: str, group: str, levels: Levels | None,
                  fields: list[str], counter: _Counter) -> None:
    sheet = _new_sheet(book, "整改台账", fields, 2, rows=2 + _row_count(ledger))
    cells = _Cells(book, boxed=True)
    title_style = book.style(Style(bold=True, size=16, horizontal="center",
                                   quote=is_formula_like(title)))
    sheet.append([(clean(title), title_style)], height=36)
    sheet.merges.append(f"A1:{get_column_letter(len(fields))}1")
    _header_row(book, sheet, [COLUMNS.get(name) or SYSTEM_COLUMNS[name] for name in fields])
    merged_columns = [get_column_letter(fields.index(name) + 1)
                      for name in (*_PROBLEM_COLUMNS, "quality") if name in fields]
    last_problem: Problem | None = None
    for problem, span, values, measure in _rows(ledger, group):
        row = sheet.row + 1
        if problem is not last_problem:
            last_problem = problem
            if span > 1:
                sheet.merges.extend(f"{c}{row}:{c}{row + span - 1}" for c in merged_columns)
        fill = _level(levels, measure)
        sheet.append([cells.make(values.get(name), name, fill if name == "deadline" else "")
                      for name in fields])
        counter.tick()
    sheet.autofilter = f"A2:{get_column_letter(len(fields))}{max(sheet.row, 3)}"


def _flat_sheet(book: Book, ledger: Ledger, group: str, levels: Levels | None,
                fields: list[str], counter: _Counter) -> None:
    sheet = _new_sheet(book, "逐行", fields, 1, rows=1 + _row_count(ledger))
    _header_row(book, sheet, [COLUMNS.get(name) or SYSTEM_COLUMNS[name] for name in fields])
    cells = _Cells(book, boxed=False)
    for _problem, _span, values, measure in _rows(ledger, group):
        fill = _level(levels, measure)
        sheet.append([cells.make(values.get(name), name, fill if name == "deadline" else "")
                      for name in fields])
        counter.tick()
    sheet.autofilter = f"A1:{get_column_letter(len(fields))}{max(sheet.row, 2)}"


def _list_sheets(book: Book, ledger: Ledger, group: str) -> None:
    """问题清单, 任务清单 and 责任清单: what is wrong, what will be done, who answers."""
    problems = ["number", "group", "unit", "category", "problem", "immediate"]
    _table(book, "问题清单", [*(COLUMNS[f] for f in problems), "整改措施数"], (
        [*(_problem_values(p, u, group)[f] for f in problems), len(p.measures)]
        for u in ledger.units for p in u.problems), [*problems, "number"])

    tasks = ["unit", "problem", "measure", "standard", "deadline", "status"]
    _table(book, "任务清单", ["序号", *(COLUMNS[f] for f in tasks)], (
        [f"{p.number}-{i}" if p.number else str(i),
         *({**_problem_values(p, u, group), **_measure_values(m)}[f] for f in tasks)]
        for u in ledger.units for p in u.problems
        for i, m in enumerate(p.measures, start=1)), ["number", *tasks])

    duties = ["leader", "department", "unit", "problem", "measure", "deadline", "status"]
    rows = sorted(
        ([{**_problem_values(p, u, group), **_measure_values(m)}[f] for f in duties]
         for u in ledger.units for p in u.problems for m in p.measures),
        key=lambda values: (str(values[0]), str(values[1])))
    _table(book, "责任清单", [COLUMNS[f] for f in duties], iter(rows), duties)


def _table(book: Book, name: str, header: list[str], rows: Iterable[list[Any]],
           fields: list[str]) -> None:
    sheet = _new_sheet(book, name, fields, 1)
    _header_row(book, sheet, header)
    cells = _Cells(book, boxed=True)
    for values in rows:
        sheet.append([cells.make(value, name) for value, name in zip(values, fields, strict=False)])
    sheet.autofilter = f"A1:{get_column_letter(len(header))}{max(sheet.row, 2)}"


#: Output kinds by name (explicit, like xuncha.notices.writers.WRITERS).
WRITERS: dict[str, Callable[[Ledger], bytes]] = {
    "ledger": write_ledger,
    "lists": write_lists,
}
