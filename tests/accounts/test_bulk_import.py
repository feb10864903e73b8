"""Reading the user-import sheet and creating its users all at once, or none."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook, load_workbook

from xuncha.accounts import services, sheets
from xuncha.accounts.models import Role
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD: list[list[Any]] = [
    ["用户名", "姓名", "角色", "单位", "巡察组", "机关"],
    ["dc_wang", "王五", "被巡察单位", "木垒县东城镇党委", None, None],
    [13800001111, "赵六", "单位", "奇台县七户乡党委", None, None],
    ["zu1_li", "李四", "巡察组", None, "第一巡察组", None],
    ["zzb", "", "组织部", None, None, None],
    [None, None, None, None, None, None],
    ["ban2", "钱七", "巡察办", None, None, None],
]


def test_a_good_sheet_creates_every_user_with_history(people: dict[str, Any]) -> None:
    rows = sheets.read_users(xlsx(GOOD))
    assert [row.row for row in rows] == [2, 3, 4, 5, 7]  # the blank row 6 is skipped
    assert rows[1].username == "13800001111"  # a number typed as a user name stays whole
    created = services.bulk_create_users(people["office"], rows)
    assert [new.user.username for new in created] == [
        "dc_wang", "13800001111", "zu1_li", "zzb", "ban2"]
    profiles = {new.user.username: new.user.profile for new in created}  # type: ignore[attr-defined]
    assert profiles["dc_wang"].unit.name == "木垒县东城镇党委"
    assert profiles["zu1_li"].group.name == "第一巡察组"
    assert (profiles["zzb"].role, profiles["zzb"].body) == (Role.SUPERVISOR, "组织部")
    assert profiles["ban2"].role == Role.OFFICE
    for new in created:
        assert new.generated_password and new.user.check_password(new.generated_password)
    assert Event.objects.filter(action=Action.USER_CREATED).count() == 5


def test_headers_are_matched_flexibly_and_role_defaults_to_unit(people: dict[str, Any]) -> None:
    data = xlsx([
        ["2026年被巡察单位账号"],  # a title row above the header
        ["序号", "账号*", "真实姓名", "被巡察单位（必填）"],
        [1, "a1", "甲", "木垒县东城镇党委"],
    ])
    [row] = sheets.read_users(data)
    assert (row.row, row.username, row.full_name, row.unit, row.role) == (
        3, "a1", "甲", "木垒县东城镇党委", "")
    [new] = services.bulk_create_users(people["office"], [row])
    assert new.user.profile.role == Role.UNIT  # type: ignore[attr-defined]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_created(
    people: dict[str, Any],
) -> None:
    rows = sheets.read_users(xlsx([
        ["用户名", "姓名", "角色", "单位", "巡察组"],
        ["ok1", "好", "被巡察单位", "木垒县东城镇党委", None],
        ["unit_a", "", "被巡察单位", "木垒县东城镇党委", None],
        ["bad name", "", "被巡察单位", "木垒县东城镇党委", None],
        ["nounit", "", "被巡察单位", "不存在镇党委", None],
        ["ok1", "", "巡察办", None, None],
        ["g9", "", "巡察组", None, "第九巡察组"],
        ["r1", "", "管理员", None, None],
    ]))
    before = get_user_model().objects.count()
    with pytest.raises(services.BulkImportError) as caught:
        services.bulk_create_users(people["office"], rows)
    messages = [str(error) for error in caught.value.errors]
    assert messages == [
        "第3行，用户名：用户名“unit_a”已存在",
        "第4行，用户名：用户名只能包含字母、数字、汉字和 @ . + - _",
        "第5行，单位：没有名为“不存在镇党委”的被巡察单位（须为本巡察办各轮次巡察的单位）",
        "第6行，用户名：与第2行的用户名“ok1”重复",
        "第7行，巡察组：没有名为“第九巡察组”的巡察组",
        "第8行，角色：角色“管理员”无效，可选：office（巡察办）、group（巡察组）、unit（被巡察单位）、"
        "supervisor（纪委监委/组织部）",
    ]
    assert get_user_model().objects.count() == before
    assert not Event.objects.exists()


def test_formula_cells_are_refused_by_row(people: dict[str, Any]) -> None:
    rows = sheets.read_users(xlsx([
        ["用户名", "姓名", "单位"],
        ["x1", "=HYPERLINK(\"http://x\",\"y\")", "木垒县东城镇党委"],
        ["x2", "", "没有这个单位"],
    ]))
    with pytest.raises(services.BulkImportError) as caught:
        services.bulk_create_users(people["office"], rows)
    assert [str(e) for e in caught.value.errors] == [
        "第2行，姓名：单元格是公式，请直接填写文字",
        "第3行，单位：没有名为“没有这个单位”的被巡察单位（须为本巡察办各轮次巡察的单位）",
    ]
    assert not get_user_model().objects.filter(username__in=["x1", "x2"]).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a spreadsheet", "无法读取该文件"),
        (xlsx([["名称", "地址"], ["x", "y"]]), "找不到表头"),
        (xlsx([["用户名", "单位"]]), "表格中没有用户"),
    ],
)
def test_unreadable_sheets_say_why(data: bytes, message: str) -> None:
    with pytest.raises(sheets.SheetError, match=message):
        sheets.read_users(data)


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    with pytest.raises(sheets.SheetError, match="一次最多导入 2 个用户"):
        sheets.read_users(xlsx([["用户名"], ["a"], ["b"], ["c"]]))


def test_the_password_sheet_keeps_formula_looking_text_as_text() -> None:
    risky = ["=1+1", "+86 138", "-x", "@SUM(A1)"]
    data = sheets.passwords_xlsx([[value, value, "被巡察单位", "木垒县", value]
                                  for value in risky])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert [row[0].value for row in cells] == risky
    assert [row[4].value for row in cells] == risky
    assert all(cell.data_type == "s" for row in cells for cell in row)


def test_the_template_reads_back_as_an_empty_sheet_with_every_column() -> None:
    sheet = load_workbook(io.BytesIO(sheets.template_xlsx())).active
    assert [cell.value for cell in sheet[1]] == list(sheets.COLUMNS.values())
    with pytest.raises(sheets.SheetError, match="表格中没有用户"):
        sheets.read_users(sheets.template_xlsx())
