"""The overdue board as a spreadsheet (.xlsx), the office's habitual format."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from xuncha.inspections.models import Measure
from xuncha.sheets_safe import append_row
from xuncha.workflow.deadlines import BoardRow, Level, level

_FILLS = {
    Level.OVERDUE: PatternFill("solid", fgColor="F8D7DA"),
    Level.WARNING: PatternFill("solid", fgColor="FFE8B3"),
    Level.NOTICE: PatternFill("solid", fgColor="FFF6D6"),
}


def board_xlsx(
    rows: list[BoardRow], measures: Iterable[Measure], today: datetime.date, *, by: str
) -> bytes:
    """Two sheets: the counts per unit or leader, and every measure behind them."""
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    first = "被巡察单位" if by == "unit" else "责任领导"
    summary.append([first, "涉及单位", "已逾期", "即将到期", "临近时限", "合计", "最早时限",
                    "整改方案逾期"])
    for row in rows:
        append_row(summary, [row.key, row.unit, row.overdue, row.warning, row.notice, row.total,
                        row.oldest_due, row.late_plans])
    detail = book.create_sheet("明细")
    detail.append(["被巡察单位", "反馈问题", "整改措施", "责任领导", "责任部门", "完成时限",
                   "状态", "预警级别"])
    for measure in measures:
        urgency = level(measure.due_date, today)
        append_row(detail, [
            measure.problem.unit.name, measure.problem.text, measure.content,
            measure.leader, measure.department, measure.due_date,
            measure.get_status_display(), urgency.label,
        ])
        fill = _FILLS.get(urgency)
        if fill is not None:
            for cell in detail[detail.max_row]:
                cell.fill = fill
    for sheet in (summary, detail):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
