"""The one place that knows which status changes are allowed. Pure: no database.

Services ask here before they write; views and the API only ever call services.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from xuncha.inspections.models import PlanState
from xuncha.inspections.models import RectificationStatus as S


class TransitionError(ValueError):
    """A change that is not allowed from the current state; the message is for users."""


class MeasureAction(StrEnum):
    REPORT = "report"  # progress without asking for sign-off
    REPORT_DONE = "report_done"  # 已完成: asks for sign-off
    APPROVE = "approve"  # 销号
    RETURN = "return"  # 退回


#: Statuses a unit may report as progress, and the status a measure takes for each.
PROGRESS_STATUSES = {
    "in_progress": S.IN_PROGRESS,
    "basically_done": S.BASICALLY_DONE,
    "long_term": S.LONG_TERM,
    "done": S.PENDING_REVIEW,
}

_OPEN = frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.BASICALLY_DONE, S.LONG_TERM, S.RETURNED})

_MEASURE: dict[MeasureAction, tuple[frozenset[str], str]] = {
    MeasureAction.REPORT: (_OPEN, "只有未销号、未待验收的措施可以报告进展"),
    MeasureAction.REPORT_DONE: (_OPEN, "该措施已申请销号或已销号，不能重复申请"),
    MeasureAction.APPROVE: (frozenset({S.PENDING_REVIEW}), "只有“已完成待验收”的措施可以销号"),
    MeasureAction.RETURN: (frozenset({S.PENDING_REVIEW}), "只有“已完成待验收”的措施可以退回"),
}


def measure_after(status: str, action: MeasureAction, reported: str | None = None) -> S:
    """The status a measure in ``status`` takes after ``action``; TransitionError if not allowed.

    ``reported`` is the progress status the unit chose, for REPORT.
    """
    allowed, message = _MEASURE[action]
    if status not in allowed:
        raise TransitionError(f"{message}（当前状态：{S(status).label}）")
    if action == MeasureAction.APPROVE:
        return S.SIGNED_OFF
    if action == MeasureAction.RETURN:
        return S.RETURNED
    if action == MeasureAction.REPORT_DONE:
        return S.PENDING_REVIEW
    if reported not in PROGRESS_STATUSES or reported == "done":
        raise TransitionError("进展状态须为 推进中、基本完成、已完成 或 长期坚持")
    return PROGRESS_STATUSES[reported]


class PlanAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


_PLAN: dict[PlanAction, tuple[frozenset[str], PlanState, str]] = {
    PlanAction.SUBMIT: (
        frozenset({PlanState.DRAFT, PlanState.RETURNED}), PlanState.SUBMITTED,
        "整改方案已报送或已批准，不能重复报送",
    ),
    PlanAction.APPROVE: (
        frozenset({PlanState.SUBMITTED}), PlanState.APPROVED, "只有已报送的整改方案可以批准",
    ),
    PlanAction.RETURN: (
        frozenset({PlanState.SUBMITTED}), PlanState.RETURNED, "只有已报送的整改方案可以退回",
    ),
}


def plan_after(state: str, action: PlanAction) -> PlanState:
    allowed, target, message = _PLAN[action]
    if state not in allowed:
        raise TransitionError(f"{message}（当前状态：{PlanState(state).label}）")
    return target


def plan_is_editable(state: str) -> bool:
    """Measures may be added or changed while the plan is a draft or was returned."""
    return state in (PlanState.DRAFT, PlanState.RETURNED)


def problem_status(measure_statuses: Iterable[str]) -> S:
    """A problem's status from its measures': 已销号 only when every measure is signed off."""
    statuses = set(measure_statuses)
    if not statuses:
        return S.NOT_STARTED
    if statuses == {S.SIGNED_OFF}:
        return S.SIGNED_OFF
    if S.RETURNED in statuses:
        return S.RETURNED
    if statuses <= {S.SIGNED_OFF, S.LONG_TERM}:
        return S.LONG_TERM
    if S.PENDING_REVIEW in statuses and statuses <= {S.SIGNED_OFF, S.LONG_TERM, S.PENDING_REVIEW}:
        return S.PENDING_REVIEW
    if statuses == {S.NOT_STARTED}:
        return S.NOT_STARTED
    if statuses <= {S.BASICALLY_DONE, S.SIGNED_OFF, S.LONG_TERM, S.PENDING_REVIEW}:
        return S.BASICALLY_DONE
    return S.IN_PROGRESS
