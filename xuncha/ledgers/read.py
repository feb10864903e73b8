"""Read the 整改台账 offices already keep, not only our own export.

What varies between offices, and how it is met:

- title rows above the header: the header row is the row (among the first 30) whose cells
  name the most known columns (vocabulary.HEADER_SYNONYMS);
- two-row headers ("责任" over "责任领导 | 责任部门"): the row above or below is folded in
  when it names further columns;
- problem cells merged over the rows of their measures: merged ranges are read from the
  sheet's XML (openpyxl's streaming mode does not expose them) and their value fills every
  cell they cover; a merge anchor marks one problem;
- one sheet per unit (unit from a title row or the sheet name) or all units on one sheet
  (a 被巡察单位 column);
- blank spacer rows, 合计 rows, category headings ("一、政治建设方面") and notes under the
  table ("填表说明：…", "填报人：…", which end the table).

The workbook is streamed (openpyxl read_only), so memory stays bounded for large files.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from xuncha.ledgers.cells import sheet_rows
from xuncha.ledgers.model import (
    COLUMNS,
    SYSTEM_COLUMNS,
    Finding,
    Ledger,
    LedgerError,
    Measure,
    Problem,
    Source,
)
from xuncha.ledgers.values import (
    cell_text,
    header_forms,
    parse_date,
    parse_deadline,
    parse_status,
    parse_yes,
)
from xuncha.ledgers.vocabulary import (
    FOOTER_PREFIXES,
    GENERIC_SHEET_NAMES,
    HEADER_KEYWORDS,
    HEADER_SYNONYMS,
    KEYWORD_HEADER_MAX,
    TOTAL_WORDS,
)

_SYSTEM_HEADERS = frozenset(SYSTEM_COLUMNS.values())
#: How many rows from the top may hold titles before the header.
HEADER_SCAN_ROWS = 30

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"),
                      "EncryptedPackage".encode("utf-16-le"))
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
_UNIT_LINE = re.compile(r"(?:填报|责任|整改)?单位(?:名称)?[:：]\s*([^\s（(:：]{2,40})")
_UNIT_TITLE = re.compile(r"^((?:中共)?[\u4e00-\u9fa5]{2,40}?(?:党委|党工委|党组|党总支|党支部|"
                         r"委员会|工作委员会))(?:落实|关于|巡察|整改|反馈|贯彻)")
_UNIT_HEADING = re.compile(r"^((?:中共)?[\u4e00-\u9fa5]{2,40}?(?:党委|党工委|党组|党总支|党支部|"
                           r"委员会))(?:[(（].*)?$")
_SYNONYMS = {name: key for key, names in HEADER_SYNONYMS.items() for name in names}


#: A label with its value ("填报时间：2024年3月5日") or a number is a line above the table.
_NOT_A_HEADER = re.compile(r"[:：\d]|数$|数量|个数|次数|人数")


def _match_words(values: list[Any], matches: dict[int, str]) -> None:
    """Add to ``matches`` (column -> field) the header cells read by their words, for fields
    not matched yet."""
    for col, value in enumerate(values, start=1):
        if col in matches or not isinstance(value, str):
            continue
        key = header_by_keywords(header_forms(value)[-1])
        if key is not None and key not in matches.values():
            matches[col] = key


def header_by_keywords(key: str) -> str | None:
    """The field a header not in the synonyms names by its words (vocabulary.HEADER_KEYWORDS):
    牵头科室 → 责任部门, 整改完成时间节点 → 完成时限. None for long cells, cells with a colon
    or a digit, counts (措施数) and unknown words."""
    if not key or len(key) > KEYWORD_HEADER_MAX or _NOT_A_HEADER.search(key):
        return None
    for field_name, words, also in HEADER_KEYWORDS:
        if any(word in key for word in words) and (not also or any(w in key for w in also)):
            return field_name
    return None


@dataclass(frozen=True)
class Column:
    """A ledger field's column in a sheet: its letter and its header as written."""

    letter: str
    header: str


@dataclass
class SheetMapping:
    """What the reader decided about one sheet; the preview shows it for correction."""

    #: First and last header row (equal for a one-row header).
    header_rows: tuple[int, int]
    #: field (see model.COLUMNS) -> column.
    columns: dict[str, Column]
    #: The unit for rows without a 被巡察单位 cell, and where it came from.
    unit: str = ""
    unit_from: str = ""
    #: Every header cell by letter, so a correction can name any of them.
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadResult:
    """A parsed ledger, the column mapping chosen per sheet, and what was noticed on the way."""

    ledger: Ledger
    mappings: dict[str, SheetMapping]
    findings: list[Finding]


