"""The user-import spreadsheet (.xlsx): reading rows of users, writing the template and the
sheet of generated passwords. Pure Python over openpyxl: no Django, no database.

Rows are numbered as the spreadsheet program shows them ("第3行"), so a clerk finds the row.
Every cell this module writes is text: a password or a name that begins with = + - @ must
never turn into a formula when the sheet is opened.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xuncha.sheets_safe import set_text
from xuncha.zipguard import ArchiveError, check_archive

#: Column key -> the header the template writes (and error messages name).
COLUMNS = {
    "username": "用户名",
    "full_name": "姓名",
    "role": "角色",
    "unit": "单位",
    "group": "巡察组",
    "body": "机关",
}
# Headers clerks write for the same column, compared after normalising (see _header_key).
_ALIASES = {
    "username": {"用户名", "账号", "帐号", "登录名", "登录账号", "用户账号", "username", "user"},
    "full_name": {"姓名", "名字", "真实姓名", "用户姓名", "name", "fullname", "full_name"},
    "role": {"角色", "用户角色", "身份", "role"},
    "unit": {"单位", "被巡察单位", "所在单位", "单位名称", "被巡察党组织", "党组织", "unit"},
    "group": {"巡察组", "所属巡察组", "巡察组名称", "group"},
    "body": {"机关", "所属机关", "body"},
}
#: Role words accepted in the 角色 column; "纪委监委"/"组织部" also give the body.
ROLE_WORDS = {
    "被巡察单位": "unit", "单位": "unit", "unit": "unit",
    "巡察组": "group", "group": "group",
    "巡察办": "office", "office": "office",
    "纪委监委/组织部": "supervisor", "supervisor": "supervisor",
    "纪委监委": "supervisor", "组织部": "supervisor",
}
#: Each new password is hashed with Argon2 (a fraction of a second by design), so one import
#: is kept to what a request can do in about a minute.
MAX_ROWS = 300
_HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True)
class UserRow:
    """One user as the sheet gives it: cell texts, not yet checked against the database."""

    row: int
    username: str
    full_name: str = ""
    role: str = ""
    unit: str = ""
    group: str = ""
    body: str = ""
    #: Cells that could not be read as text (formulas, dates): reported with the other errors.
    problems: tuple[RowError, ...] = ()


@dataclass(frozen=True)
class RowError:
    """Why a row (or the whole sheet when ``row`` is None) cannot be imported."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"第{self.row}行，{self.column}：{self.message}"


