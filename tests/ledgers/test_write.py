"""The ledger workbook we write: layout, print setup, colours, lists, and no formulas ever."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from tests.ledgers.sample import sample_ledger
from xuncha.ledgers.model import Ledger, Measure, Problem, UnitLedger
from xuncha.ledgers.write import WRITERS, is_formula_like, write_ledger, write_lists


def test_merged_sheet_layout() -> None:
    book = load_workbook(io.BytesIO(write_ledger(sample_ledger())))
    sheet = book["整改台账"]

    assert book.sheetnames == ["整改台账", "逐行"]
    assert sheet["A1"].value == "十二届昌吉州党委第五轮巡察反馈问题整改台账"
    assert [c.value for c in sheet[2]] == [
        "序号", "巡察组", "被巡察单位", "问题类别", "反馈问题", "立行立改", "整改措施", "责任领导",
        "责任部门", "完成时限", "整改标准", "整改进展", "完成情况", "销号日期", "佐证材料", "备注"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:P1", "A3:A5", "E3:E5", "F3:F5", "E8:E11"} <= merged
    assert "G3:G5" not in merged  # measures are never merged
    assert sheet.max_row == 2 + 3 + 1 + 1 + 4
    assert sheet["E6"].value == "惠民资金发放不及时" and sheet["F6"].value == "是"
    assert sheet["J3"].value.date().isoformat() == "2024-03-31"
    assert sheet["J3"].number_format == "yyyy-mm-dd"
    assert sheet["J5"].value == "2024年3月底"
    assert sheet["M3"].value == "已销号"
    assert sheet["G7"].value is None  # a problem without measures still has its row


def test_sheet_setup_for_screen_and_print() -> None:
    book = load_workbook(io.BytesIO(write_ledger(sample_ledger())))
    sheet = book["整改台账"]

    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:P11"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["E"].width == 42
    assert sheet["G3"].alignment.wrap_text
    flat = book["逐行"]
    assert flat.freeze_panes == "A2" and flat.auto_filter.ref == "A1:P10"


def test_flat_sheet_fills_every_problem_cell() -> None:
    flat = load_workbook(io.BytesIO(write_ledger(sample_ledger())))["逐行"]

    assert not flat.merged_cells.ranges
    assert [flat.cell(row, 5).value for row in (2, 3, 4)] == ["理论学习中心组学习流于形式"] * 3
    assert [flat.cell(row, 3).value for row in (2, 3, 4)] == ["木垒县东城镇党委"] * 3


def test_warning_colours_on_the_deadline_only() -> None:
    colours = {"制定年度学习计划": "overdue", "=每月开展专题研讨": "warning", "+完善考勤": "notice"}
    data = write_ledger(sample_ledger(), levels=lambda m: colours.get(m.content, "ok"))
    sheet = load_workbook(io.BytesIO(data))["整改台账"]

    assert [sheet.cell(row, 10).fill.fgColor.rgb[-6:] for row in (3, 4, 5)] == [
        "F8D7DA", "FFE8B3", "FFF6D6"]
    assert sheet.cell(6, 10).fill.fill_type is None
    assert sheet.cell(3, 7).fill.fill_type is None


def test_user_text_never_becomes_a_formula() -> None:
    hostile = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=evil()", "\r=evil()", "=HYPERLINK(\"x\")"]
    ledger = Ledger("=标题", [UnitLedger("=单位", [
        Problem(text, number="=1", measures=[Measure(text, leader=text, notes=text)])
        for text in hostile])])
    data = write_ledger(ledger, lists=True)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = load_workbook(io.BytesIO(data))
    strings = [cell for sheet in book for row in sheet.iter_rows() for cell in row
               if isinstance(cell.value, str) and is_formula_like(cell.value)]
    assert {c.value for c in strings} >= {*hostile, "=标题", "=单位", "=1"}
    assert all(cell.data_type == "s" for cell in strings)
    assert all(cell.quotePrefix for cell in strings)


def test_control_characters_are_dropped() -> None:
    problem = Problem("问题\x07甲", measures=[Measure("措施\x0b")])
    ledger = Ledger(units=[UnitLedger("东城镇", [problem])])
    sheet = load_workbook(io.BytesIO(write_ledger(ledger)))["整改台账"]
    assert (sheet["E3"].value, sheet["G3"].value) == ("问题甲", "措施")


def test_three_lists_in_one_workbook() -> None:
    book = load_workbook(io.BytesIO(write_lists(sample_ledger())))

    assert book.sheetnames == ["问题清单", "任务清单", "责任清单"]
    problems, tasks, duties = (book[name] for name in book.sheetnames)
    assert problems.max_row == 1 + 4
    assert [c.value for c in problems[2]] == [
        1, "第一巡察组", "木垒县东城镇党委", "政治建设与决策部署落实", "理论学习中心组学习流于形式",
        "", 3] or problems["G2"].value == 3
    assert tasks.max_row == 1 + 8
    assert [tasks.cell(row, 1).value for row in (2, 3, 4, 5, 6)] == ["1-1", "1-2", "1-3", "2-1",
                                                                      "一-1"]
    assert duties.max_row == 1 + 8
    leaders = [duties.cell(row, 1).value or "" for row in range(2, 10)]
    assert leaders == sorted(leaders)
    assert all(sheet.freeze_panes == "A2" for sheet in book)


def test_ledger_workbook_can_carry_the_lists() -> None:
    book = load_workbook(io.BytesIO(write_ledger(sample_ledger(), lists=True, flat=False)))
    assert book.sheetnames == ["整改台账", "问题清单", "任务清单", "责任清单"]


def test_registry_names_both_kinds() -> None:
    assert WRITERS["ledger"] is write_ledger and WRITERS["lists"] is write_lists
