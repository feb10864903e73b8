"""整改评估: a per-unit score for a round, from five components, and benchmarks against other
committees' published rounds. Pure: numbers in, numbers out, no ORM (the queries that gather
the numbers are in ``xuncha.assessment.queries``).

Each component is normalised to 0–100 by the formula in ``FORMULAS`` (shown on the evaluation
page next to every figure):

- completion (整改完成度): each problem counts by its status — 已销号/长期坚持 1,
  已完成待验收/长期坚持待确认 0.8, 基本完成 0.6, 推进中/退回整改 0.3, 未启动 0;
- timeliness (整改时效): 100 × (1 − 失时事项 ÷ 应办事项), where 失时 = open measures past their
  完成时限 + measures signed off after it + problems whose plan is late, and 应办 = measures +
  problems;
- quality (整改质量): 100 × (1 − 未排除的质量提示 ÷ 问题数);
- recurrence (屡查屡犯): 100 × (1 − 屡查屡犯问题 ÷ 问题数);
- effect (整改成效): for 建章立制, 追责问责 and 挽回资金 each, the unit's figure per problem
  divided by the best such figure among the round's units; the average of the three (a figure
  nobody in the round recorded is left out).

Every rate is held to 0–100. A component without data (no problems, recurrence not counted,
no 整改成效 recorded anywhere in the round) is shown as 无数据 and left out of the score: the
score is Σ(权重 × 分项) ÷ Σ(权重) over the components that have a value. The weights are data
the office edits (``Weights``); ``DEFAULT_WEIGHTS`` are used until it does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

COMPONENTS = ("completion", "timeliness", "quality", "recurrence", "effect")
COMPONENT_LABELS = {
    "completion": "整改完成度",
    "timeliness": "整改时效",
    "quality": "整改质量",
    "recurrence": "屡查屡犯",
    "effect": "整改成效",
}
DEFAULT_WEIGHTS = {"completion": 40, "timeliness": 20, "quality": 15, "recurrence": 10,
                   "effect": 15}
FORMULAS = {
    "completion": "(已销号×1 + 长期坚持×1 + 已完成待验收×0.8 + 基本完成×0.6 + 推进中×0.3"
                  " + 未启动×0) ÷ 问题数 × 100",
    "timeliness": "100 × (1 − (逾期未完成措施 + 超时销号措施 + 逾期未批准方案的问题)"
                  " ÷ (措施数 + 问题数))",
    "quality": "100 × (1 − 未排除的质量提示数 ÷ 问题数)",
    "recurrence": "100 × (1 − 屡查屡犯问题数 ÷ 问题数)",
    "effect": "(本单位每问题建立制度数 ÷ 本轮最高值 + 每问题问责人数 ÷ 本轮最高值"
              " + 每问题挽回资金 ÷ 本轮最高值) ÷ 3 × 100（本轮均未填报的项不计）",
}
SCORE_FORMULA = "综合得分 = Σ(权重 × 分项得分) ÷ Σ(权重)（无数据的分项不计）"

#: How much a problem in each status counts towards completion.
COMPLETION_CREDIT = {
    "signed_off": 1.0, "long_term": 1.0, "pending_review": 0.8, "long_term_review": 0.8,
    "basically_done": 0.6, "in_progress": 0.3, "returned": 0.3, "not_started": 0.0,
}


class WeightsError(ValueError):
    """Weights that cannot be used: ``message`` in Chinese and the ``field`` at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Weights:
    """How much each component counts: whole numbers 0–100 that add up to 100."""

    completion: int = DEFAULT_WEIGHTS["completion"]
    timeliness: int = DEFAULT_WEIGHTS["timeliness"]
    quality: int = DEFAULT_WEIGHTS["quality"]
    recurrence: int = DEFAULT_WEIGHTS["recurrence"]
    effect: int = DEFAULT_WEIGHTS["effect"]

    def as_dict(self) -> dict[str, int]:
        return {code: getattr(self, code) for code in COMPONENTS}

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Weights:
        """Check weights sent by a form or the API; WeightsError names the field at fault."""
        values: dict[str, int] = {}
        for code in COMPONENTS:
            raw = data.get(code)
            label = COMPONENT_LABELS[code]
            if raw is None or str(raw).strip() == "":
                raise WeightsError(f"请填写“{label}”的权重", code)
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise WeightsError(f"“{label}”的权重“{raw}”不是整数", code) from None
            if not 0 <= number <= 100:
                raise WeightsError(f"“{label}”的权重须在 0 到 100 之间", code)
            values[code] = number
        total = sum(values.values())
        if total != 100:
            raise WeightsError(f"各项权重之和须为 100，现为 {total}")
        return cls(**values)


