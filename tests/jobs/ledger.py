"""A ledger the way an office writes one (openpyxl, not our writer), for the seed round's
unit 木垒县东城镇党委: a title row, 存在问题/措施/时限 headers, problem cells merged over their
measures, dates as 2024年3月底 and 长期坚持, and a 主抓 column the reader does not know (no
word of it names a field)."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from tests.ledgers import offices
from xuncha.inspections.models import Problem, Round

UNIT = "木垒县东城镇党委"
#: The column the preview must be told about: 主抓 (D) is 责任领导.
LEADER_HEADER, LEADER_COLUMN = "主抓", "D"


def unit_problems(round_: Round) -> list[Problem]:
    return list(Problem.objects.filter(round=round_, unit__name=UNIT).order_by("order"))


def office_ledger(round_: Round) -> bytes:
    first, second = unit_problems(round_)[:2]
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    offices.fill(sheet, [
        [f"{UNIT}落实巡察反馈意见整改台账"],
        ["序号", "存在问题", "措施", LEADER_HEADER, "时限", "整改状态"],
        [1, first.text, "制定年度理论学习计划", "王书记", "2024年3月底", "正在整改"],
        [None, None, "每月开展专题研讨", "王书记", "长期坚持", "长期坚持"],
        [None, None, "完善学习考勤制度", "李镇长", datetime.date(2024, 4, 30), "未启动"],
        [2, second.text, "建立惠民资金发放台账", "张副镇长", "2024年6月前", "推进中"],
        [None, None, "逐户核对发放名单", "张副镇长", "2024年5月底", "未启动"],
    ], merges=("A1:F1", "A3:A5", "B3:B5", "A6:A7", "B6:B7"))
    return offices.save(book)


def leader_override(sheet: str = "整改台账") -> dict[str, dict[str, str | None]]:
    return {sheet: {"leader": LEADER_COLUMN}}