class SheetError(ValueError):
    """The sheet cannot be read as a whole, or some rows are wrong; ``errors`` says each."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("；".join(str(error) for error in errors))
        self.errors = list(errors)


def read_users(data: bytes) -> list[UserRow]:
    """The users in the first sheet of an .xlsx file, each with the cells it could not read.

    SheetError when the file as a whole cannot be used (not .xlsx, no header, no rows).
    """
    sheet = _first_sheet(data)
    rows = sheet.iter_rows()
    header_row, columns = _find_header(rows)
    users: list[UserRow] = []
    for cells in rows:
        number = cells[0].row if cells else header_row + len(users) + 1
        values: dict[str, str] = {}
        problems: list[RowError] = []
        for key, index in columns.items():
            cell = cells[index] if index < len(cells) else None
            text, problem = _cell_text(cell)
            if problem:
                problems.append(RowError(number, COLUMNS[key], problem))
            values[key] = text
        if not any(values.values()) and not problems:
            continue
        if len(users) >= MAX_ROWS:
            raise SheetError([RowError(None, "", f"一次最多导入 {MAX_ROWS} 个用户，请分批导入")])
        users.append(UserRow(row=number, problems=tuple(problems), **values))
    if not users:
        raise SheetError([RowError(None, "", "表格中没有用户：请在表头下方每行填写一个用户")])
    return users


def _first_sheet(data: bytes) -> Worksheet:
    try:
        check_archive(data)
    except ArchiveError as error:
        raise SheetError([RowError(None, "", str(error))]) from None
    try:
        # Not read-only: merged and empty cells then still carry their row numbers. The upload
        # is size-limited by the caller, so the whole sheet in memory is small.
        book = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SheetError([RowError(
            None, "", "无法读取该文件：请上传 Excel 工作簿（.xlsx），可先下载导入模板填写"
        )]) from None
    if not book.worksheets:
        raise SheetError([RowError(None, "", "工作簿中没有工作表")])
    return book.worksheets[0]


def _find_header(rows: Iterable[Sequence[Any]]) -> tuple[int, dict[str, int]]:
    """The header row (a title row or two above it is allowed) and column key -> index."""
    for n, cells in enumerate(rows, start=1):
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = _column_of(cell.value)
            if key is not None and key not in columns:
                columns[key] = index
        if "username" in columns:
            return n, columns
        if n >= _HEADER_SEARCH_ROWS:
            break
    wanted = "、".join(COLUMNS[key] for key in ("username", "full_name", "role", "unit"))
    raise SheetError([RowError(None, "", f"找不到表头：第一行须有“用户名”列（建议列：{wanted}）")])


def _column_of(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    key = _header_key(value)
    for column, aliases in _ALIASES.items():
        if key in aliases:
            return column
    return None


def _header_key(text: str) -> str:
    # Full-width letters and brackets become half-width; "*", spaces and "(必填)" notes go.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*:：]", "", text).lower()


def _cell_text(cell: Any) -> tuple[str, str]:
    """The cell as text, and why it cannot be used ("" when it can)."""
    if cell is None or cell.value is None:
        return "", ""
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        return "", "单元格是公式，请直接填写文字"
    if isinstance(value, bool):
        return "", "请填写文字"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return "", "单元格是日期，请填写文字"
    return str(value).strip(), ""


# --- writing ---------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """An empty import sheet with its headers, a role list and a sheet of instructions."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = "用户"
    sheet.append(list(COLUMNS.values()))
    roles = DataValidation(
        type="list", formula1='"被巡察单位,巡察组,巡察办,纪委监委,组织部"', allow_blank=True
    )
    sheet.add_data_validation(roles)
    roles.add(f"C2:C{MAX_ROWS + 1}")
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 24 if column in "DE" else 14
        for row in range(2, MAX_ROWS + 2):  # user names like phone numbers must stay text
            sheet[f"{column}{row}"].number_format = "@"
    _bold_header(sheet)
    notes = book.create_sheet("说明")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    return _save(book)


INSTRUCTIONS = [
    "每行一个用户，第一行为表头（列的顺序不限）。",
    "用户名：必填，只能包含字母、数字、汉字和 @ . + - _，不能与已有用户重复。",
    "姓名：选填。",
    "角色：被巡察单位、巡察组、巡察办、纪委监委 或 组织部；"
    "不填写“角色”列时，全部按被巡察单位导入。",
    "单位：角色为被巡察单位时必填，按公布的名称填写，如“木垒县东城镇党委”。",
    "巡察组：角色为巡察组时必填，如“第一巡察组”；多个轮次都有该组时写成“轮次名称 · 第一巡察组”。",
    "机关：角色为纪委监委/组织部时填写“纪委监委”或“组织部”（角色列已写明时可不填）。",
    f"一次最多导入 {MAX_ROWS} 个用户。有任何一行出错时，所有用户都不会创建；改正后重新上传即可。",
    "初始密码由系统随机生成，导入后只显示一次，可下载一次密码表。",
]


def passwords_xlsx(rows: Iterable[Sequence[str]]) -> bytes:
    """The created users and their generated passwords, every cell stored as text."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = "初始密码"
    header = ["用户名", "姓名", "角色", "范围", "初始密码"]
    sheet.append(header)
    for values in rows:
        sheet.append([None] * len(header))
        for column, value in enumerate(values, start=1):
            _text_cell(sheet.cell(row=sheet.max_row, column=column), str(value))
    for letter, width in zip("ABCDE", (16, 14, 14, 36, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    _bold_header(sheet)
    return _save(book)


def _text_cell(cell: Cell, value: str) -> None:
    # A password or name starting with "=" stays that text, never a formula (sheets_safe).
    set_text(cell, value)
    cell.number_format = "@"


def _bold_header(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
