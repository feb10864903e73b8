"""Write a ledger as the workbook offices pass around, and the 三个清单.

The 台账 sheet has one row per measure with the problem's cells merged over its measures, as
offices lay it out; the 逐行 sheet repeats every cell so filters and pivot tables work. Both are
written in openpyxl's write-only (streaming) mode, so 100,000 rows stay fast and small.

No user text ever becomes a formula: a string that Excel or a later CSV export could take for
one (starting with = + - @, or a tab or CR before one) is stored as a plain string with the
quote prefix, whatever openpyxl would have guessed.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from xuncha.ledgers.model import COLUMNS, STATUS_LABELS, Ledger, Measure, Problem, UnitLedger

#: Column widths in characters, by field; CJK text is about two characters wide per glyph.
WIDTHS: dict[str, float] = {
    "number": 6, "group": 10, "unit": 16, "category": 14, "problem": 42, "immediate": 8,
    "measure": 42, "leader": 10, "department": 14, "deadline": 14, "standard": 24,
    "progress": 32, "status": 12, "signed_off_on": 12, "evidence": 20, "notes": 14,
}

#: The three warning colours of the overdue board (xuncha.workflow.exports uses the same).
LEVEL_FILLS: dict[str, PatternFill] = {
    "overdue": PatternFill("solid", fgColor="F8D7DA"),
    "warning": PatternFill("solid", fgColor="FFE8B3"),
    "notice": PatternFill("solid", fgColor="FFF6D6"),
}

#: Given a measure, its warning level ("overdue", "warning", "notice"; anything else: none).
Levels = Callable[[Measure], str]

_PROBLEM_COLUMNS = ("number", "group", "unit", "category", "problem", "immediate")
_FORMULA_STARTS = ("=", "+", "-", "@")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTRED_FIELDS = frozenset({"number", "immediate", "deadline", "status", "signed_off_on"})


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet might run `text` as a formula (CSV injection's openings)."""
    return text.lstrip("\t\r").startswith(_FORMULA_STARTS)


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Cells:
    """Makes styled cells for one sheet; strings are always strings, never formulas."""

    def __init__(self, sheet: Any, styled: bool) -> None:
        self.sheet = sheet
        self.styled = styled

    def make(self, value: Any, field: str = "", fill: PatternFill | None = None) -> Any:
        if isinstance(value, str):
            value = _clean(value)
        risky = isinstance(value, str) and is_formula_like(value)
        if not (self.styled or risky or fill is not None or isinstance(value, datetime.date)):
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        if risky:
            cell.data_type = "s"
            cell.quotePrefix = True
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        if self.styled:
            cell.border = _BORDER
            cell.alignment = _CENTRE if field in _CENTRED_FIELDS else _WRAP
        if fill is not None:
            cell.fill = fill
        return cell


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
        "immediate": "是" if problem.immediate else "",
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


