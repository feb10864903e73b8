"""A ledger of known facts, for round trips and the writer's tests."""

from __future__ import annotations

import datetime

from xuncha.ledgers.model import Deadline, Ledger, Measure, Problem, UnitLedger

D = datetime.date


def sample_ledger() -> Ledger:
    return Ledger("十二届昌吉州党委第五轮巡察反馈问题整改台账", [
        UnitLedger("木垒县东城镇党委", [
            Problem("理论学习中心组学习流于形式", number="1", group="第一巡察组",
                    category="政治建设与决策部署落实", measures=[
                        Measure("制定年度学习计划", leader="王书记", department="党政办",
                                deadline=Deadline.on(D(2024, 3, 31)), standard="计划印发",
                                progress="已印发", status="signed_off",
                                signed_off_on=D(2024, 4, 2), evidence="学习计划.pdf",
                                notes="无"),
                        Measure("=每月开展专题研讨", leader="王书记", department="党政办",
                                deadline=Deadline("long_term", None, "day", "长期坚持"),
                                status="long_term"),
                        Measure("+完善考勤", deadline=Deadline(
                            "date", D(2024, 3, 31), "month", "2024年3月底"),
                            status="in_progress"),
                    ]),
            Problem("惠民资金发放不及时", number="2", group="第一巡察组", immediate=True,
                    measures=[Measure("@全面排查", leader="张副镇长",
                                      deadline=Deadline("immediate", None, "day", "立行立改"),
                                      status="pending_review")]),
            Problem("问题尚无措施", number="3", group="第一巡察组"),
        ]),
        UnitLedger("木垒县西城镇党委", [
            Problem("安全生产排查不彻底", number="一", group="第一巡察组", measures=[
                Measure("-开展拉网式排查", leader="孙镇长", department="应急办",
                        deadline=Deadline("date", D(2024, 6, 30), "quarter", "2024年第2季度"),
                        status="basically_done"),
                Measure("=SUM(A1:A3)", deadline=Deadline("date", D(2024, 12, 31), "year",
                                                            "2024年底"), status="not_started"),
                Measure("建立长效机制", deadline=Deadline(
                    "long_term", D(2024, 6, 30), "day", "2024年6月30日前完成，长期坚持"),
                    status="returned"),
                Measure("待议", deadline=Deadline("text", None, "day", "另行通知")),
            ]),
        ]),
    ])
