"""Cell values straight from sheet XML: every kind of cell Excel and WPS write."""

from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import load_workbook

from xuncha.ledgers.cells import sheet_rows
from xuncha.ledgers.xlsx import Book, Style

SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c>
<c r="C1" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>
<row r="3"><c r="A3"><v>42</v></c><c r="B3"><v>2.5</v></c><c r="C3" t="b"><v>1</v></c>
<c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="str"><f>A1&amp;"x"</f><v>反馈问题x</v></c>
<c r="F3"><f>A3*2</f></c><c r="G3" s="1"><v>45382</v></c>
<c r="H3" t="d"><v>2024-03-31T00:00:00</v></c></row>
</sheetData></worksheet>"""


def workbook_with_sheet_xml() -> bytes:
    buffer = io.BytesIO()
    book = Book(buffer)
    sheet = book.add_sheet("Sheet1", [10])
    # Shared string 0 and cell style 1 (a date) for the hand-written sheet below.
    sheet.append([("反馈问题", 0), (None, book.style(Style(date=True)))])
    book.close()
    data = buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = SHEET.encode()
            target.writestr(item, body)
    return out.getvalue()


def test_every_kind_of_cell() -> None:
    data = workbook_with_sheet_xml()
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = list(sheet_rows(archive, book, book.active))

    assert rows[0] == ("反馈问题", None, "富文本")
    assert rows[1] == ()
    midnight = datetime.datetime(2024, 3, 31)  # noqa: DTZ001 - Excel dates have no zone
    assert rows[2] == (42, 2.5, True, "#N/A", "反馈问题x", None, midnight, midnight)
    # The same values openpyxl itself gives, cell for cell.
    openpyxl_rows = [tuple(row) for row in book.active.iter_rows(values_only=True)]
    assert [v for v in rows[2]] == [v for v in openpyxl_rows[2]]