def _setup_sheet(sheet: Any, header_row: int, fields: Iterable[str]) -> None:
    for index, name in enumerate(fields, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4 in the OOXML paper-size table
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _title_row(sheet: Any, title: str, width: int) -> None:
    cell = WriteOnlyCell(sheet, value=_clean(title))
    if is_formula_like(title):
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.font = Font(bold=True, size=16)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([cell])
    sheet.merged_cells.append(f"A1:{get_column_letter(width)}1")


def _header_row(sheet: Any, names: list[str]) -> None:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.alignment = _CENTRE
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cells.append(cell)
    sheet.append(cells)


def _new_sheet(book: Workbook, name: str) -> Any:
    sheet = book.create_sheet(name)
    # openpyxl's write-only sheet writes `merged_cells` when it closes but its MultiCellRange
    # checks each new range against all earlier ones (quadratic); a plain list of range
    # strings writes the same XML.
    sheet.merged_cells = []
    return sheet


def write_ledger(ledger: Ledger, *, title: str = "", group: str = "",
                 levels: Levels | None = None, flat: bool = True,
                 lists: bool = False) -> bytes:
    """The ledger as .xlsx bytes.

    Sheets: 整改台账 (merged problem cells), 逐行 (every cell filled) when `flat`, and the
    三个清单 when `lists`. `title` defaults to the ledger's; `group` fills an empty 巡察组;
    `levels` colours each measure's 完成时限 by its warning level.
    """
    book = Workbook(write_only=True)
    fields = list(COLUMNS)
    title = title or ledger.title or "巡察反馈问题整改台账"
    _merged_sheet(_new_sheet(book, "整改台账"), ledger, title, group, levels, fields)
    if flat:
        _flat_sheet(_new_sheet(book, "逐行"), ledger, group, levels, fields)
    if lists:
        _list_sheets(book, ledger, group)
    return _save(book)


def write_lists(ledger: Ledger, *, group: str = "") -> bytes:
    """The 三个清单 (问题清单, 任务清单, 责任清单) as one workbook."""
    book = Workbook(write_only=True)
    _list_sheets(book, ledger, group)
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _merged_sheet(sheet: Any, ledger: Ledger, title: str, group: str, levels: Levels | None,
                  fields: list[str]) -> None:
    _setup_sheet(sheet, 2, fields)
    _title_row(sheet, title, len(fields))
    _header_row(sheet, [COLUMNS[name] for name in fields])
    cells = _Cells(sheet, styled=True)
    merged_columns = [get_column_letter(fields.index(name) + 1) for name in _PROBLEM_COLUMNS]
    row = 2
    last_problem: Problem | None = None
    for problem, span, values, measure in _rows(ledger, group):
        row += 1
        if problem is not last_problem:
            last_problem = problem
            if span > 1:
                sheet.merged_cells.extend(f"{c}{row}:{c}{row + span - 1}" for c in merged_columns)
        fill = LEVEL_FILLS.get(levels(measure)) if levels and measure else None
        sheet.append([cells.make(values.get(name), name, fill if name == "deadline" else None)
                      for name in fields])
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(fields))}{max(row, 3)}"


def _flat_sheet(sheet: Any, ledger: Ledger, group: str, levels: Levels | None,
                fields: list[str]) -> None:
    _setup_sheet(sheet, 1, fields)
    _header_row(sheet, [COLUMNS[name] for name in fields])
    cells = _Cells(sheet, styled=False)
    row = 1
    for _problem, _span, values, measure in _rows(ledger, group):
        row += 1
        fill = LEVEL_FILLS.get(levels(measure)) if levels and measure else None
        sheet.append([cells.make(values.get(name), name, fill if name == "deadline" else None)
                      for name in fields])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(row, 2)}"


def _list_sheets(book: Workbook, ledger: Ledger, group: str) -> None:
    """问题清单, 任务清单 and 责任清单: what is wrong, what will be done, who answers."""
    problems = ["number", "group", "unit", "category", "problem", "immediate"]
    sheet = _new_sheet(book, "问题清单")
    _table(sheet, [*(COLUMNS[f] for f in problems), "整改措施数"], (
        [*(_problem_values(p, u, group)[f] for f in problems), len(p.measures)]
        for u in ledger.units for p in u.problems), [*problems, "number"])

    tasks = ["unit", "problem", "measure", "standard", "deadline", "status"]
    sheet = _new_sheet(book, "任务清单")
    _table(sheet, ["序号", *(COLUMNS[f] for f in tasks)], (
        [f"{p.number}-{i}" if p.number else str(i),
         *({**_problem_values(p, u, group), **_measure_values(m)}[f] for f in tasks)]
        for u in ledger.units for p in u.problems
        for i, m in enumerate(p.measures, start=1)), ["number", *tasks])

    duties = ["leader", "department", "unit", "problem", "measure", "deadline", "status"]
    rows = sorted(
        ([{**_problem_values(p, u, group), **_measure_values(m)}[f] for f in duties]
         for u in ledger.units for p in u.problems for m in p.measures),
        key=lambda values: (str(values[0]), str(values[1])))
    sheet = _new_sheet(book, "责任清单")
    _table(sheet, [COLUMNS[f] for f in duties], iter(rows), duties)


def _table(sheet: Any, header: list[str], rows: Iterable[list[Any]], fields: list[str]) -> None:
    _setup_sheet(sheet, 1, fields)
    _header_row(sheet, header)
    cells = _Cells(sheet, styled=True)
    count = 1
    for values in rows:
        count += 1
        sheet.append([cells.make(value, name) for value, name in zip(values, fields, strict=False)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(count, 2)}"


#: Output kinds by name (explicit, like xuncha.notices.writers.WRITERS).
WRITERS: dict[str, Callable[[Ledger], bytes]] = {
    "ledger": write_ledger,
    "lists": write_lists,
}
