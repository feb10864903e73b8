"""待办: what waits for a user, by role, scoped through ``xuncha.access``.

- office and groups (reviewers): plans submitted and waiting for review, measures asking for
  sign-off, and the measures of their scope that are due soon or overdue;
- an inspected unit: plans and measures returned to it (with the reviewer's reason), its
  measures due soon or overdue, and 共性问题整改要求 it has not planned for yet;
- a supervisor (纪委监委/组织部): clues handed to its body whose outcome is not yet recorded.

Each kind is one query whatever the amount of data (reasons come from a subquery, not a query
per item); lists are capped at ``limit`` items per kind, the counts are not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure, PlanState, Problem, RectificationStatus
from xuncha.workflow.deadlines import CLOSED, Level, level, plan_due
from xuncha.workflow.models import Action, ClueHandover, Event
from xuncha.workflow.transitions import AWAITING_REVIEW

#: What sends a measure back to the unit: a returned sign-off or a returned 长期坚持 request.
MEASURE_RETURNS = (Action.REVIEW_RETURNED, Action.LONG_TERM_RETURNED)

#: Items listed per kind; the counts cover them all.
LIMIT = 200


class TodoKind(StrEnum):
    PLAN_REVIEW = "plan_review"
    SIGN_OFF_REVIEW = "sign_off_review"
    RETURNED = "returned"
    DUE = "due"
    OVERDUE = "overdue"
    CLUE_DUE = "clue_due"
    COMMON_REQUIREMENT = "common_requirement"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    TodoKind.PLAN_REVIEW: "整改方案待审核",
    TodoKind.SIGN_OFF_REVIEW: "申请销号待验收",
    TodoKind.RETURNED: "被退回待修改",
    TodoKind.DUE: "临近完成时限",
    TodoKind.OVERDUE: "已逾期",
    TodoKind.CLUE_DUE: "线索办理结果待反馈",
    TodoKind.COMMON_REQUIREMENT: "共性问题整改要求待制定整改方案",
}

_BY_ROLE = {
    Role.OFFICE: (TodoKind.PLAN_REVIEW, TodoKind.SIGN_OFF_REVIEW, TodoKind.OVERDUE, TodoKind.DUE),
    Role.GROUP: (TodoKind.PLAN_REVIEW, TodoKind.SIGN_OFF_REVIEW, TodoKind.OVERDUE, TodoKind.DUE),
    Role.UNIT: (TodoKind.RETURNED, TodoKind.OVERDUE, TodoKind.DUE, TodoKind.COMMON_REQUIREMENT),
    Role.SUPERVISOR: (TodoKind.CLUE_DUE,),
}


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the user, and where to do it."""

    kind: TodoKind
    title: str
    unit: str
    link: str
    problem_id: int
    measure_id: int | None = None
    handover_id: int | None = None
    #: Why it came back (returned items): the reviewer's latest comment.
    reason: str = ""
    due: datetime.date | None = None
    level: Level = Level.OK


def kinds_for(user: access.User) -> tuple[TodoKind, ...]:
    """The kinds of 待办 the user's role has."""
    role = access.role_of(user)
    return _BY_ROLE.get(role, ()) if role is not None else ()


def todo_for(user: access.User, today: datetime.date, *, limit: int = LIMIT) -> list[TodoItem]:
    """Everything waiting for ``user`` on ``today``, kind by kind (``kinds_for`` order)."""
    items: list[TodoItem] = []
    for kind in kinds_for(user):
        items.extend(_LISTS[kind](user, today, limit))
    return items


def todo_counts(user: access.User, today: datetime.date) -> dict[TodoKind, int]:
    """How many items of each kind wait for ``user``: at most three queries."""
    kinds = kinds_for(user)
    counts: dict[TodoKind, int] = {}
    problem_kinds = {TodoKind.PLAN_REVIEW, TodoKind.RETURNED} & set(kinds)
    if problem_kinds:
        # Only rows that can count are read: the scope check runs on a few, not on all.
        waiting = Q(plan_state__in=[PlanState.SUBMITTED, PlanState.RETURNED])
        found = access.problems_for(user).filter(waiting).aggregate(
            plan_review=Count("id", filter=Q(plan_state=PlanState.SUBMITTED)),
            returned=Count("id", filter=Q(plan_state=PlanState.RETURNED)),
        )
        counts |= {kind: found[kind.value] for kind in problem_kinds}
    measure_kinds = {
        TodoKind.SIGN_OFF_REVIEW, TodoKind.RETURNED, TodoKind.DUE, TodoKind.OVERDUE
    } & set(kinds)
    if measure_kinds:
        open_ = ~Q(status__in=_not_due(user)) & Q(due_date__isnull=False)
        countable = (
            Q(status__in=[*AWAITING_REVIEW, RectificationStatus.RETURNED])
            | (open_ & Q(due_date__lte=_horizon(today)))
        )
        found = _measures(user).filter(countable).aggregate(
            sign_off_review=Count("id", filter=Q(status__in=AWAITING_REVIEW)),
            returned=Count("id", filter=Q(status=RectificationStatus.RETURNED)),
            overdue=Count("id", filter=open_ & Q(due_date__lt=today)),
            due=Count("id", filter=open_ & Q(due_date__gte=today, due_date__lte=_horizon(today))),
        )
        for kind in measure_kinds:
            counts[kind] = counts.get(kind, 0) + found[kind.value]
    if TodoKind.CLUE_DUE in kinds:
        counts[TodoKind.CLUE_DUE] = _open_clues(user).count()
    if TodoKind.COMMON_REQUIREMENT in kinds:
        counts[TodoKind.COMMON_REQUIREMENT] = _common_requirements(user).count()
    return {kind: counts.get(kind, 0) for kind in kinds}


def returned_reasons(problem: Problem) -> tuple[str, dict[int, str]]:
    """Why the problem's plan and which of its measures were returned, where they still are.

    (the plan's reason or "", {measure id: reason}) from the latest PLAN_RETURNED and
    REVIEW_RETURNED events; one query.
    """
    plan_reason = ""
    measure_reasons: dict[int, str] = {}
    events = Event.objects.filter(
        problem=problem, action__in=(Action.PLAN_RETURNED, *MEASURE_RETURNS)
    ).order_by("id").values_list("action", "measure_id", "comment")
    for action, measure_id, comment in events:
        if action == Action.PLAN_RETURNED:
            plan_reason = comment
        elif measure_id is not None:
            measure_reasons[measure_id] = comment
    returned = set(
        problem.measures.filter(status=RectificationStatus.RETURNED).values_list("id", flat=True)
    ) if measure_reasons else set()
    return (
        plan_reason if problem.plan_state == PlanState.RETURNED else "",
        {k: v for k, v in measure_reasons.items() if k in returned},
    )


# --- one query per kind -----------------------------------------------------------------------


def _horizon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)


def _not_due(user: access.User) -> tuple[str, ...]:
    """Statuses left out of due/overdue: closed ones, and returned ones for those who see them
    listed as returned already (each item once)."""
    if TodoKind.RETURNED in kinds_for(user):
        return (*CLOSED, RectificationStatus.RETURNED)
    return CLOSED


def _measures(user: access.User) -> QuerySet[Measure]:
    return Measure.objects.filter(problem__in=access.problems_for(user))


def _latest_comment(*actions: Action, **match: object) -> Subquery:
    return Subquery(
        Event.objects.filter(action__in=actions, **match).order_by("-id").values("comment")[:1]
    )


def _problem_url(problem_id: int, measure_id: int | None = None) -> str:
    url = reverse("problem-detail", args=[problem_id])
    return f"{url}#measure-{measure_id}" if measure_id else url


def _problem_title(problem: Problem) -> str:
    return f"问题{problem.order}：{_short(problem.text)}"


def _measure_title(measure: Measure) -> str:
    return f"问题{measure.problem.order} 措施{measure.order}：{_short(measure.content)}"


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:50] + "…"


