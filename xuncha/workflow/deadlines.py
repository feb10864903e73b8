"""Deadlines: colour levels, the overdue board, and the daily reminder digest.

The levels' thresholds are settings (``DEADLINE_NOTICE_DAYS``, ``DEADLINE_WARNING_DAYS``): how
early an office wants to be told differs by place and year.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, DateField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import (
    Inspection,
    Measure,
    PlanState,
    Problem,
    RectificationStatus,
)
from xuncha.workflow.models import ClueHandover

logger = logging.getLogger(__name__)

#: Measures that no longer run against their due date.
CLOSED = (
    RectificationStatus.SIGNED_OFF, RectificationStatus.PENDING_REVIEW,
    RectificationStatus.LONG_TERM_REVIEW,
)


class Level(StrEnum):
    OK = "ok"
    NOTICE = "notice"  # 提醒
    WARNING = "warning"  # 预警
    OVERDUE = "overdue"  # 逾期

    @property
    def label(self) -> str:
        return {"ok": "正常", "notice": "临近时限", "warning": "即将到期", "overdue": "已逾期"}[
            self.value
        ]


def level(
    due: datetime.date | None,
    today: datetime.date,
    *,
    notice_days: int | None = None,
    warning_days: int | None = None,
) -> Level:
    """How urgent a due date is on ``today``."""
    if due is None:
        return Level.OK
    notice = settings.DEADLINE_NOTICE_DAYS if notice_days is None else notice_days
    warning = settings.DEADLINE_WARNING_DAYS if warning_days is None else warning_days
    left = (due - today).days
    if left < 0:
        return Level.OVERDUE
    if left <= warning:
        return Level.WARNING
    if left <= notice:
        return Level.NOTICE
    return Level.OK


def open_measures(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    return measures.exclude(status__in=CLOSED).filter(due_date__isnull=False)


def due_soon(measures: QuerySet[Measure], today: datetime.date) -> QuerySet[Measure]:
    """Open measures within the notice window or past due."""
    horizon = today + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)
    return open_measures(measures).filter(due_date__lte=horizon)


def level_counts(today: datetime.date) -> dict[str, Count]:
    """Aggregates counting open measures at each level, for ``.annotate()`` over measures."""
    warning_end = today + datetime.timedelta(days=settings.DEADLINE_WARNING_DAYS)
    notice_end = today + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)
    return {
        Level.OVERDUE.value: Count("id", filter=Q(due_date__lt=today)),
        Level.WARNING.value: Count("id", filter=Q(due_date__gte=today, due_date__lte=warning_end)),
        Level.NOTICE.value: Count(
            "id", filter=Q(due_date__gt=warning_end, due_date__lte=notice_end)
        ),
    }


def level_filter(name: str, today: datetime.date) -> Q:
    """The open measures at level ``name`` (overdue, warning or notice) on ``today``."""
    warning_end = today + datetime.timedelta(days=settings.DEADLINE_WARNING_DAYS)
    notice_end = today + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)
    return {
        Level.OVERDUE: Q(due_date__lt=today),
        Level.WARNING: Q(due_date__gte=today, due_date__lte=warning_end),
        Level.NOTICE: Q(due_date__gt=warning_end, due_date__lte=notice_end),
    }[Level(name)]


def plan_due() -> Subquery:
    """A problem's plan deadline: its unit's own (Inspection.plan_due_date), else the round's."""
    return Subquery(
        Inspection.objects.filter(round=OuterRef("round"), unit=OuterRef("unit"))
        .annotate(due=Coalesce("plan_due_date", "round__plan_due_date"))
        .values("due")[:1],
        output_field=DateField(),
    )


def late_plans(problems: QuerySet[Problem], today: datetime.date) -> QuerySet[Problem]:
    """Problems whose plan deadline has passed and whose plan is not approved."""
    return (
        problems.exclude(plan_state=PlanState.APPROVED)
        .annotate(plan_due=plan_due())
        .filter(plan_due__lt=today)
    )


@dataclass
class BoardRow:
    """One line of the overdue board: a unit or a responsible leader, and its counts."""

    key: str
    unit: str
    unit_id: int | None = None
    overdue: int = 0
    warning: int = 0
    notice: int = 0
    #: Problems whose plan is late (the unit's plan deadline passed, plan not approved).
    late_plans: int = 0
    #: Measures waiting for sign-off (not late, but what reviewers act on from the board).
    pending: int = 0
    oldest_due: datetime.date | None = None

    @property
    def total(self) -> int:
        return self.overdue + self.warning + self.notice + self.late_plans

    @property
    def level(self) -> Level:
        """The row's most urgent level: what colour it shows."""
        if self.overdue or self.late_plans:
            return Level.OVERDUE
        if self.warning:
            return Level.WARNING
        return Level.NOTICE if self.notice else Level.OK


BOARD_SORTS = {
    "overdue": lambda row: (-(row.overdue + row.late_plans), -row.warning, row.key),
    "total": lambda row: (-row.total, -row.overdue, row.key),
    "oldest": lambda row: (row.oldest_due or datetime.date.max, row.key),
    "name": lambda row: (row.key,),
}


