"""Cells of spreadsheets we write: user text never becomes a formula.

Pure Python over openpyxl, no Django. openpyxl stores a string that starts with "=" as a formula,
and Excel or WPS may evaluate text that starts with + - @ (or a tab or carriage return before
them) once someone edits the cell: a problem's text "=HYPERLINK(...)" typed by a unit must reach
the office's spreadsheet as that text, not as a link that runs when clicked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

#: What makes a spreadsheet read text as a formula, also after leading tabs/CRs/spaces.
FORMULA_STARTS = ("=", "+", "-", "@")
_LEADING = "\t\r\n "


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula."""
    return text.lstrip(_LEADING).startswith(FORMULA_STARTS) or text.startswith(("\t", "\r"))


def set_text(cell: Cell, value: Any) -> None:
    """Write ``value`` into ``cell``; a string is always stored as text, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        # The type forced back to a plain string, and the cell formatted as text so that
        # editing it in Excel keeps it text.
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.number_format = "@"


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every string then stored as text (see :func:`set_text`)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            set_text(cell, cell.value)


def text_cells(sheet: Any, values: Iterable[Any], *, fill: Any = None) -> list[Cell]:
    """A row for a write-only sheet (``Workbook(write_only=True)``), strings stored as text.

    Write-only sheets cannot be read back to fix cells after ``append``, so the cells are made
    first; ``fill`` colours the whole row.
    """
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        set_text(cell, value)
        if fill is not None:
            cell.fill = fill
        cells.append(cell)
    return cells