def _plan_reviews(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    problems = (
        access.problems_for(user).filter(plan_state=PlanState.SUBMITTED)
        .select_related("unit").annotate(plan_due=plan_due())
        .order_by("round_id", "unit_id", "order")[:limit]
    )
    return [
        TodoItem(
            TodoKind.PLAN_REVIEW, _problem_title(p), p.unit.name, _problem_url(p.pk), p.pk,
            due=p.plan_due, level=level(p.plan_due, today),
        )
        for p in problems
    ]


def _sign_off_reviews(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    measures = (
        _measures(user).filter(status__in=AWAITING_REVIEW)
        .select_related("problem__unit").order_by("updated_at", "id")[:limit]
    )
    return [
        TodoItem(
            TodoKind.SIGN_OFF_REVIEW, _measure_title(m), m.problem.unit.name,
            _problem_url(m.problem_id, m.pk), m.problem_id, measure_id=m.pk, due=m.due_date,
        )
        for m in measures
    ]


def _returned(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    problems = (
        access.problems_for(user).filter(plan_state=PlanState.RETURNED)
        .select_related("unit")
        .annotate(reason=_latest_comment(Action.PLAN_RETURNED, problem=OuterRef("pk")))
        .order_by("round_id", "order")[:limit]
    )
    measures = (
        _measures(user).filter(status=RectificationStatus.RETURNED)
        .select_related("problem__unit")
        .annotate(reason=_latest_comment(*MEASURE_RETURNS, measure=OuterRef("pk")))
        .order_by("due_date", "id")[:limit]
    )
    plans = [
        TodoItem(
            TodoKind.RETURNED, f"整改方案 · {_problem_title(p)}", p.unit.name,
            _problem_url(p.pk), p.pk, reason=p.reason or "",
        )
        for p in problems
    ]
    return plans + [
        TodoItem(
            TodoKind.RETURNED, _measure_title(m), m.problem.unit.name,
            _problem_url(m.problem_id, m.pk), m.problem_id, measure_id=m.pk,
            reason=m.reason or "", due=m.due_date,
            level=level(m.due_date, today),
        )
        for m in measures
    ]


def _due_measures(
    user: access.User, kind: TodoKind, dates: Q, limit: int, today: datetime.date
) -> list[TodoItem]:
    measures = (
        _measures(user).exclude(status__in=_not_due(user)).filter(dates)
        .select_related("problem__unit").order_by("due_date", "id")[:limit]
    )
    return [
        TodoItem(
            kind, _measure_title(m), m.problem.unit.name, _problem_url(m.problem_id, m.pk),
            m.problem_id, measure_id=m.pk, due=m.due_date, level=level(m.due_date, today),
        )
        for m in measures
    ]


def _overdue(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    return _due_measures(user, TodoKind.OVERDUE, Q(due_date__lt=today), limit, today)


def _due(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    dates = Q(due_date__gte=today, due_date__lte=_horizon(today))
    return _due_measures(user, TodoKind.DUE, dates, limit, today)


def _open_clues(user: access.User) -> QuerySet[ClueHandover]:
    receiver = access.clue_receiver_of(user)
    return access.handovers_for(user).filter(receiver=receiver or "", outcome="")


def _clues(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    handovers = _open_clues(user).select_related("problem__unit").order_by(
        "follow_up_due", "id"
    )[:limit]
    return [
        TodoItem(
            TodoKind.CLUE_DUE, f"{h.get_receiver_display()}线索 · {_problem_title(h.problem)}",
            h.problem.unit.name, _problem_url(h.problem_id) + "#clues", h.problem_id,
            handover_id=h.pk, due=h.follow_up_due, level=level(h.follow_up_due, today),
        )
        for h in handovers
    ]


def _common_requirements(user: access.User) -> QuerySet[Problem]:
    """共性问题整改要求 (举一反三, ``xuncha.similar``) the unit has not yet planned for."""
    return access.problems_for(user).filter(
        plan_state=PlanState.DRAFT, common_requirement_item__isnull=False
    )


def _common(user: access.User, today: datetime.date, limit: int) -> list[TodoItem]:
    problems = _common_requirements(user).select_related("unit").order_by(
        "round_id", "order"
    )[:limit]
    return [
        TodoItem(TodoKind.COMMON_REQUIREMENT, f"共性问题整改要求 · {_problem_title(p)}",
                 p.unit.name, _problem_url(p.pk), p.pk)
        for p in problems
    ]


_LISTS = {
    TodoKind.PLAN_REVIEW: _plan_reviews,
    TodoKind.SIGN_OFF_REVIEW: _sign_off_reviews,
    TodoKind.RETURNED: _returned,
    TodoKind.OVERDUE: _overdue,
    TodoKind.DUE: _due,
    TodoKind.CLUE_DUE: _clues,
    TodoKind.COMMON_REQUIREMENT: _common,
}
