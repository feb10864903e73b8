"""A dashboard as a workbook: every table the page shows as one sheet, with the same numbers
as the page and the API (built from the same ``stats`` dict). Text cells go through
``xuncha.sheets_safe``: a unit or leader named "=…" stays text."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from xuncha.inspections.models import RectificationStatus
from xuncha.sheets_safe import text_cells


def _cells(sheet: Any, values: list[Any]) -> list[Any]:
    """A row: strings as formula-safe text cells, numbers as they are (a cell object per
    number would only cost time)."""
    return [text_cells(sheet, [v])[0] if isinstance(v, str) else v for v in values]

STATUS_LABELS = dict(RectificationStatus.choices)
LEVEL_LABELS = {"overdue": "已逾期", "warning": "即将到期", "notice": "临近时限"}
FIGURE_LABELS = {"rules": "建章立制（项）", "disciplined": "党纪政务处分（人）",
                 "organisational": "组织处理（人）", "recovered": "追缴/挽回资金（万元）"}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """The statuses worth a column: the five of the completion breakdown, and any other that
    occurs."""
    wanted = ["signed_off", "long_term", "basically_done", "in_progress", "not_started"]
    extra = [code for code in STATUS_LABELS if code not in wanted
             and any(row["statuses"].get(code) for row in rows)]
    return wanted + extra


def _rate(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 2)


def stats_xlsx(stats: dict[str, Any], sheets: dict[str, str], title: str) -> bytes:
    """``sheets`` maps a breakdown of ``stats`` to its sheet's name (e.g. "unit" -> "按单位")."""
    book = Workbook(write_only=True)
    everything = [stats["totals"], *(row for name in sheets for row in stats[name])]
    statuses = _columns(everything)
    header = ["名称", "问题数", *(STATUS_LABELS[code] for code in statuses),
              "整改完成率(%)", "销号率(%)", *LEVEL_LABELS.values(), "整改方案逾期"]

    def line(row: dict[str, Any], label: str | None = None) -> list[Any]:
        return [label or row["label"], row["total"],
                *(row["statuses"].get(code, 0) for code in statuses),
                _rate(row["completion_rate"]), _rate(row["signed_off_rate"]),
                *(row["levels"][name] for name in LEVEL_LABELS), row["late_plans"]]

    sheet = book.create_sheet("合计")
    sheet.append(text_cells(sheet, [title]))
    sheet.append(text_cells(sheet, [f"统计日期 {stats['today']}"]))
    sheet.append(text_cells(sheet, header))
    sheet.append(text_cells(sheet, line(stats["totals"], "合计")))
    sheet.append([])
    sheet.append(text_cells(sheet, ["整改成效", *FIGURE_LABELS.values()]))
    sheet.append(text_cells(sheet, ["合计", *_figures(stats["figures"])]))
    for name, sheet_name in sheets.items():
        sheet = book.create_sheet(sheet_name)
        with_figures = any("figures" in row for row in stats[name])
        with_recurrence = any("recurrence" in row for row in stats[name])
        sheet.append(text_cells(sheet, header
                                + (list(FIGURE_LABELS.values()) if with_figures else [])
                                + (["屡查屡犯"] if with_recurrence else [])))
        for row in stats[name]:
            figures = _figures(row["figures"]) if with_figures and "figures" in row else []
            recurrence = [row.get("recurrence", 0)] if with_recurrence else []
            sheet.append(_cells(sheet, line(row) + figures + recurrence))
    sheet = book.create_sheet("销号趋势")
    sheet.append(text_cells(sheet, ["周（周一）", "本周销号", "本周到期", "累计销号", "累计到期"]))
    for week in stats["trend"]:
        sheet.append(_cells(sheet, [week["week"], week["signed_off"], week["due"],
                                    week["cum_signed_off"], week["cum_due"]]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _figures(figures: dict[str, Any]) -> list[Any]:
    return [figures["rules"], figures["disciplined"], figures["organisational"],
            float(figures["recovered"])]