def board(
    measures: QuerySet[Measure],
    today: datetime.date,
    *,
    by: str = "unit",
    sort: str = "overdue",
    problems: QuerySet[Problem] | None = None,
) -> list[BoardRow]:
    """The overdue board: open measures due soon or past due, per unit or per 责任领导.

    Per unit it also counts ``problems`` with late plans and measures waiting for sign-off.
    Everything is counted in SQL: a handful of queries however many measures there are.
    """
    if by not in ("unit", "leader"):
        raise ValueError(by)
    rows: dict[object, BoardRow] = {}
    counts = level_counts(today)
    if by == "unit":
        for item in (
            due_soon(measures, today)
            .values("problem__unit_id", "problem__unit__name")
            .annotate(**counts, oldest=Min("due_date"))
            .order_by()
        ):
            rows[item["problem__unit_id"]] = BoardRow(
                key=item["problem__unit__name"], unit=item["problem__unit__name"],
                unit_id=item["problem__unit_id"], overdue=item["overdue"],
                warning=item["warning"], notice=item["notice"], oldest_due=item["oldest"],
            )
        _add_unit_extras(rows, measures, problems, today)
    else:
        for item in (
            due_soon(measures, today).values("leader").annotate(**counts, oldest=Min("due_date"))
            .order_by()
        ):
            key = item["leader"] or "（未填写）"
            rows[key] = BoardRow(
                key=key, unit="", overdue=item["overdue"], warning=item["warning"],
                notice=item["notice"], oldest_due=item["oldest"],
            )
        for leader, unit in (
            due_soon(measures, today).values_list("leader", "problem__unit__name")
            .distinct().order_by("problem__unit__name")
        ):
            row = rows[leader or "（未填写）"]
            row.unit = f"{row.unit}、{unit}" if row.unit else unit
    return sorted(rows.values(), key=BOARD_SORTS.get(sort, BOARD_SORTS["overdue"]))


def _add_unit_extras(
    rows: dict[object, BoardRow], measures: QuerySet[Measure],
    problems: QuerySet[Problem] | None, today: datetime.date,
) -> None:
    def row_for(unit_id: int, name: str) -> BoardRow:
        return rows.setdefault(unit_id, BoardRow(key=name, unit=name, unit_id=unit_id))

    if problems is not None:
        for item in (
            late_plans(problems, today).values("unit_id", "unit__name")
            .annotate(n=Count("id"), oldest=Min("plan_due")).order_by()
        ):
            row = row_for(item["unit_id"], item["unit__name"])
            row.late_plans = item["n"]
            if row.oldest_due is None or item["oldest"] < row.oldest_due:
                row.oldest_due = item["oldest"]
    for item in (
        measures.filter(status=RectificationStatus.PENDING_REVIEW)
        .values("problem__unit_id", "problem__unit__name").annotate(n=Count("id")).order_by()
    ):
        row_for(item["problem__unit_id"], item["problem__unit__name"]).pending = item["n"]


# --- the daily digest ------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    items: int


def digest_for(user: object, today: datetime.date) -> Digest | None:
    """What ``user`` should be reminded of today; None when nothing is due."""
    # Supervisors read everything but act only on clues: measures are not theirs to chase.
    supervisor = access.role_of(user) == Role.SUPERVISOR  # type: ignore[arg-type]
    measures = Measure.objects.filter(problem__in=access.problems_for(user))  # type: ignore[arg-type]
    if supervisor:
        measures = measures.none()
    lines = []
    counts: dict[Level, int] = defaultdict(int)
    for measure in due_soon(measures, today).select_related("problem__unit").order_by(
        "due_date", "id"
    ):
        current = level(measure.due_date, today)
        counts[current] += 1
        days = (measure.due_date - today).days if measure.due_date else 0
        when = f"已逾期{-days}天" if days < 0 else f"还剩{days}天"
        lines.append(
            f"[{current.label}] {measure.problem.unit.name}｜{measure.content[:40]}｜"
            f"责任领导 {measure.leader or '未填写'}｜完成时限 {measure.due_date}（{when}）"
        )
    if supervisor:
        for handover in _clues_due(user, today):
            counts[Level.WARNING] += 1
            lines.append(
                f"[线索反馈] {handover.problem.unit.name}｜{handover.problem.text[:40]}｜"
                f"应于 {handover.follow_up_due} 前反馈办理结果"
            )
    if not lines:
        return None
    summary = "，".join(
        f"{lvl.label}{counts[lvl]}项"
        for lvl in (Level.OVERDUE, Level.WARNING, Level.NOTICE)
        if counts[lvl]
    )
    subject = f"巡察整改提醒（{today:%Y-%m-%d}）：{summary}"
    return Digest(subject=subject, body="\n".join([subject, "", *lines]), items=len(lines))


def _clues_due(user: object, today: datetime.date) -> Iterable[ClueHandover]:
    horizon = today + datetime.timedelta(days=settings.DEADLINE_WARNING_DAYS)
    # Each body is reminded of the clues handed to it, which only it may answer.
    receiver = access.clue_receiver_of(user)  # type: ignore[arg-type]
    return (
        ClueHandover.objects.filter(
            problem__in=access.problems_for(user),  # type: ignore[arg-type]
            receiver=receiver or "",
            outcome="",
            follow_up_due__lte=horizon,
        )
        .select_related("problem__unit")
        .order_by("follow_up_due")
    )


def _email(digest: Digest, to: str) -> None:
    # The in-app notification is already stored; a mail server being down must not undo it.
    try:
        send_mail(digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError:
        logger.exception("reminder email to %s failed", to)


def send_reminders(today: datetime.date) -> tuple[int, int]:
    """Send each user with something due one digest for ``today``: in-app and by email.

    Returns (digests sent, users skipped because they already had today's). Safe to run again
    the same day. All users are served in a fixed number of queries and each digest
    summarises (``xuncha.workflow.reminders``).
    """
    from xuncha.workflow.reminders import send_all

    return send_all(today)