@dataclass(frozen=True)
class UnitFacts:
    """What the evaluation of one unit in a round reads."""

    unit_id: int
    unit: str
    #: Problems per status code (RectificationStatus values).
    statuses: Mapping[str, int] = field(default_factory=dict)
    measures: int = 0
    #: Open measures past their 完成时限 on the day of the evaluation.
    overdue: int = 0
    #: Problems whose plan deadline passed without an approved plan.
    late_plans: int = 0
    #: Measures signed off after their 完成时限.
    signed_late: int = 0
    #: Quality flags not dismissed.
    flags: int = 0
    #: 屡查屡犯 problems; None when not counted.
    recurrences: int | None = None
    rules: int = 0
    accountable: int = 0
    recovered: float = 0.0

    @property
    def problems(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class Component:
    code: str
    value: float | None
    weight: int
    #: The formula with this unit's numbers put in ("(3×1 + 1×0.6) ÷ 4 × 100 = 90.0").
    working: str

    @property
    def label(self) -> str:
        return COMPONENT_LABELS[self.code]

    @property
    def formula(self) -> str:
        return FORMULAS[self.code]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "value": self.value,
                "weight": self.weight, "formula": self.formula, "working": self.working}


@dataclass(frozen=True)
class UnitScore:
    facts: UnitFacts
    components: tuple[Component, ...]
    score: float | None
    rank: int | None = None

    def component(self, code: str) -> Component:
        return next(c for c in self.components if c.code == code)

    def as_dict(self) -> dict[str, Any]:
        f = self.facts
        return {
            "unit_id": f.unit_id, "unit": f.unit, "score": self.score, "rank": self.rank,
            "components": {c.code: c.as_dict() for c in self.components},
            "facts": {
                "problems": f.problems, "statuses": dict(f.statuses), "measures": f.measures,
                "overdue": f.overdue, "late_plans": f.late_plans, "signed_late": f.signed_late,
                "quality_flags": f.flags, "recurrences": f.recurrences, "rules": f.rules,
                "accountable": f.accountable, "recovered": round(f.recovered, 2),
            },
        }


def _clamp(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")


def completion(facts: UnitFacts, weight: int = 0) -> Component:
    if not facts.problems:
        return Component("completion", None, weight, "无反馈问题")
    parts = [(facts.statuses.get(code, 0), credit) for code, credit in COMPLETION_CREDIT.items()]
    earned = sum(n * credit for n, credit in parts)
    value = _clamp(100 * earned / facts.problems)
    terms = " + ".join(f"{n}×{_num(credit)}" for n, credit in parts if n and credit)
    return Component("completion", value, weight,
                     f"({terms or '0'}) ÷ {facts.problems} × 100 = {_num(value)}")


def timeliness(facts: UnitFacts, weight: int = 0) -> Component:
    due = facts.measures + facts.problems
    if not due:
        return Component("timeliness", None, weight, "无应办事项")
    late = facts.overdue + facts.signed_late + facts.late_plans
    value = _clamp(100 * (1 - late / due))
    return Component(
        "timeliness", value, weight,
        f"100 × (1 − ({facts.overdue} + {facts.signed_late} + {facts.late_plans}) ÷ "
        f"({facts.measures} + {facts.problems})) = {_num(value)}")


def _share_missed(code: str, count: int | None, facts: UnitFacts, weight: int,
                  what: str) -> Component:
    if count is None:
        return Component(code, None, weight, f"{what}未统计")
    if not facts.problems:
        return Component(code, None, weight, "无反馈问题")
    value = _clamp(100 * (1 - count / facts.problems))
    return Component(code, value, weight,
                     f"100 × (1 − {count} ÷ {facts.problems}) = {_num(value)}")


def quality(facts: UnitFacts, weight: int = 0) -> Component:
    return _share_missed("quality", facts.flags, facts, weight, "质量提示")


def recurrence(facts: UnitFacts, weight: int = 0) -> Component:
    return _share_missed("recurrence", facts.recurrences, facts, weight, "屡查屡犯")


EFFECT_FIGURES = (("rules", "制度"), ("accountable", "问责"), ("recovered", "资金"))


def _per_problem(facts: UnitFacts, name: str) -> float:
    return float(getattr(facts, name)) / facts.problems if facts.problems else 0.0


def best_effect(all_facts: Iterable[UnitFacts]) -> dict[str, float]:
    """The round's highest 整改成效 per problem, for each figure."""
    best = dict.fromkeys((name for name, _ in EFFECT_FIGURES), 0.0)
    for facts in all_facts:
        for name in best:
            best[name] = max(best[name], _per_problem(facts, name))
    return best


def effect(facts: UnitFacts, best: Mapping[str, float], weight: int = 0) -> Component:
    used = [(name, label) for name, label in EFFECT_FIGURES if best.get(name, 0) > 0]
    if not facts.problems or not used:
        return Component("effect", None, weight, "本轮未填报整改成效")
    ratios = [_per_problem(facts, name) / best[name] for name, _ in used]
    value = _clamp(100 * sum(ratios) / len(ratios))
    terms = " + ".join(f"{label}{ratio:.2f}" for (_, label), ratio in zip(used, ratios,
                                                                           strict=True))
    return Component("effect", value, weight, f"({terms}) ÷ {len(used)} × 100 = {_num(value)}")


def combine(components: Sequence[Component]) -> float | None:
    """Σ(weight × value) ÷ Σ(weight) over the components that have a value."""
    scored = [c for c in components if c.value is not None and c.weight]
    total = sum(c.weight for c in scored)
    if not total:
        return None
    return round(sum(c.weight * (c.value or 0) for c in scored) / total, 1)


def evaluate(all_facts: Sequence[UnitFacts], weights: Weights | None = None) -> list[UnitScore]:
    """Every unit's components and score, ranked (best first; equal scores share a rank;
    units without a score come last, unranked)."""
    weights = weights or Weights()
    w = weights.as_dict()
    best = best_effect(all_facts)
    scores = []
    for facts in all_facts:
        components = (
            completion(facts, w["completion"]), timeliness(facts, w["timeliness"]),
            quality(facts, w["quality"]), recurrence(facts, w["recurrence"]),
            effect(facts, best, w["effect"]),
        )
        scores.append(UnitScore(facts, components, combine(components)))
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.facts.unit))
    ranked: list[UnitScore] = []
    for index, item in enumerate(scores):
        rank = None
        if item.score is not None:
            same = ranked and ranked[-1].score == item.score
            rank = ranked[-1].rank if same else index + 1
        ranked.append(UnitScore(item.facts, item.components, item.score, rank))
    return ranked