#: Caller's corrections: sheet name -> {field: column letter, or None to ignore the field}.
Overrides = dict[str, dict[str, str | None]]


def read_ledger(data: bytes, filename: str = "", *, overrides: Overrides | None = None,
                default_unit: str = "") -> ReadResult:
    """Parse a ledger workbook (.xlsx bytes).

    `overrides` corrects the column mapping per sheet; `default_unit` names the unit where
    neither a column, a title row nor the sheet name does. Raises LedgerError, with one line
    in Chinese, for a file that is not a readable ledger; anything it can read past is
    reported in ``findings`` instead.
    """
    archive = _open_archive(data, filename)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken packages
        raise LedgerError(f"无法读取工作簿（{type(error).__name__}），文件可能已损坏",
                          file=filename) from error
    reader = _Reader(archive, filename, overrides or {}, default_unit)
    try:
        for sheet in book.worksheets:
            reader.read_sheet(book, sheet)
    finally:
        book.close()
    return reader.finish()


def check_workbook(data: bytes, filename: str = "") -> None:
    """The quick part of read_ledger's refusals: LedgerError unless `data` is an xlsx package
    (not empty, no password, not .xls, CSV, HTML or Word). Whether its sheets hold a ledger
    only reading them tells."""
    _open_archive(data, filename).close()


