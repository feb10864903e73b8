"""The unit's 整改情况报告 as 公文 paragraphs (pure)."""

from __future__ import annotations

import datetime

from xuncha.notices.model import HeadlineFigures
from xuncha.notices.writers.compose import Role
from xuncha.notices.writers.report import (
    MeasureFacts,
    ProblemFacts,
    ReportFacts,
    report_document,
)

FACTS = ReportFacts(
    unit="木垒县东城镇党委", round_name="十二届昌吉州党委第五轮巡察",
    addressee="州党委巡察工作领导小组",
    problems=[
        ProblemFacts("人才振兴问题突出。镇党委研究谋划不够", "推进中", [
            MeasureFacts("制定后备干部培养计划", "已销号", "张书记", None, "已印发计划", False),
            MeasureFacts("开展村干部轮训", "推进中", "", datetime.date(2024, 3, 31), "", True),
        ]),
        ProblemFacts("三会一课不规范", "未启动"),
    ],
    figures=HeadlineFigures(problems=2, completed=0, completion_rate=0.0, rules=1,
                            accountable=3, recovered=1.5),
    details=["党纪政务处分2人", "组织处理1人"],
)


def test_the_report_states_measures_progress_open_items_and_figures() -> None:
    parts = report_document(FACTS, datetime.date(2024, 6, 20))
    text = "\n".join(p.text for p in parts)
    assert parts[0].role is Role.TITLE
    assert parts[0].text == (
        "中共木垒县东城镇委员会关于十二届昌吉州党委第五轮巡察反馈意见整改情况的报告")
    assert "建立完善制度1项，问责3人，挽回损失1.5万元，其中党纪政务处分2人、组织处理1人。" in text
    assert "一是制定后备干部培养计划（责任领导：张书记），已销号。进展：已印发计划。" in text
    # What is still open: the measure not done, with its deadline, and the problem with none.
    assert "第一项问题：开展村干部轮训（推进中，完成时限2024年3月31日）。" in text
    assert "第二项问题：尚未制定整改措施（未启动）。" in text
    assert [p.role for p in parts[-2:]] == [Role.SIGNATURE, Role.DATE]
    assert parts[-1].text == "2024年6月20日"


def test_a_report_with_nothing_open_says_so() -> None:
    done = ReportFacts(FACTS.unit, FACTS.round_name, "", [ProblemFacts("问题", "已销号", [
        MeasureFacts("措施", "已销号", open=False)])], HeadlineFigures())
    text = "\n".join(p.text for p in report_document(done, None))
    assert "反馈问题的整改措施均已完成或转入长期坚持。" in text
    assert "暂无整改成效数据。" in text