# --- benchmarks against other committees' published rounds ----------------------------------


@dataclass(frozen=True)
class RoundFigures:
    """A round's figures for the benchmark: counted from its records, or as its notice
    states them (a figures-only notice has no problem rows)."""

    round_id: int
    name: str
    committee: str
    units: int | None
    problems: int
    completed: int | None
    rules: int | None
    #: Problems per category name (empty when the notice lists none).
    categories: Mapping[str, int] = field(default_factory=dict)


BENCHMARK_FORMULAS = {
    "problems_per_unit": "反馈问题数 ÷ 被巡察单位数",
    "completion_rate": "已完成整改（已销号 + 长期坚持）÷ 反馈问题数",
    "rules_per_problem": "建立完善制度数 ÷ 反馈问题数",
    "category_mix": "各问题类别的问题数 ÷ 已分类的问题数",
}


def _ratio(part: float | None, whole: float | None, digits: int = 4) -> float | None:
    if part is None or not whole:
        return None
    return round(part / whole, digits)


def benchmark_row(figures: RoundFigures) -> dict[str, Any]:
    categorised = sum(figures.categories.values())
    return {
        "round_id": figures.round_id, "round": figures.name, "committee": figures.committee,
        "units": figures.units, "problems": figures.problems,
        "problems_per_unit": _ratio(figures.problems, figures.units, 2),
        "completion_rate": _ratio(figures.completed, figures.problems),
        "rules_per_problem": _ratio(figures.rules, figures.problems, 2),
        "category_mix": {name: round(n / categorised, 4)
                         for name, n in sorted(figures.categories.items(), key=lambda i: -i[1])}
        if categorised else {},
    }


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return round((ordered[middle - 1] + ordered[middle]) / 2, 4)


def benchmarks(this: RoundFigures, others: Sequence[RoundFigures]) -> dict[str, Any]:
    """This round's figures beside other committees' rounds and their median."""
    rows = [benchmark_row(other) for other in others]
    median: dict[str, Any] = {}
    for key in ("problems_per_unit", "completion_rate", "rules_per_problem"):
        median[key] = _median([row[key] for row in rows if row[key] is not None])
    names = {name for row in rows for name in row["category_mix"]}
    median["category_mix"] = {
        name: _median([row["category_mix"].get(name, 0.0) for row in rows
                       if row["category_mix"]]) for name in sorted(names)}
    return {"this": benchmark_row(this), "others": rows, "median": median,
            "formulas": BENCHMARK_FORMULAS}