def _open_archive(data: bytes, filename: str) -> zipfile.ZipFile:
    """The xlsx package, or the one line saying why this file is not one."""
    if not data:
        raise LedgerError("文件是空的（0 字节）", file=filename)
    if data.startswith(_OLE_SIGNATURE):
        if any(marker in data for marker in _ENCRYPTED_MARKERS):
            raise LedgerError("文件设置了打开密码（已加密），请在 Excel 或 WPS 中取消密码后再导入",
                              file=filename)
        raise LedgerError("这是旧版 Excel（.xls）文件，请另存为 .xlsx 后再导入", file=filename)
    if not data.startswith(b"PK"):
        head = data[:512].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
            raise LedgerError("这是网页或 XML 文件（常见于系统导出的假 .xls），请用 Excel 另存为 "
                              ".xlsx 后再导入", file=filename)
        if b"," in head or b"\t" in head:
            raise LedgerError("这是 CSV 或文本文件，不是 Excel 工作簿，请另存为 .xlsx 后再导入",
                              file=filename)
        raise LedgerError("不是 Excel 工作簿（.xlsx）文件", file=filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise LedgerError("文件已损坏，无法作为 .xlsx 打开", file=filename) from error
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise LedgerError("这是 Word 文档，不是 Excel 工作簿", file=filename)
        raise LedgerError("不是 Excel 工作簿（.xlsx）文件", file=filename)
    return archive


def _scan(archive: zipfile.ZipFile, path: str, pattern: re.Pattern[bytes],
          first_only: bool = False) -> list[re.Match[bytes]]:
    """Matches of `pattern` in a package part, read in chunks so memory stays small."""
    found: list[re.Match[bytes]] = []
    carry = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            buffer = carry + chunk
            # Keep an incomplete tag for the next chunk: cut after the last '>'.
            cut = buffer.rfind(b">") + 1
            for match in pattern.finditer(buffer, 0, cut):
                found.append(match)
                if first_only:
                    return found
            carry = buffer[cut:]
    return found


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of the sheet's merged cells, by first row."""
    ranges = []
    for match in _scan(archive, path, _MERGE):
        first_col, first_row = match[1].decode(), int(match[2])
        last_col = match[3].decode() if match[3] else first_col
        last_row = int(match[4]) if match[4] else first_row
        ranges.append((first_row, column_index_from_string(first_col), last_row,
                       column_index_from_string(last_col)))
    ranges.sort()
    return ranges


Row = tuple[int, list[Any], dict[int, tuple[int, int]]]


def _filled_rows(rows: Iterator[tuple[Any, ...]],
                 merges: list[tuple[int, int, int, int]]) -> Iterator[Row]:
    """(row number, values, merge anchors by column) with merged cells given their value."""
    pending = iter(merges)
    upcoming = next(pending, None)
    active: list[tuple[tuple[int, int, int, int], Any]] = []
    for number, raw in enumerate(rows, start=1):
        values = list(raw)
        anchors: dict[int, tuple[int, int]] = {}
        while upcoming is not None and upcoming[0] <= number:
            if upcoming[0] == number:
                col = upcoming[1]
                active.append((upcoming, values[col - 1] if col <= len(values) else None))
            upcoming = next(pending, None)
        if active:
            active = [(span, value) for span, value in active if span[2] >= number]
            for (top, left, _bottom, right), value in active:
                if right > len(values):
                    values.extend([None] * (right - len(values)))
                for col in range(left, right + 1):
                    values[col - 1] = value
                    anchors[col] = (top, left)
        yield number, values, anchors


def _is_column_numbers(texts: list[str]) -> bool:
    """A row "1 2 3 4 …" under the header, as official forms number their columns."""
    return len(texts) >= 3 and texts == [str(n) for n in range(1, len(texts) + 1)]


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, filename: str, overrides: Overrides,
                 default_unit: str) -> None:
        self.archive = archive
        self.filename = filename
        self.overrides = overrides
        self.default_unit = default_unit
        self.ledger = Ledger()
        self.mappings: dict[str, SheetMapping] = {}
        self.findings: list[Finding] = []
        self.seen: set[tuple[str, str]] = set()
        self.any_cell = False
        self.headerless: list[str] = []
        self.paths: list[str] = []
        self.problemless: list[str] = []

    def note(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.findings.append(Finding(sheet, row, column, reason))

    # -- one sheet ------------------------------------------------------------------------
    def read_sheet(self, book: Any, sheet: Any) -> None:
        title = sheet.title
        if sheet.sheet_state != "visible":
            self.note(title, None, "", "隐藏的工作表，已跳过")
            return
        path = sheet._worksheet_path  # openpyxl keeps the part name only privately
        self.paths.append(path)
        rows = _filled_rows(sheet_rows(self.archive, book, sheet),
                            _merged_ranges(self.archive, path))
        head = list(islice(rows, HEADER_SCAN_ROWS))
        if any(any(v not in (None, "") for v in values) for _, values, _ in head):
            self.any_cell = True
        mapping = self._find_header(title, head)
        if mapping is None:
            if self.any_cell:
                self.headerless.append(title)
            return
        self._apply_overrides(title, mapping)
        if "problem" not in mapping.columns:
            self.problemless.append(title)
            self.note(title, mapping.header_rows[1], "",
                      "没有“反馈问题”列（也叫存在问题、问题表现），本表未导入")
            return
        self._find_unit(title, head, mapping)
        self.mappings[title] = mapping
        body = chain((row for row in head if row[0] > mapping.header_rows[1]), rows)
        problems = self._read_body(title, mapping, body)
        if not problems:
            if self._has_formulas(path):
                raise LedgerError("数据单元格只有公式、没有计算结果，请用 Excel 或 WPS 打开并保存"
                                  "一次后再导入", file=self.filename, sheet=title)
            self.note(title, None, "", "表头下没有数据")
            return
        if all((unit, problem.text) in self.seen for unit, problem in problems):
            self.note(title, None, "", "内容与前面的工作表重复（如逐行表或清单），已跳过")
            del self.mappings[title]
            return
        for unit, problem in problems:
            self.seen.add((unit, problem.text))
            self.ledger.unit(unit).problems.append(problem)

    def _has_formulas(self, path: str) -> bool:
        return bool(_scan(self.archive, path, _FORMULA, first_only=True))

    def _find_header(self, title: str, head: list[Row]) -> SheetMapping | None:
        scored = [(self._match_row(values), number, values) for number, values, _ in head]
        if not scored:
            return None
        best = max(scored, key=lambda item: (len(set(item[0].values())), -item[1]))
        if len(set(best[0].values())) < 2:
            # No row has two known names: read the headers by their words (data cells too
            # may hold such words, so only when the known names find nothing).
            worded = [(self._match_row(values, words=True), number, values)
                      for number, values, _ in head]
            best = max(worded, key=lambda item: (len(set(item[0].values())), -item[1]))
        matches, number, values = best
        if len(set(matches.values())) < 2:
            return None
        index = number - head[0][0]
        header_rows = (number, number)
        fields = dict(matches)
        texts = {col: cell_text(v) for col, v in enumerate(values, start=1)}
        # A second header row above or below names columns the best row only groups
        # ("责任" over "责任领导 | 责任部门"); the lower row's names win.
        for other in (index - 1, index + 1):
            if not 0 <= other < len(scored):
                continue
            other_matches, other_number, other_values = scored[other]
            if len(set(other_matches.values())) < 2:
                continue
            upper, lower = sorted([(number, matches, values),
                                   (other_number, other_matches, other_values)],
                                  key=lambda item: item[0])
            fields = {**upper[1], **lower[1]}
            texts = {}
            for col in range(1, max(len(upper[2]), len(lower[2])) + 1):
                top = cell_text(upper[2][col - 1]) if col <= len(upper[2]) else ""
                low = cell_text(lower[2][col - 1]) if col <= len(lower[2]) else ""
                texts[col] = top if col in upper[1] and col not in lower[1] else (low or top)
            header_rows = (upper[0], lower[0])
            break
        # Headers no synonym names are read by their words, for the fields still missing.
        _match_words([texts.get(col, "") for col in range(1, max(texts, default=0) + 1)], fields)
        columns: dict[str, Column] = {}
        for col in sorted(fields):
            key = fields[col]
            letter = get_column_letter(col)
            if key in columns:
                self.note(title, header_rows[1], letter,
                          f"“{texts.get(col, '')}”也像“{COLUMNS[key]}”列，已使用"
                          f"{columns[key].letter}列，本列忽略")
                continue
            columns[key] = Column(letter, texts.get(col, ""))
        headers = {get_column_letter(col): text for col, text in texts.items() if text}
        for letter, text in headers.items():
            if text in _SYSTEM_HEADERS:
                continue  # written by our own export (质量提示): nothing to read back
            if all(column.letter != letter for column in columns.values()):
                self.note(title, header_rows[1], letter, f"未识别的列“{text}”，已忽略")
        return SheetMapping(header_rows, columns, headers=headers)

    @staticmethod
    def _match_row(values: list[Any], words: bool = False) -> dict[int, str]:
        matches: dict[int, str] = {}
        for col, value in enumerate(values, start=1):
            if not isinstance(value, str):
                continue
            for form in header_forms(value):
                key = _SYNONYMS.get(form)
                if key is not None:
                    matches[col] = key
                    break
        if words:
            _match_words(values, matches)
        return matches

    def _apply_overrides(self, title: str, mapping: SheetMapping) -> None:
        for key, letter in self.overrides.get(title, {}).items():
            if key not in COLUMNS:
                raise LedgerError(f"未知的列名“{key}”", file=self.filename, sheet=title)
            if not letter:
                mapping.columns.pop(key, None)
                continue
            letter = letter.strip().upper()
            if not re.fullmatch(r"[A-Z]{1,3}", letter):
                raise LedgerError(f"“{COLUMNS[key]}”的列号“{letter}”无效", file=self.filename,
                                  sheet=title)
            for other, column in list(mapping.columns.items()):
                if column.letter == letter and other != key:
                    del mapping.columns[other]
            mapping.columns[key] = Column(letter, mapping.headers.get(letter, ""))
        if self.overrides.get(title):
            # A column the user has now given a field is no longer "ignored".
            used = {column.letter for column in mapping.columns.values()}
            self.findings = [f for f in self.findings if not (
                f.sheet == title and f.row == mapping.header_rows[1] and f.column in used)]

    def _find_unit(self, title: str, head: list[Row], mapping: SheetMapping) -> None:
        texts = [cell_text(v) for number, values, _ in head if number < mapping.header_rows[0]
                 for v in dict.fromkeys(values) if cell_text(v)]
        for text in texts:
            if (match := _UNIT_LINE.search(text)) and "巡察" not in match[1]:
                mapping.unit, mapping.unit_from = match[1], "标题行"
                break
        else:
            for text in texts:
                if match := _UNIT_TITLE.match(text):
                    mapping.unit, mapping.unit_from = match[1], "标题行"
                    break
            else:
                name = title.strip()
                generic = name.lower().startswith(GENERIC_SHEET_NAMES) or name.isdigit()
                if name and not generic:
                    mapping.unit, mapping.unit_from = name, "工作表名"
                elif self.default_unit:
                    mapping.unit, mapping.unit_from = self.default_unit, "导入时指定"
        if not self.ledger.title:
            titled = [t for t in texts if "台账" in t] or [t for t in texts if len(t) >= 8]
            if titled:
                self.ledger.title = titled[0]

    # -- the rows under the header ----------------------------------------------------------
    def _read_body(self, title: str, mapping: SheetMapping,
                   rows: Iterator[Row]) -> list[tuple[str, Problem]]:
        columns = {key: column_index_from_string(c.letter) - 1
                   for key, c in mapping.columns.items()}
        letters = {key: c.letter for key, c in mapping.columns.items()}
        problem_col = columns["problem"]
        measure_fields = [key for key in ("measure", "leader", "department", "deadline",
                                          "standard", "progress", "status", "signed_off_on",
                                          "evidence", "notes") if key in columns]
        problems: list[tuple[str, Problem]] = []
        current: Problem | None = None
        current_anchor: tuple[int, int] | None = None
        current_unit = ""
        row_unit = mapping.unit
        category = ""
        unit_missing_noted = False
        width = max(columns.values()) + 1

        for number, values, anchors in rows:
            if len(values) < width:
                values = values + [None] * (width - len(values))
            texts = [cell_text(v) for v in values]
            present = [t for t in texts if t]
            if not present:
                continue
            distinct = list(dict.fromkeys(present))
            first = distinct[0].replace(" ", "").replace("\u3000", "")
            if first.startswith(FOOTER_PREFIXES) and len(distinct) <= 2:
                break
            if first.startswith(TOTAL_WORDS):
                continue
            if _is_column_numbers(distinct):
                continue
            if len(distinct) == 1 and (present.count(distinct[0]) >= 3 or (
                    _HEADING.match(first) and len(first) <= 40)):
                heading = _HEADING.sub("", first)
                unit = _UNIT_HEADING.match(heading)
                if unit:
                    row_unit = unit[1]
                else:
                    category = heading
                current = None
                continue

            def get(key: str, texts: list[str] = texts) -> str:
                return texts[columns[key]] if key in columns else ""

            if "unit" in columns and get("unit"):
                row_unit = get("unit")
            if not row_unit and not unit_missing_noted:
                self.note(title, number, letters.get("unit", ""),
                          "无法确定被巡察单位（没有单位列、标题或工作表名），请在导入时指定")
                unit_missing_noted = True
            problem_text = texts[problem_col]
            anchor = anchors.get(problem_col + 1)
            if problem_text:
                # Merged: the same merge is the same problem. Not merged: the same text again
                # (a flat sheet repeats it on each measure row, numbered 1 or 1-1, 1-2 …).
                same = (current is not None and row_unit == current_unit and (
                    (anchor is not None and anchor == current_anchor)
                    or (anchor is None and current_anchor is None
                        and problem_text == current.text)))
                if not same:
                    current = Problem(
                        text=problem_text, number=get("number"), group=get("group"),
                        category=get("category") or category,
                        immediate=parse_yes(values[columns["immediate"]])
                        if "immediate" in columns else False,
                        source=Source(title, number))
                    current_anchor, current_unit = anchor, row_unit
                    problems.append((row_unit, current))
            elif current is None:
                self.note(title, number, letters["problem"],
                          "此行没有反馈问题，也不在某个问题之下，已跳过")
                continue
            if any(texts[columns[key]] for key in measure_fields):
                assert current is not None  # noqa: S101 - set above or skipped
                current.measures.append(self._measure(title, number, values, texts, columns,
                                                      letters))
        return problems

    def _measure(self, title: str, number: int, values: list[Any], texts: list[str],
                 columns: dict[str, int], letters: dict[str, str]) -> Measure:
        def text(key: str) -> str:
            return texts[columns[key]] if key in columns else ""

        measure = Measure(
            content=text("measure"), leader=text("leader"), department=text("department"),
            standard=text("standard"), progress=text("progress"), evidence=text("evidence"),
            notes=text("notes"), status_text=text("status"), source=Source(title, number))
        if "deadline" in columns:
            measure.deadline, warning = parse_deadline(values[columns["deadline"]])
            if warning:
                self.note(title, number, letters["deadline"], warning)
        if "status" in columns:
            measure.status, warning = parse_status(values[columns["status"]])
            if warning:
                self.note(title, number, letters["status"], warning)
        if "signed_off_on" in columns:
            measure.signed_off_on, warning = parse_date(values[columns["signed_off_on"]])
            if warning and not measure.signed_off_on and "销号" in text("signed_off_on"):
                warning = ""  # "已销号" written without a date says nothing more
            if warning:
                self.note(title, number, letters["signed_off_on"], warning)
        if not measure.content:
            self.note(title, number, letters.get("measure", ""), "整改措施为空")
        return measure

    def finish(self) -> ReadResult:
        if not self.mappings:
            if not self.any_cell:
                if any(self._has_formulas(path) for path in self.paths):
                    raise LedgerError("单元格只有公式、没有计算结果，请用 Excel 或 WPS 打开并保存"
                                      "一次后再导入", file=self.filename)
                raise LedgerError("工作簿里没有任何内容", file=self.filename)
            if self.problemless and not self.headerless:
                raise LedgerError("表头里没有“反馈问题”列（也叫存在问题、问题表现），无法导入",
                                  file=self.filename, sheet=self.problemless[0])
            sheets = "、".join(self.headerless) or "各工作表"
            raise LedgerError(
                f"在{sheets}的前{HEADER_SCAN_ROWS}行没有找到可识别的表头（至少要有“反馈问题”"
                "和“整改措施”“完成时限”等列名中的两个）", file=self.filename)
        if not self.ledger.units:
            raise LedgerError("表头下没有任何数据", file=self.filename)
        return ReadResult(self.ledger, self.mappings, self.findings)
