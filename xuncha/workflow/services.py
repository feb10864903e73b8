"""The rectification cycle's use cases: one function each, one transaction each.

Every function takes the acting user and objects already fetched through ``xuncha.access``
(so in the user's scope), checks that the user may act, asks ``transitions`` whether the change
is allowed, writes, and records the change in the history. Views and the API call only these.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha import access
from xuncha.edges import date_out_of_range
from xuncha.inspections import figures as figures_of
from xuncha.inspections.models import (
    DuePrecision,
    Inspection,
    Measure,
    PlanState,
    Problem,
    ProblemCategory,
    ProgressReport,
    RectificationStatus,
    Round,
)
from xuncha.workflow import evidence as evidence_files
from xuncha.workflow.history import record
from xuncha.workflow.models import (
    CURRENT_EVIDENCE,
    Action,
    ClueHandover,
    Event,
    Evidence,
    today,
)
from xuncha.workflow.transitions import (
    MeasureAction,
    PlanAction,
    TransitionError,
    evidence_is_changeable,
    is_long_term_request,
    measure_after,
    plan_after,
    plan_is_editable,
    problem_status,
)

User = AbstractBaseUser | AnonymousUser

#: The fields a measure is edited by (the API fills omitted ones from the current measure).
MEASURE_FIELDS = ("content", "leader", "department", "due_date", "due_precision",
                  "due_long_term", "standard", "notes")

_LIMITS = {
    "content": 4000,
    "leader": 64,
    "department": 128,
    "standard": 4000,
    "notes": 2000,
    "comment": 2000,
    "text": 8000,
}
_LABELS = {
    "content": "整改措施",
    "leader": "责任领导",
    "department": "责任部门",
    "due_date": "完成时限",
    "standard": "整改标准",
    "notes": "备注",
    "due_precision": "完成时限精度",
    "comment": "意见",
    "text": "内容",
    "reported_on": "报告日期",
}


class ServiceError(ValueError):
    """A request that cannot be carried out; ``message`` (Chinese) and the ``field`` at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(ServiceError):
    """The object changed since the user loaded it; ``current`` is what it is now."""

    def __init__(self, current: Any) -> None:
        super().__init__("该内容已被他人修改，请查看最新内容后再提交", field="version")
        self.current = current


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _text(value: Any, field: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ServiceError(f"请填写{_LABELS[field]}", field)
    if len(text) > _LIMITS[field]:
        raise ServiceError(f"{_LABELS[field]}不能超过 {_LIMITS[field]} 字", field)
    return text


def _date(value: Any, field: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(f"请填写{_LABELS.get(field, field)}", field)
        return None
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError(
                f"{_LABELS.get(field, field)}“{value}”不是有效日期（格式：2024-03-31）", field
            ) from None
    if (refusal := date_out_of_range(value, _LABELS.get(field, field))) is not None:
        raise ServiceError(refusal, field)
    return value


def _clean_measure(data: dict[str, Any]) -> dict[str, Any]:
    long_term = _flag(data.get("due_long_term"))
    precision = str(data.get("due_precision") or DuePrecision.DAY)
    if precision not in DuePrecision.values:
        choices = "、".join(DuePrecision.values)
        raise ServiceError(f"完成时限精度“{precision}”无效（可选：{choices}）", "due_precision")
    return {
        "content": _text(data.get("content"), "content"),
        "leader": _text(data.get("leader"), "leader"),
        "department": _text(data.get("department"), "department"),
        # 长期坚持 may have no end date at all.
        "due_date": _date(data.get("due_date"), "due_date", required=not long_term),
        "due_precision": precision,
        "due_long_term": long_term,
        "standard": _text(data.get("standard"), "standard", required=False),
        "notes": _text(data.get("notes"), "notes", required=False),
    }


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是")
    return bool(value)


def _refresh_problem_status(problem: Problem) -> None:
    status = problem_status(problem.measures.values_list("status", flat=True))
    if status != problem.status:
        problem.status = status
        problem.version += 1
        problem.save(update_fields=["status", "version", "updated_at"])


# --- the plan: measures, submit, approve/return -------------------------------------------


def add_measure(actor: User, problem: Problem, data: dict[str, Any]) -> Measure:
    if not access.can_edit_plan(actor, problem):
        raise _deny("只有被巡察单位可以制定本单位的整改措施")
    fields = _clean_measure(data)
    with transaction.atomic(durable=True):
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if not plan_is_editable(problem.plan_state):
            raise ServiceError(
                f"整改方案{PlanState(problem.plan_state).label}，不能再增加措施", "plan"
            )
        order = problem.measures.count() + 1
        measure = Measure.objects.create(problem=problem, order=order, **fields)
        record(
            actor,
            Action.MEASURE_ADDED,
            problem=problem,
            measure=measure,
            changes={k: (None, v) for k, v in fields.items()},
        )
    return measure


def edit_measure(actor: User, measure: Measure, data: dict[str, Any], version: int) -> Measure:
    problem = measure.problem
    if not access.can_edit_plan(actor, problem):
        raise _deny("只有被巡察单位可以修改本单位的整改措施")
    fields = _clean_measure(data)
    with transaction.atomic(durable=True):
        current = Measure.objects.select_for_update().select_related("problem").get(pk=measure.pk)
        if current.version != version:
            raise StaleEdit(current)
        if not plan_is_editable(current.problem.plan_state):
            raise ServiceError("整改方案已报送或已批准，不能修改措施", "plan")
        changes = {
            k: (getattr(current, k), v) for k, v in fields.items() if getattr(current, k) != v
        }
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        if changes:
            record(actor, Action.MEASURE_EDITED, measure=current, changes=changes)
    return current


def submit_plan(actor: User, problem: Problem) -> Problem:
    if not access.can_edit_plan(actor, problem):
        raise _deny("只有被巡察单位可以报送本单位的整改方案")
    with transaction.atomic(durable=True):
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        target = _plan(current, PlanAction.SUBMIT)
        if not current.measures.exists():
            raise ServiceError("请至少制定一项整改措施后再报送", "measures")
        _set_plan(actor, current, target, Action.PLAN_SUBMITTED, "")
    return current


def decide_plan(actor: User, problem: Problem, decision: str, comment: str = "") -> Problem:
    if not access.can_review(actor, problem):
        raise _deny("只有巡察办或负责该单位的巡察组可以审核整改方案")
    action = _decision(decision)
    comment = _text(comment, "comment", required=action == PlanAction.RETURN)
    with transaction.atomic(durable=True):
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        target = _plan(current, action)
        event = Action.PLAN_APPROVED if action == PlanAction.APPROVE else Action.PLAN_RETURNED
        _set_plan(actor, current, target, event, comment)
    return current


def _decision(decision: str) -> PlanAction:
    if decision not in ("approve", "return"):
        raise ServiceError("审核意见须为 approve（通过）或 return（退回）", "decision")
    return PlanAction(decision)


def _plan(problem: Problem, action: PlanAction) -> PlanState:
    try:
        return plan_after(problem.plan_state, action)
    except TransitionError as error:
        raise ServiceError(str(error), "plan") from None


def _set_plan(
    actor: User, problem: Problem, target: PlanState, event: Action, comment: str
) -> None:
    old = problem.plan_state
    problem.plan_state = target
    problem.version += 1
    problem.save(update_fields=["plan_state", "version", "updated_at"])
    record(actor, event, problem=problem, changes={"plan_state": (old, target)}, comment=comment)


# --- progress, evidence, review --------------------------------------------------------------


def report_progress(
    actor: User,
    measure: Measure,
    *,
    content: str,
    status: str,
    files: Sequence[tuple[str, bytes]] = (),
    reported_on: Any = None,
    figures: Mapping[str, Any] | None = None,
) -> ProgressReport:
    """Report progress on a measure, with evidence files as (name, bytes).

    Status "done" asks for sign-off (the measure goes to 已完成待验收) and needs evidence.
    ``figures`` states what the work achieved (整改成效; see ``figures.read_figures``).
    """
    problem = measure.problem
    if not access.can_edit_plan(actor, problem):
        raise _deny("只有被巡察单位可以报告本单位的整改进展")
    text = _text(content, "text")
    day = _date(reported_on, "reported_on", required=False) or today()
    if day > today():
        raise ServiceError(
            f"报告日期 {day.year}年{day.month}月{day.day}日 晚于今天，不能预先报告进展",
            "reported_on",
        )
    checked = [_check_file(name, data) for name, data in files]
    try:
        achieved = figures_of.read_figures(figures)
    except figures_of.FigureError as error:
        raise ServiceError(error.message, error.field) from None
    action = MeasureAction.REPORT_DONE if status == "done" else MeasureAction.REPORT
    with transaction.atomic(durable=True):
        current = Measure.objects.select_for_update().select_related("problem").get(pk=measure.pk)
        if current.problem.plan_state != PlanState.APPROVED:
            raise ServiceError("整改方案批准后才能报告整改进展", "plan")
        try:
            target = measure_after(current.status, action, status)
        except TransitionError as error:
            raise ServiceError(str(error), "status") from None
        if (
            action == MeasureAction.REPORT_DONE
            and not checked
            and not current.evidence.filter(CURRENT_EVIDENCE).exists()
        ):
            # Superseded or withdrawn files do not count: only what still stands as evidence.
            raise ServiceError("申请销号须至少上传一份佐证材料（已撤回的不计）", "evidence")
        report = ProgressReport.objects.create(
            measure=current, text=text, reported_on=day, status=target
        )
        figures_of.store_figures(report, achieved)
        record(
            actor,
            Action.PROGRESS_REPORTED,
            measure=current,
            changes={"status": (current.status, target), "text": (None, text)}
            | achieved.changes(),
        )
        for item in checked:
            stored = _store_evidence(actor, current, report, item)
            record(
                actor,
                Action.EVIDENCE_ADDED,
                measure=current,
                changes={"evidence": (None, stored.original_name)},
            )
        old = current.status
        current.status = target
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
        request = _REQUEST_EVENTS.get(target)
        if request is not None and old != target:
            record(actor, request, measure=current, changes={"status": (old, target)})
        _refresh_problem_status(current.problem)
    return report


#: The history entry that asks a reviewer for a decision, by the status the measure enters.
_REQUEST_EVENTS = {
    RectificationStatus.PENDING_REVIEW: Action.SIGN_OFF_REQUESTED,
    RectificationStatus.LONG_TERM_REVIEW: Action.LONG_TERM_REQUESTED,
}


def _store_evidence(
    actor: User, measure: Measure, report: ProgressReport | None,
    item: evidence_files.CheckedFile,
) -> Evidence:
    return Evidence.objects.create(
        measure=measure,
        progress=report,
        original_name=item.original_name,
        stored_as=evidence_files.store(item),
        content_type=item.content_type,
        size=len(item.data),
        sha256=item.sha256,
        uploaded_by=_user(actor),
    )


def _check_file(name: str, data: bytes) -> evidence_files.CheckedFile:
    try:
        return evidence_files.check(name, data)
    except evidence_files.EvidenceError as error:
        raise ServiceError(str(error), "evidence") from None


def _user(actor: User) -> AuthUser | None:
    return actor if isinstance(actor, AuthUser) else None


def review_measure(actor: User, measure: Measure, decision: str, comment: str = "") -> Measure:
    """Decide on a measure waiting for a reviewer: sign off (销号) or return one that asked for
    sign-off; confirm or return a 长期坚持 request. ``approve`` is the sign-off or the confirmation.
    """
    problem = measure.problem
    if not access.can_review(actor, problem):
        raise _deny("只有巡察办或负责该单位的巡察组可以验收销号或确认长期坚持")
    if decision not in ("approve", "return"):
        raise ServiceError("审核意见须为 approve（销号/确认）或 return（退回）", "decision")
    action = MeasureAction(decision)
    comment = _text(comment, "comment", required=action == MeasureAction.RETURN)
    with transaction.atomic(durable=True):
        current = Measure.objects.select_for_update().select_related("problem").get(pk=measure.pk)
        try:
            target = measure_after(current.status, action)
        except TransitionError as error:
            raise ServiceError(str(error), "decision") from None
        long_term = is_long_term_request(current.status)
        asked = Action.LONG_TERM_REQUESTED if long_term else Action.SIGN_OFF_REQUESTED
        requested_by = (
            Event.objects.filter(measure=current, action=asked)
            .order_by("-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        if requested_by is not None and requested_by == getattr(actor, "pk", None):
            raise _deny("不能确认自己申请的长期坚持" if long_term else "不能审核自己申请销号的事项")
        old = current.status
        changes: dict[str, tuple[Any, Any]] = {"status": (old, target)}
        # 销号日期 is the day of the sign-off entry, and says so in that entry.
        signed_on = today() if target == RectificationStatus.SIGNED_OFF else None
        if signed_on != current.signed_off_on:
            changes["signed_off_on"] = (current.signed_off_on, signed_on)
            current.signed_off_on = signed_on
        current.status = target
        current.version += 1
        current.save(update_fields=["status", "signed_off_on", "version", "updated_at"])
        event = _DECISION_EVENTS[long_term, action]
        record(actor, event, measure=current, changes=changes, comment=comment)
        _refresh_problem_status(current.problem)
    return current


#: (is a 长期坚持 request, decision) -> the history entry of the reviewer's decision.
_DECISION_EVENTS = {
    (False, MeasureAction.APPROVE): Action.SIGNED_OFF,
    (False, MeasureAction.RETURN): Action.REVIEW_RETURNED,
    (True, MeasureAction.APPROVE): Action.LONG_TERM_CONFIRMED,
    (True, MeasureAction.RETURN): Action.LONG_TERM_RETURNED,
}


# --- replacing and withdrawing evidence (the unit, before review) ---------------------------


def supersede_evidence(actor: User, evidence: Evidence, name: str, data: bytes) -> Evidence:
    """Upload a newer file in place of ``evidence``: both are kept, only the newer one counts."""
    if not access.can_edit_plan(actor, evidence.measure.problem):
        raise _deny("只有被巡察单位可以替换本单位的佐证材料")
    checked = _check_file(name, data)
    with transaction.atomic(durable=True):
        old, measure = _lock_changeable_evidence(actor, evidence, "替换")
        new = _store_evidence(actor, measure, old.progress, checked)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        record(
            actor,
            Action.EVIDENCE_SUPERSEDED,
            measure=measure,
            changes={"evidence": (old.original_name, new.original_name)},
        )
    return new


def withdraw_evidence(actor: User, evidence: Evidence, comment: str = "") -> Evidence:
    """Withdraw a file before review: it stays stored, marked 已撤回, and no longer counts."""
    reason = _text(comment, "comment", required=False)
    with transaction.atomic(durable=True):
        current, measure = _lock_changeable_evidence(actor, evidence, "撤回")
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = _user(actor)
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor,
            Action.EVIDENCE_WITHDRAWN,
            measure=measure,
            changes={"evidence": (current.original_name, None)},
            comment=reason,
        )
    return current


def _lock_changeable_evidence(
    actor: User, evidence: Evidence, verb: str
) -> tuple[Evidence, Measure]:
    """The evidence and its measure, locked, once the actor may change it; inside a transaction.

    The measure is locked first, as report_progress and review_measure do, so a sign-off
    request and a withdrawal cannot cross.
    """
    measure = (
        Measure.objects.select_for_update().select_related("problem").get(pk=evidence.measure_id)
    )
    if not access.can_edit_plan(actor, measure.problem):
        raise _deny(f"只有被巡察单位可以{verb}本单位的佐证材料")
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if not evidence_is_changeable(measure.status):
        raise ServiceError(
            f"措施{measure.order}{RectificationStatus(measure.status).label}，"
            f"不能再{verb}佐证材料",
            "evidence",
        )
    if not current.is_current:
        state = "已撤回" if current.withdrawn_at is not None else "已被替换"
        raise ServiceError(f"佐证材料“{current.original_name}”{state}，不能再{verb}", "evidence")
    return current, measure


# --- problems, deadlines, clues (office, groups, supervisors) --------------------------------


def add_problem(
    actor: User,
    inspection: Inspection,
    *,
    text: str,
    category: ProblemCategory | None = None,
    immediate: bool = False,
    heading: str = "",
) -> Problem:
    if not (access.can_manage_round(actor) or access.is_group_of(actor, inspection)):
        raise _deny("只有巡察办或负责该单位的巡察组可以录入反馈问题")
    body = _text(text, "text")
    with transaction.atomic(durable=True):
        order = next_problem_order(inspection)
        problem = Problem.objects.create(
            round=inspection.round,
            unit=inspection.unit,
            order=order,
            text=body,
            category=category,
            immediate=immediate,
            heading=heading,
        )
        record(
            actor,
            Action.PROBLEM_CREATED,
            problem=problem,
            changes={
                "text": (None, body),
                "immediate": (None, immediate),
                "category": (None, category),
            },
        )
    return problem


def edit_problem(actor: User, problem: Problem, data: dict[str, Any], version: int) -> Problem:
    if not (access.can_manage_round(actor) or access.can_review(actor, problem)):
        raise _deny("只有巡察办或负责该单位的巡察组可以修改反馈问题")
    fields: dict[str, Any] = {}
    if "text" in data:
        fields["text"] = _text(data["text"], "text")
    if "immediate" in data:
        fields["immediate"] = bool(data["immediate"])
    if "category" in data:
        fields["category"] = data["category"]
    with transaction.atomic(durable=True):
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        if current.version != version:
            raise StaleEdit(current)
        changes = {
            k: (getattr(current, k), v) for k, v in fields.items() if getattr(current, k) != v
        }
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        if changes:
            record(actor, Action.PROBLEM_EDITED, problem=current, changes=changes)
    return current


def next_problem_order(inspection: Inspection) -> int:
    """The next free 序号 of the unit's problems; locks the inspection row, so two clerks
    recording at once queue instead of both taking the same number. Call inside a transaction."""
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    last = Problem.objects.filter(round_id=inspection.round_id, unit_id=inspection.unit_id)
    return (last.aggregate(n=Max("order"))["n"] or 0) + 1


def set_deadlines(
    actor: User, round_: Round, *, plan_due_date: Any, rectification_due_date: Any
) -> Round:
    if not access.can_manage_round(actor):
        raise _deny("只有巡察办可以设定整改时限")
    plan_due = _date(plan_due_date, "plan_due_date", required=False)
    period_end = _date(rectification_due_date, "rectification_due_date", required=False)
    if plan_due and period_end and period_end < plan_due:
        raise ServiceError("集中整改期截止日不能早于整改方案报送时限", "rectification_due_date")
    with transaction.atomic(durable=True):
        current = Round.objects.select_for_update().get(pk=round_.pk)
        changes = {}
        if current.plan_due_date != plan_due:
            changes["plan_due_date"] = (current.plan_due_date, plan_due)
        if current.rectification_due_date != period_end:
            changes["rectification_due_date"] = (current.rectification_due_date, period_end)
        current.plan_due_date, current.rectification_due_date = plan_due, period_end
        current.save(update_fields=["plan_due_date", "rectification_due_date"])
        if changes:
            record(actor, Action.DEADLINES_CHANGED, round=current, changes=changes)
    return current


def hand_over_clue(
    actor: User,
    problem: Problem,
    *,
    receiver: str,
    handed_over_on: Any = None,
    follow_up_due: Any = None,
    note: str = "",
) -> ClueHandover:
    if not (access.can_manage_round(actor) or access.can_review(actor, problem)):
        raise _deny("只有巡察办或巡察组可以移交问题线索")
    if receiver not in ClueHandover.Receiver.values:
        raise ServiceError("接收单位须为 纪委监委 或 组织部", "receiver")
    day = _date(handed_over_on, "handed_over_on", required=False) or today()
    due = _date(follow_up_due, "follow_up_due", required=False) or _add_months(
        day, settings.CLUE_FOLLOW_UP_MONTHS
    )
    with transaction.atomic(durable=True):
        handover = ClueHandover.objects.create(
            problem=problem,
            receiver=receiver,
            handed_over_on=day,
            follow_up_due=due,
            note=_text(note, "comment", required=False),
        )
        record(
            actor,
            Action.CLUE_HANDED_OVER,
            problem=problem,
            changes={
                "receiver": (None, handover.get_receiver_display()),
                "follow_up_due": (None, due),
            },
        )
    return handover


def record_clue_outcome(
    actor: User, handover: ClueHandover, *, outcome: str, outcome_on: Any = None
) -> ClueHandover:
    if not access.can_record_outcome(actor, handover):
        raise _deny(f"只有接收该线索的{handover.get_receiver_display()}可以反馈其办理结果")
    text = _text(outcome, "text")
    day = _date(outcome_on, "outcome_on", required=False) or today()
    with transaction.atomic(durable=True):
        current = ClueHandover.objects.select_for_update().get(pk=handover.pk)
        old = current.outcome
        current.outcome, current.outcome_on = text, day
        current.save(update_fields=["outcome", "outcome_on"])
        record(
            actor,
            Action.CLUE_OUTCOME,
            problem=current.problem,
            changes={"outcome": (old or None, text)},
        )
    return current


def supervise(actor: User, inspection: Inspection, note: str) -> Event:
    """督办: the office presses a unit about its late items; its users get one notification."""
    if not access.can_manage_round(actor):
        raise _deny("只有巡察办可以督办")
    text = _text(note, "comment")
    with transaction.atomic(durable=True):
        return record(
            actor, Action.SUPERVISED, round=inspection.round, unit=inspection.unit,
            changes={"unit": (None, inspection.unit.name)}, comment=text,
        )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover

