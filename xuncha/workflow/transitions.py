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
    APPROVE = "approve"  # 销号, or confirming a 长期坚持 request
    RETURN = "return"  # 退回


#: Statuses a unit may report as progress, and the status a measure takes for each.
#: 长期坚持 is a request: a reviewer confirms it, as a sign-off is approved.
PROGRESS_STATUSES = {
    "in_progress": S.IN_PROGRESS,
    "basically_done": S.BASICALLY_DONE,
    "long_term": S.LONG_TERM_REVIEW,
    "done": S.PENDING_REVIEW,
}

#: Measures a unit may report progress on: not waiting for a reviewer, not signed off.
REPORTABLE = frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.BASICALLY_DONE, S.LONG_TERM, S.RETURNED})
#: Measures waiting for a reviewer's decision: a sign-off or a 长期坚持 request.
AWAITING_REVIEW = frozenset({S.PENDING_REVIEW, S.LONG_TERM_REVIEW})

_MEASURE: dict[MeasureAction, tuple[frozenset[str], str]] = {
    MeasureAction.REPORT: (REPORTABLE, "只有未销号、未待审核的措施可以报告进展"),
    MeasureAction.REPORT_DONE: (REPORTABLE, "该措施已申请销号或已销号，不能重复申请"),
    MeasureAction.APPROVE: (
        AWAITING_REVIEW, "只有“已完成待验收”或“长期坚持待确认”的措施可以销号或确认"
    ),
    MeasureAction.RETURN: (
        AWAITING_REVIEW, "只有“已完成待验收”或“长期坚持待确认”的措施可以退回"
    ),
}


def measure_after(status: str, action: MeasureAction, reported: str | None = None) -> S:
    """The status a measure in ``status`` takes after ``action``; TransitionError if not allowed.

    ``reported`` is the progress status the unit chose, for REPORT.
    """
    allowed, message = _MEASURE[action]
    if status not in allowed:
        raise TransitionError(f"{message}（当前状态：{S(status).label}）")
    if action == MeasureAction.APPROVE:
        return S.LONG_TERM if status == S.LONG_TERM_REVIEW else S.SIGNED_OFF
    if action == MeasureAction.RETURN:
        return S.RETURNED
    if action == MeasureAction.REPORT_DONE:
        return S.PENDING_REVIEW
    if reported not in PROGRESS_STATUSES or reported == "done":
        raise TransitionError("进展状态须为 推进中、基本完成、已完成 或 长期坚持")
    if reported == "long_term" and status == S.LONG_TERM:
        return S.LONG_TERM  # already confirmed: reporting on it asks for nothing new
    return PROGRESS_STATUSES[reported]


def is_long_term_request(status: str) -> bool:
    """Whether a measure in ``status`` waits for a 长期坚持 decision (not a sign-off)."""
    return status == S.LONG_TERM_REVIEW


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


def evidence_is_changeable(status: str) -> bool:
    """Evidence may be replaced or withdrawn while the measure is open to progress reports:
    not while a reviewer decides on it, nor after sign-off."""
    return status in REPORTABLE


def problem_status(measure_statuses: Iterable[str]) -> S:
    """A problem's status from its measures': 已销号 only when every measure is signed off."""
    statuses = set(measure_statuses)
    settled = {S.SIGNED_OFF, S.LONG_TERM}
    if not statuses:
        return S.NOT_STARTED
    if statuses == {S.SIGNED_OFF}:
        return S.SIGNED_OFF
    if S.RETURNED in statuses:
        return S.RETURNED
    if statuses <= settled:
        return S.LONG_TERM
    if S.PENDING_REVIEW in statuses and statuses <= settled | AWAITING_REVIEW:
        return S.PENDING_REVIEW
    if statuses <= settled | {S.LONG_TERM_REVIEW}:
        return S.LONG_TERM_REVIEW
    if statuses == {S.NOT_STARTED}:
        return S.NOT_STARTED
    if statuses <= settled | AWAITING_REVIEW | {S.BASICALLY_DONE}:
        return S.BASICALLY_DONE
    return S.IN_PROGRESS
