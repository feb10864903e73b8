"""A small streaming .xlsx writer: exactly the parts a ledger needs, written as XML directly.

Why not openpyxl here: even in write-only mode it builds an object per cell and spends most of
its time on style look-ups; 100,000 ledger rows (two sheets of 16 columns) took minutes. This
writer streams each row's XML into the zip as it goes, shares strings like Excel does, and
knows a dozen cell styles. openpyxl still reads everything (and the tests reopen what this
writes with openpyxl and LibreOffice).

Every string is written as a shared string (t="s"): the format has no way for a value written
here to become a formula.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime.date(1899, 12, 30)
# XML readers turn a bare CR into LF; keep it as written.
_ENTITIES = {"\r": "&#13;"}
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_FONT_NAME = "宋体"


@dataclass(frozen=True)
class Style:
    """A cell's look: the few things a ledger uses."""

    bold: bool = False
    size: int = 11
    fill: str = ""  # RGB hex, e.g. "F8D7DA"
    border: bool = False
    wrap: bool = False
    horizontal: str = ""  # "", "center"
    date: bool = False  # yyyy-mm-dd
    quote: bool = False  # Excel's quote prefix: the text stays text when edited


def clean(text: str) -> str:
    """Text without the control characters XML cannot carry."""
    return _ILLEGAL.sub("", text)


@dataclass
class Sheet:
    """One worksheet being written; rows go straight to the zip."""

    book: Book
    name: str
    stream: IO[bytes]
    index: int
    row: int = 0
    width: int = 0
    merges: list[str] = field(default_factory=list)
    autofilter: str = ""
    print_title_rows: int = 0

    def append(self, cells: Sequence[tuple[Any, int] | None], height: float | None = None) -> None:
        """A row of (value, style id) cells; None leaves a cell out. Values: str, int, float,
        bool, date/datetime or None (a styled blank)."""
        self.row += 1
        row = self.row
        letters = self.book.letters
        strings = self.book.string_index
        parts = [f'<row r="{row}"' + (f' ht="{height}" customHeight="1">' if height else ">")]
        for col, cell in enumerate(cells):
            if cell is None:
                continue
            value, style = cell
            ref = f"{letters(col)}{row}"
            if value is None or value == "":
                if style:
                    parts.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, str):
                parts.append(f'<c r="{ref}" s="{style}" t="s"><v>{strings(value)}</v></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                parts.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
            elif isinstance(value, datetime.date):
                day = value.date() if isinstance(value, datetime.datetime) else value
                parts.append(f'<c r="{ref}" s="{style}"><v>{(day - _EPOCH).days}</v></c>')
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
        parts.append("</row>")
        self.width = max(self.width, len(cells))
        self.stream.write("".join(parts).encode())

    def close(self) -> None:
        tail = ["</sheetData>"]
        if self.autofilter:
            tail.append(f'<autoFilter ref="{self.autofilter}"/>')
        if self.merges:
            tail.append(f'<mergeCells count="{len(self.merges)}">')
            tail.extend(f'<mergeCell ref="{ref}"/>' for ref in self.merges)
            tail.append("</mergeCells>")
        tail.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
                    'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" '
                    'fitToWidth="1" fitToHeight="0"/><headerFooter><oddFooter>'
                    "&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>")
        self.stream.write("".join(tail).encode())
        self.stream.close()


