"""A round's 整改评估 as a user may read it (page, xlsx, API), and its xlsx.

Every unit is scored and ranked (a rank needs them all); which rows a user then reads is
``xuncha.access``'s call: the office and supervisors all of them, a group its units', a unit
its own row and its place (第N名，共M个单位) — offices circulate a unit's own result, not the
others'.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from xuncha import access
from xuncha.analysis.evaluation import (
    BENCHMARK_FORMULAS,
    COMPONENT_LABELS,
    COMPONENTS,
    FORMULAS,
    SCORE_FORMULA,
    UnitScore,
    Weights,
    benchmarks,
    evaluate,
)
from xuncha.assessment.queries import recurrence_counts, round_figures, unit_facts, weights_for
from xuncha.inspections.models import Round
from xuncha.sheets_safe import append_row
from xuncha.workflow.models import today as local_today


@dataclass(frozen=True)
class Evaluation:
    round: Round
    weights: Weights
    #: The rows the user may read, ranked.
    rows: list[UnitScore]
    #: How many units the round's ranking has in all.
    unit_count: int
    sees_all: bool
    benchmarks: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": {"id": self.round.pk, "name": self.round.display_name},
            "weights": self.weights.as_dict(),
            "formulas": {**FORMULAS, "score": SCORE_FORMULA},
            "unit_count": self.unit_count,
            "units": [row.as_dict() for row in self.rows],
            "benchmarks": self.benchmarks,
        }


def round_evaluation(user: access.User, round_: Round,
                     today: datetime.date | None = None) -> Evaluation:
    """The evaluation of ``round_`` (already fetched through ``access``) as ``user`` reads it."""
    day = today or local_today()
    weights = weights_for(round_.committee)
    scores = evaluate(unit_facts(round_, day, recurrence_counts(round_)), weights)
    sees_all = access.sees_every_evaluation_row(user)
    if sees_all:
        rows = scores
    else:
        mine = set(access.inspections_for(user).filter(round=round_)
                   .values_list("unit_id", flat=True))
        rows = [row for row in scores if row.facts.unit_id in mine]
    mine_figures, *_ = round_figures(Round.objects.filter(pk=round_.pk), notices=False)
    others = round_figures(access.benchmark_rounds(user, round_))
    return Evaluation(round_, weights, rows, len(scores), sees_all,
                      benchmarks(mine_figures, others))


HEADER = ["名次", "被巡察单位", "综合得分", *(COMPONENT_LABELS[c] for c in COMPONENTS),
          "反馈问题", "已销号", "长期坚持", "已完成待验收", "基本完成", "推进中", "未启动",
          "整改措施", "逾期未完成措施", "超时销号措施", "方案逾期问题", "质量提示（未排除）",
          "屡查屡犯", "建立制度", "问责人数", "挽回资金（万元）"]


def _value(value: float | None) -> float | str:
    return "无数据" if value is None else value


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    """The evaluation as a workbook: 评估结果 (one row per unit), 计算方法 (weights and
    formulas) and 对标 (other committees' rounds). Every text cell is stored as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "评估结果"
    append_row(sheet, [f"{evaluation.round.display_name} 整改评估"])
    append_row(sheet, HEADER)
    for row in evaluation.rows:
        f = row.facts
        s = f.statuses
        append_row(sheet, [
            row.rank if row.rank is not None else "", f.unit, _value(row.score),
            *(_value(row.component(c).value) for c in COMPONENTS), f.problems,
            s.get("signed_off", 0), s.get("long_term", 0),
            s.get("pending_review", 0) + s.get("long_term_review", 0),
            s.get("basically_done", 0), s.get("in_progress", 0) + s.get("returned", 0),
            s.get("not_started", 0), f.measures, f.overdue, f.signed_late, f.late_plans,
            f.flags, "未统计" if f.recurrences is None else f.recurrences, f.rules,
            f.accountable, round(f.recovered, 2),
        ])
    method = book.create_sheet("计算方法")
    append_row(method, ["分项", "权重", "计算方法"])
    for code in COMPONENTS:
        append_row(method, [COMPONENT_LABELS[code], getattr(evaluation.weights, code),
                            FORMULAS[code]])
    append_row(method, ["综合得分", 100, SCORE_FORMULA])
    append_row(method, [])
    append_row(method, ["被巡察单位", *(COMPONENT_LABELS[c] for c in COMPONENTS)])
    for row in evaluation.rows:
        append_row(method, [row.facts.unit, *(row.component(c).working for c in COMPONENTS)])
    bench = book.create_sheet("对标")
    append_row(bench, ["轮次", "巡察主体", "被巡察单位数", "反馈问题", "每单位问题数",
                       "整改完成率", "每问题建立制度数", "问题类别构成"])
    lines = [evaluation.benchmarks["this"], *evaluation.benchmarks["others"]]
    for line in lines:
        mix = "；".join(f"{name} {share:.0%}" for name, share in line["category_mix"].items())
        append_row(bench, [line["round"], line["committee"], line["units"], line["problems"],
                           line["problems_per_unit"], line["completion_rate"],
                           line["rules_per_problem"], mix])
    append_row(bench, [])
    for key, text in BENCHMARK_FORMULAS.items():
        append_row(bench, [key, text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
