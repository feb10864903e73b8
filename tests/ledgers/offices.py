"""Ledgers written the way offices write them, built with openpyxl (not with our writer)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

# Excel date cells come back as naive datetimes; Excel has no time zones.
EXCEL_DATETIME = datetime.datetime(2024, 3, 31)  # noqa: DTZ001


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill(sheet: Any, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> None:
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)


def township() -> bytes:
    """A township's own ledger: title rows, 存在问题/措施/责任人/时限 headers, merged problem
    cells, a blank spacer row, a 合计 row and a note under the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    fill(sheet, [
        ["附件1"],
        ["木垒县东城镇党委落实州委第五巡察组反馈意见整改台账"],
        ["填报单位：木垒县东城镇党委（盖章）", None, None, None, "填报时间：2024年3月5日"],
        ["序 号", "存在问题", "整改措施", "责任人", "责任单位（部门）", "时限", "整改状态", "备注"],
        [1, "理论学习中心组学习流于形式", "制定年度学习计划", "王书记", "党政办",
         "2024年3月底", "已完成", None],
        [None, None, "每月开展专题研讨", "王书记", "党政办", "长期坚持", "正在整改", None],
        [None, None, "-完善学习考勤制度", "李镇长", "组织办", "2024.3.31", "已销号", "见附件"],
        [None] * 8,
        [2, "惠民资金发放不及时", "全面排查2023年惠民资金", "张副镇长", "财政所",
         "立行立改", "逾期", None],
        [None, None, "建立发放台账", "张副镇长", "财政所", "2024年6月前", "推进中", None],
        ["合计", "2个问题", "5项措施"],
        ["填表说明：1.整改状态填写未启动、推进中、已完成；2.时限精确到月。"],
    ], merges=("A1:H1", "A2:H2", "A5:A7", "B5:B7", "A9:A10", "B9:B10", "A12:H12"))
    return save(book)


def per_unit_sheets() -> bytes:
    """One sheet per unit, named for it; 问题表现/具体措施/牵头领导 headers with line breaks and
    full-width brackets; Excel date cells and "2024-03" text; no merges (problem text repeated
    only on its first row)."""
    book = Workbook()
    first = book.active
    first.title = "东城镇"
    header = ["序号", "问题表现", "具体\n措施", "牵头领导", "责任部门（单位）", "完成\n时间",
              "完成情况", "佐证材料"]
    fill(first, [
        header,
        [1, "村级财务公开不及时", "按季度公开村务财务", "赵委员", "农经站",
         EXCEL_DATETIME, "基本完成", "公开照片3张"],
        [None, None, "建立公开督查机制", "赵委员", "纪委", "2024-03", "阶段性成效", None],
        [2, "发展党员程序不规范", "逐一核查近三年发展党员档案", "钱委员", "组织办",
         datetime.date(2024, 4, 15), "未启动", None],
    ])
    second = book.create_sheet("西城镇")
    fill(second, [
        header,
        [1, "安全生产排查不彻底", "开展拉网式排查", "孙镇长", "应急办", "2024年第二季度",
         "已完成待验收", None],
    ])
    return save(book)


def county_two_row_header() -> bytes:
    """All units on one sheet: a title, a two-row header ("责任" over 责任领导/责任部门),
    unit cells merged over their problems, category heading rows and a column-number row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    fill(sheet, [
        ["十二届昌吉州党委第五轮巡察反馈问题整改台账"],
        ["序号", "被巡察单位", "反馈问题", "整改任务", "责任", None, "整改时限", "完成情况",
         "整改进展"],
        [None, None, None, None, "责任领导", "责任部门", None, None, None],
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ["一、政治建设方面"],
        [1, "东城镇党委", "意识形态工作责任制落实不到位", "修订意识形态工作责任清单", "王书记",
         "宣传办", "2024年3月", "已完成", "已印发"],
        [None, None, None, "每季度分析研判", "王书记", "宣传办", "长期坚持", "长期坚持", None],
        [2, None, "第一议题制度执行不严", "建立第一议题台账", "王书记", "党政办",
         "24年2月底", "已销号", "已建立"],
        ["二、基层党组织建设方面"],
        [3, "西城镇党委", "三会一课记录不全", "规范会议记录本", "周委员", "组织办",
         "2024年5月", "正在整改", None],
    ], merges=("A1:I1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3",
               "I2:I3", "A5:I5", "B6:B8", "A6:A7", "C6:C7", "A9:I9"))
    return save(book)


def flat_with_numbers() -> bytes:
    """Every cell repeated on every row (for filters), dates typed as numbers, a footer."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    fill(sheet, [
        ["被巡察单位", "问题", "措施", "责任领导", "时限", "状态"],
        ["南山街道党工委", "矛盾纠纷化解不及时", "建立矛盾纠纷排查台账", "吴主任", 2024.3,
         "基本完成"],
        ["南山街道党工委", "矛盾纠纷化解不及时", "每月召开研判会", "吴主任", 45382, "未启动"],
        ["南山街道党工委", "网格员培训不足", "开展网格员轮训", "郑副主任", 2024.1, "推进中"],
        [],
        ["填报人：张三", "联系电话：0994-1234567"],
    ])
    return save(book)