class Book:
    """An .xlsx package written to `target` (a path or a binary file object)."""

    def __init__(self, target: Any, compresslevel: int = 3) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self.styles: dict[Style, int] = {Style(): 0}
        self.strings: dict[str, int] = {}
        self.sheets: list[Sheet] = []
        self._letters: list[str] = []
        self.current: Sheet | None = None

    def letters(self, col: int) -> str:
        while col >= len(self._letters):
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters[col]

    def string_index(self, text: str) -> int:
        index = self.strings.get(text)
        if index is None:
            index = self.strings[text] = len(self.strings)
        return index

    def style(self, style: Style) -> int:
        """The id of a cell style, registered on first use."""
        index = self.styles.get(style)
        if index is None:
            index = self.styles[style] = len(self.styles)
        return index

    def add_sheet(self, name: str, widths: Iterable[float], freeze_rows: int = 0,
                  print_title_rows: int = 0, rows: int = 0) -> Sheet:
        """Start a sheet (the previous one is closed): column widths, frozen top rows.

        `rows`, when known, goes into the sheet's <dimension>; without one, readers such as
        openpyxl scan the whole sheet just to size it.
        """
        if self.current is not None:
            self.current.close()
        index = len(self.sheets) + 1
        stream = self.zip.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        sheet = Sheet(self, name, stream, index, print_title_rows=print_title_rows)
        selected = ' tabSelected="1"' if index == 1 else ""
        widths = list(widths)
        dimension = (f'<dimension ref="A1:{get_column_letter(max(len(widths), 1))}{rows}"/>'
                     if rows else "")
        head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                f"<worksheet {_NS} {_RNS}>",
                f'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>{dimension}<sheetViews>',
                f'<sheetView workbookViewId="0"{selected}>']
        if freeze_rows:
            top = f"A{freeze_rows + 1}"
            head.append(f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft"'
                        f' state="frozen"/><selection pane="bottomLeft" activeCell="{top}" '
                        f'sqref="{top}"/>')
        head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>')
        head.extend(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
                    for n, w in enumerate(widths, start=1))
        head.append("</cols><sheetData>")
        stream.write("".join(head).encode())
        self.sheets.append(sheet)
        self.current = sheet
        return sheet

    def close(self) -> None:
        """Finish the last sheet and write the package's other parts."""
        if self.current is not None:
            self.current.close()
            self.current = None
        write = self.zip.writestr
        count = len(self.sheets)
        write("[Content_Types].xml", _content_types(count))
        write("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
              f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        write("xl/workbook.xml", self._workbook())
        rels = [f'<Relationship Id="rId{s.index}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{s.index}.xml"/>' for s in self.sheets]
        rels.append(f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" '
                    'Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
                    'Target="sharedStrings.xml"/>')
        write("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" '
              f'standalone="yes"?><Relationships xmlns="{_PKG_REL}">{"".join(rels)}'
              "</Relationships>")
        write("xl/styles.xml", _styles(list(self.styles)))
        with self.zip.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {_NS} '
                         f'count="{len(self.strings)}" uniqueCount="{len(self.strings)}">'.encode())
            batch: list[str] = []
            for text in self.strings:
                space = ' xml:space="preserve"' if text != text.strip() else ""
                batch.append(f"<si><t{space}>{escape(text, _ENTITIES)}</t></si>")
                if len(batch) >= 4096:
                    stream.write("".join(batch).encode())
                    batch.clear()
            stream.write(("".join(batch) + "</sst>").encode())
        self.zip.close()

    def _workbook(self) -> str:
        sheets = "".join(f"<sheet name={quoteattr(s.name)} sheetId=\"{s.index}\" "
                         f'r:id="rId{s.index}"/>' for s in self.sheets)
        names = []
        for position, sheet in enumerate(self.sheets):
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            if sheet.autofilter:
                first, last = sheet.autofilter.split(":")
                ref = f"{quoted}!${_split(first)}:${_split(last)}"
                names.append(f'<definedName name="_xlnm._FilterDatabase" '
                             f'localSheetId="{position}" hidden="1">{escape(ref)}</definedName>')
            if sheet.print_title_rows:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{position}">'
                             f"{escape(quoted)}!$1:${sheet.print_title_rows}</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f"<workbook {_NS} {_RNS}><bookViews><workbookView/></bookViews>"
                f"<sheets>{sheets}</sheets>{defined}</workbook>")


def _split(ref: str) -> str:
    """"A2" -> "A$2" (the dollar before the column is added by the caller)."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match is not None  # noqa: S101 - refs are ours
    return f"{match[1]}${match[2]}"


def _content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                     f'ContentType="{_CT}.worksheet+xml"/>' for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            f"{sheets}</Types>")


def _styles(styles: list[Style]) -> str:
    fonts: dict[tuple[bool, int], int] = {}
    fills: dict[str, int] = {}
    xfs = []
    for style in styles:
        font = fonts.setdefault((style.bold, style.size), len(fonts))
        fill = fills.setdefault(style.fill, len(fills) + 2) if style.fill else 0
        attrs = (f'numFmtId="{164 if style.date else 0}" fontId="{font}" fillId="{fill}" '
                 f'borderId="{1 if style.border else 0}" xfId="0"')
        attrs += ' applyNumberFormat="1"' if style.date else ""
        attrs += ' applyFont="1"' if font else ""
        attrs += ' applyFill="1"' if fill else ""
        attrs += ' applyBorder="1"' if style.border else ""
        attrs += ' quotePrefix="1"' if style.quote else ""
        if style.wrap or style.horizontal:
            horizontal = f' horizontal="{style.horizontal}"' if style.horizontal else ""
            wrap = ' wrapText="1"' if style.wrap else ""
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment{horizontal} '
                       f'vertical="center"{wrap}/></xf>')
        else:
            xfs.append(f"<xf {attrs}/>")
    font_xml = "".join(f'<font>{"<b/>" if bold else ""}<sz val="{size}"/>'
                       f'<name val="{_FONT_NAME}"/><charset val="134"/></font>'
                       for (bold, size) in fonts)
    fill_xml = ('<fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill>'
                + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                          '<bgColor indexed="64"/></patternFill></fill>' for rgb in fills))
    thin = '<{0} style="thin"><color rgb="FF808080"/></{0}>'
    border_xml = ("<border><left/><right/><top/><bottom/><diagonal/></border><border>"
                  + "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
                  + "<diagonal/></border>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet {_NS}><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="yyyy-mm-dd"/></numFmts>'
            f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills) + 2}">{fill_xml}</fills>'
            f'<borders count="2">{border_xml}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>")
