"""Reading ledgers laid out the way offices lay them out (tests/ledgers/offices.py)."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from tests.ledgers import offices
from xuncha.ledgers.model import Deadline
from xuncha.ledgers.read import read_ledger


def test_township_ledger_with_titles_merges_spacers_totals_and_notes() -> None:
    result = read_ledger(offices.township(), "东城镇.xlsx")

    assert result.ledger.title == "木垒县东城镇党委落实州委第五巡察组反馈意见整改台账"
    [unit] = result.ledger.units
    assert unit.name == "木垒县东城镇党委"
    first, second = unit.problems
    assert (first.number, first.text) == ("1", "理论学习中心组学习流于形式")
    assert [m.content for m in first.measures] == [
        "制定年度学习计划", "每月开展专题研讨", "-完善学习考勤制度"]
    assert [m.status for m in first.measures] == ["pending_review", "in_progress", "signed_off"]
    assert first.measures[0].deadline == Deadline(
        "date", datetime.date(2024, 3, 31), "month", "2024年3月底")
    assert first.measures[1].deadline is not None
    assert first.measures[1].deadline.kind == "long_term"
    assert first.measures[2].deadline == Deadline(
        "date", datetime.date(2024, 3, 31), "day", "2024.3.31")
    assert first.measures[2].notes == "见附件"
    assert [m.leader for m in second.measures] == ["张副镇长", "张副镇长"]
    assert second.measures[0].deadline is not None
    assert second.measures[0].deadline.kind == "immediate"
    # 逾期 follows from the deadline; the status itself is still in progress.
    assert second.measures[0].status == "in_progress"
    assert second.measures[1].deadline == Deadline(
        "date", datetime.date(2024, 6, 30), "month", "2024年6月前")
    assert first.source is not None and (first.source.sheet, first.source.row) == ("Sheet1", 5)


def test_township_mapping_names_the_columns_as_written() -> None:
    mapping = read_ledger(offices.township()).mappings["Sheet1"]

    assert mapping.header_rows == (4, 4)
    assert {k: (c.letter, c.header) for k, c in mapping.columns.items()} == {
        "number": ("A", "序 号"), "problem": ("B", "存在问题"), "measure": ("C", "整改措施"),
        "leader": ("D", "责任人"), "department": ("E", "责任单位（部门）"),
        "deadline": ("F", "时限"), "status": ("G", "整改状态"), "notes": ("H", "备注"),
    }
    assert (mapping.unit, mapping.unit_from) == ("木垒县东城镇党委", "标题行")


def test_one_sheet_per_unit_takes_the_unit_from_the_sheet_name() -> None:
    result = read_ledger(offices.per_unit_sheets())

    assert [u.name for u in result.ledger.units] == ["东城镇", "西城镇"]
    east, west = result.ledger.units
    assert [len(p.measures) for p in east.problems] == [2, 1]
    finance = east.problems[0]
    assert finance.measures[0].deadline == Deadline.on(datetime.date(2024, 3, 31))
    assert finance.measures[1].deadline == Deadline(
        "date", datetime.date(2024, 3, 31), "month", "2024-03")
    assert [m.status for m in finance.measures] == ["basically_done", "basically_done"]
    assert finance.measures[0].evidence == "公开照片3张"
    assert east.problems[1].measures[0].status == "not_started"
    assert west.problems[0].measures[0].deadline == Deadline(
        "date", datetime.date(2024, 6, 30), "quarter", "2024年第二季度")
    assert west.problems[0].measures[0].status == "pending_review"
    columns = result.mappings["东城镇"].columns
    assert columns["deadline"].header == "完成\n时间"
    assert columns["department"].letter == "E"


def test_two_row_header_all_units_on_one_sheet_with_category_rows() -> None:
    result = read_ledger(offices.county_two_row_header())

    assert result.ledger.title == "十二届昌吉州党委第五轮巡察反馈问题整改台账"
    mapping = result.mappings["整改台账"]
    assert mapping.header_rows == (2, 3)
    assert mapping.columns["leader"].letter == "E"
    assert mapping.columns["department"] == mapping.columns["department"].__class__("F", "责任部门")
    assert mapping.columns["measure"].header == "整改任务"
    east, west = result.ledger.units
    assert east.name == "东城镇党委" and west.name == "西城镇党委"
    assert [p.text for p in east.problems] == [
        "意识形态工作责任制落实不到位", "第一议题制度执行不严"]
    assert [p.category for p in east.problems] == ["政治建设方面", "政治建设方面"]
    assert west.problems[0].category == "基层党组织建设方面"
    ideology = east.problems[0]
    assert [m.content for m in ideology.measures] == ["修订意识形态工作责任清单", "每季度分析研判"]
    assert ideology.measures[0].progress == "已印发"
    assert ideology.measures[1].status == "long_term"
    assert east.problems[1].measures[0].deadline == Deadline(
        "date", datetime.date(2024, 2, 29), "month", "24年2月底")


def test_flat_sheet_repeats_problems_and_dates_typed_as_numbers() -> None:
    result = read_ledger(offices.flat_with_numbers())

    [unit] = result.ledger.units
    assert unit.name == "南山街道党工委"
    disputes, training = unit.problems
    assert len(disputes.measures) == 2 and len(training.measures) == 1
    assert disputes.measures[0].deadline == Deadline(
        "date", datetime.date(2024, 3, 31), "month", "2024.3")
    assert disputes.measures[1].deadline == Deadline.on(datetime.date(2024, 3, 31))
    # 2024.10 typed as a number arrives as 2024.1: read as January, and said so.
    assert training.measures[0].deadline is not None
    assert training.measures[0].deadline.date == datetime.date(2024, 1, 31)
    [warning] = [f for f in result.findings if f.column == "E"]
    assert warning.row == 4 and "10月" in warning.reason
    # The footer ended the table: no problem "填报人：张三".
    assert all("填报人" not in p.text for p in unit.problems)


def test_unknown_words_are_reported_with_sheet_row_and_column() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["反馈问题", "整改措施", "完成时限", "完成情况", "联系电话"])
    sheet.append(["问题甲", "措施甲", "待定", "差不多了", "x"])
    result = read_ledger(offices.save(book))

    reasons = {(f.sheet, f.row, f.column): f.reason for f in result.findings}
    assert reasons[("东城镇", 2, "C")] == "无法识别的完成时限“待定”，按原文保留"
    assert reasons[("东城镇", 2, "D")] == "无法识别的完成情况“差不多了”"
    assert reasons[("东城镇", 1, "E")] == "未识别的列“联系电话”，已忽略"
    measure = result.ledger.units[0].problems[0].measures[0]
    assert measure.deadline == Deadline("text", None, "day", "待定")
    assert measure.status is None and measure.status_text == "差不多了"


def test_headers_no_synonym_names_are_read_by_their_words() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["木垒县东城镇党委巡察反馈问题整改落实情况台账"])
    sheet.append(["填报时间：2024年2月1日"])
    sheet.append(["序号", "巡察反馈具体问题", "整改具体举措", "包联领导", "牵头科室",
                  "整改完成时间节点", "目前推进情况", "措施数", "联系电话"])
    sheet.append([1, "问题甲", "措施甲", "王某", "组织办", "2024年3月底", "已建库", 1, "123"])
    result = read_ledger(offices.save(book))

    mapping = result.mappings["东城镇"]
    assert mapping.header_rows == (3, 3)
    assert {k: c.letter for k, c in mapping.columns.items()} == {
        "number": "A", "problem": "B", "measure": "C", "leader": "D", "department": "E",
        "deadline": "F", "progress": "G"}
    measure = result.ledger.units[0].problems[0].measures[0]
    assert (measure.leader, measure.department, measure.progress) == ("王某", "组织办", "已建库")
    reasons = {(f.row, f.column): f.reason for f in result.findings}
    assert reasons[(3, "H")] == "未识别的列“措施数”，已忽略"
    assert reasons[(3, "I")] == "未识别的列“联系电话”，已忽略"


def test_a_word_read_header_never_takes_a_field_a_synonym_named() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["反馈问题", "整改措施", "责任部门", "配合部门"])
    sheet.append(["问题甲", "措施甲", "组织办", "财政所"])
    mapping = read_ledger(offices.save(book)).mappings["东城镇"]

    assert mapping.columns["department"].letter == "C"


def test_caller_corrects_the_mapping() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["反馈问题", "整改措施", "已做工作", "状态"])
    sheet.append(["问题甲", "措施甲", "已召开会议", "推进中"])
    data = offices.save(book)

    assert read_ledger(data).ledger.units[0].problems[0].measures[0].progress == ""
    result = read_ledger(data, overrides={"东城镇": {"progress": "c", "status": None}})

    measure = result.ledger.units[0].problems[0].measures[0]
    assert measure.progress == "已召开会议"
    assert measure.status is None
    assert result.mappings["东城镇"].columns["progress"].header == "已做工作"
    assert "status" not in result.mappings["东城镇"].columns


def test_default_unit_for_a_generic_sheet_and_a_finding_without_one() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["问题", "措施"])
    sheet.append(["问题甲", "措施甲"])
    data = offices.save(book)

    assert read_ledger(data, default_unit="北塔山牧场党委").ledger.units[0].name == "北塔山牧场党委"
    result = read_ledger(data)
    assert result.ledger.units[0].name == ""
    assert any("无法确定被巡察单位" in f.reason for f in result.findings)


def test_rows_of_a_problem_without_problem_text_before_it_are_reported() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["反馈问题", "整改措施"])
    sheet.append([None, "孤立的措施"])
    sheet.append(["问题甲", "措施甲"])
    result = read_ledger(offices.save(book))

    assert [p.text for p in result.ledger.units[0].problems] == ["问题甲"]
    assert any(f.row == 2 and f.column == "A" and "没有反馈问题" in f.reason
               for f in result.findings)


def test_hidden_sheets_are_skipped() -> None:
    book = Workbook()
    book.active.title = "东城镇"
    book.active.append(["反馈问题", "整改措施"])
    book.active.append(["问题甲", "措施甲"])
    old = book.create_sheet("旧台账")
    old.append(["反馈问题", "整改措施"])
    old.append(["旧问题", "旧措施"])
    old.sheet_state = "hidden"
    result = read_ledger(offices.save(book))

    assert [p.text for u in result.ledger.units for p in u.problems] == ["问题甲"]
    assert any(f.sheet == "旧台账" and "隐藏" in f.reason for f in result.findings)


def test_unit_heading_rows_split_one_sheet_into_units() -> None:
    book = Workbook()
    sheet = book.active
    offices.fill(sheet, [
        ["序号", "反馈问题", "整改措施", "完成时限"],
        ["一、东城镇党委（2个问题）"],
        [1, "问题甲", "措施甲", "2024年3月"],
        [2, "问题乙", "措施乙", "2024年4月"],
        ["二、西城镇党委"],
        [1, "问题丙", "措施丙", "2024年5月"],
    ], merges=("A2:D2", "A5:D5"))
    result = read_ledger(offices.save(book))

    assert [(u.name, [p.text for p in u.problems]) for u in result.ledger.units] == [
        ("东城镇党委", ["问题甲", "问题乙"]), ("西城镇党委", ["问题丙"])]
    assert all(p.category == "" for u in result.ledger.units for p in u.problems)


def test_repeated_problem_text_numbered_per_measure_is_one_problem() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "东城镇"
    sheet.append(["序号", "反馈问题", "整改措施"])
    sheet.append(["1-1", "问题甲", "措施一"])
    sheet.append(["1-2", "问题甲", "措施二"])
    sheet.append(["2-1", "问题乙", "措施三"])
    [unit] = read_ledger(offices.save(book)).ledger.units

    assert [(p.text, p.number, len(p.measures)) for p in unit.problems] == [
        ("问题甲", "1-1", 2), ("问题乙", "2-1", 1)]
