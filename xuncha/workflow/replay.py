"""Replaying the history: which statuses the recorded events explain. Pure: no database.

Every item starts in its model's initial state (a problem 未启动 with its plan 草拟中, a measure
未启动 — which is also how an imported problem starts, so it needs no event). Each event then
sets the fields it records in ``changes`` as ``{"status": [old, new]}``: on its measure when it
names one, else on its problem. Nothing here lists actions, so a new action that records its
changes this way replays with no change to this module.

A problem's status is not recorded when it moves: the services derive it from its measures
(``transitions.problem_status``). It is explained when it is that derivation over the measures'
replayed statuses, or the last status an event set on the problem itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xuncha.inspections.models import PlanState
from xuncha.inspections.models import RectificationStatus as S
from xuncha.workflow.transitions import problem_status

#: The fields replayed, per kind of item, and the state every item of that kind starts in.
INITIAL: dict[str, dict[str, str]] = {
    "measure": {"status": S.NOT_STARTED},
    "problem": {"status": S.NOT_STARTED, "plan_state": PlanState.DRAFT},
}
KIND_LABELS = {"measure": "整改措施", "problem": "反馈问题"}
FIELD_LABELS = {"status": "状态", "plan_state": "整改方案"}


@dataclass(frozen=True)
class Unexplained:
    """An item whose state the history does not explain; ``event_id`` when an event found it."""

    kind: str
    item_id: int
    message: str
    event_id: int | None = None

    def __str__(self) -> str:
        where = f"（记录 #{self.event_id}）" if self.event_id is not None else ""
        return f"{KIND_LABELS[self.kind]} #{self.item_id}{where}：{self.message}"


def label(field_name: str, value: Any) -> str:
    """A stored value as users read it: "已销号", "已批准" (the raw value if it is unknown)."""
    choices = S if field_name == "status" else PlanState
    try:
        return f"“{choices(value).label}”"
    except ValueError:
        return f"“{value}”"


@dataclass
class Replay:
    """The states the events lead to; feed events in chain order with ``apply``."""

    states: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    #: The last status an event set on a problem itself (not through a measure).
    problem_status_set: dict[int, str] = field(default_factory=dict)
    findings: list[Unexplained] = field(default_factory=list)

    def apply(
        self, event_id: int, problem_id: int | None, measure_id: int | None,
        changes: Mapping[str, Any],
    ) -> None:
        kind, item_id = (
            ("measure", measure_id) if measure_id is not None else ("problem", problem_id)
        )
        if item_id is None:
            return  # a round's event (deadlines): no item state to replay
        for name in INITIAL[kind].keys() & changes.keys():
            old, new = _pair(changes[name])
            if kind == "problem" and name == "status":
                self.problem_status_set[item_id] = new
                continue
            state = self.state(kind, item_id)
            # One service call may record the same move twice (报告进展 and 申请销号 both say
            # 未启动 → 待验收); a repeat of the move just replayed is no gap.
            if old is not None and state[name] not in (old, new):
                self.findings.append(Unexplained(
                    kind, item_id,
                    f"此记录将{FIELD_LABELS[name]}由{label(name, old)}改为{label(name, new)}，"
                    f"但按此前的记录应为{label(name, state[name])}（其间在系统之外被改动）",
                    event_id,
                ))
            state[name] = new

    def state(self, kind: str, item_id: int) -> dict[str, str]:
        return self.states.setdefault((kind, item_id), dict(INITIAL[kind]))

    def check_measure(self, measure_id: int, status: str) -> None:
        expected = self.state("measure", measure_id)["status"]
        if status != expected:
            self.findings.append(Unexplained(
                "measure", measure_id,
                f"当前状态{label('status', status)}，按操作记录应为{label('status', expected)}"
                "（状态在系统之外被改动）",
            ))

    def check_problem(
        self, problem_id: int, status: str, plan_state: str, measure_ids: Iterable[int]
    ) -> None:
        expected_plan = self.state("problem", problem_id)["plan_state"]
        if plan_state != expected_plan:
            self.findings.append(Unexplained(
                "problem", problem_id,
                f"整改方案当前为{label('plan_state', plan_state)}，按操作记录应为"
                f"{label('plan_state', expected_plan)}（在系统之外被改动）",
            ))
        derived = problem_status(self.state("measure", m)["status"] for m in measure_ids)
        explained = {derived, self.problem_status_set.get(problem_id, derived)}
        if status not in explained:
            self.findings.append(Unexplained(
                "problem", problem_id,
                f"当前状态{label('status', status)}，按操作记录及其整改措施应为"
                f"{label('status', derived)}（状态在系统之外被改动）",
            ))


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value
