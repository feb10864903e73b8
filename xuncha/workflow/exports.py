"""The overdue board as a spreadsheet (.xlsx), the office's habitual format."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from xuncha.inspections.models import Measure
from xuncha.sheets_safe import text_cells
from xuncha.workflow.deadlines import BoardRow, Level, level

_BOLD = Font(bold=True)
_FILLS = {
    Level.OVERDUE: PatternFill("solid", fgColor="F8D7DA"),
    Level.WARNING: PatternFill("solid", fgColor="FFE8B3"),
    Level.NOTICE: PatternFill("solid", fgColor="FFF6D6"),
}


def board_xlsx(
    rows: list[BoardRow], measures: Iterable[Measure], today: datetime.date, *, by: str,
    progress: Callable[[int, int], None] | None = None, total: int = 0,
) -> bytes:
    """Two sheets: the counts per unit or leader, and every measure behind them; `progress`
    is told (rows written, `total`) as the detail is written (a background job's bar).

    Written in openpyxl's write-only mode from a streamed query: a province's board has
    hundreds of thousands of rows, which the default mode would hold as cell objects.
    """
    book = Workbook(write_only=True)
    summary = book.create_sheet("汇总")
    detail = book.create_sheet("明细")
    for sheet in (summary, detail):
        sheet.freeze_panes = "A2"
    first = "被巡察单位" if by == "unit" else "责任领导"
    summary.append(_header(summary, [first, "涉及单位", "已逾期", "即将到期", "临近时限", "合计",
                                     "最早时限", "整改方案逾期"]))
    for row in rows:
        summary.append(text_cells(summary, [
            row.key, row.unit, row.overdue, row.warning, row.notice, row.total, row.oldest_due,
            row.late_plans,
        ]))
    detail.append(_header(detail, ["被巡察单位", "反馈问题", "整改措施", "责任领导", "责任部门",
                                   "完成时限", "状态", "预警级别"]))
    if isinstance(measures, QuerySet):
        measures = measures.iterator(chunk_size=2000)
    for written, measure in enumerate(measures, start=1):
        if progress is not None and written % 1000 == 0:
            progress(min(written, max(total - 1, 0)), total)
        urgency = level(measure.due_date, today)
        values = [
            measure.problem.unit.name, measure.problem.text, measure.content,
            measure.leader, measure.department, measure.due_date,
            measure.get_status_display(), urgency.label,
        ]
        detail.append(text_cells(detail, values, fill=_FILLS.get(urgency)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Any, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _BOLD
        cells.append(cell)
    return cells
