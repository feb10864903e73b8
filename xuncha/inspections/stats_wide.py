# ruff: noqa: S608  (the SQL wraps Django's own compiled queries; values are parameters)
"""A province's dashboard in two passes (PostgreSQL): every breakdown's counts from one scan
of the problems and one of the measures, with ``GROUPING SETS``.

``xuncha.inspections.stats`` counts each breakdown (round, unit, category) and the trend's due
weeks with its own grouped query; over a committee's few thousand problems each is an index
walk of milliseconds, but over a province's million each is a full scan joined to the scope:
three problem scans, three late-plan scans and four measure scans (one per breakdown and the
trend), 2-4 s each at 1M on a loaded machine. Here the same counts, with the same filters and
keys, come from one scan of each table. SQLite has no ``GROUPING SETS``: it keeps the
per-breakdown queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncWeek

from xuncha.inspections.models import Inspection, Measure, PlanState, Problem, RectificationStatus
from xuncha.workflow.deadlines import CLOSED, Level

STATUSES = [code for code, _ in RectificationStatus.choices]
#: Breakdown -> the problem field it groups by.
KEYS = {"round": "round_id", "unit": "unit_id", "category": "category_id"}

#: (status rows, level rows, late-plan rows) of one breakdown, each key -> counts, as
#: ``stats._grouped`` returns them.
Counted = tuple[dict[Any, dict[str, Any]], dict[Any, dict[str, Any]], dict[Any, dict[str, Any]]]


def supported() -> bool:
    return connection.vendor == "postgresql"


def _sets(names: list[str], extra: str = "") -> str:
    sets = [f"(k_{name})" for name in names]
    if extra:
        sets.append(f"({extra})")
    return ", ".join(sets)


def _which(row: dict[str, Any], names: list[str]) -> str | None:
    """The grouping set a row belongs to: the one whose key is not rolled up."""
    for name in names:
        if row[f"g_{name}"] == 0:
            return name
    return None


def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def problem_counts(problems: QuerySet[Problem], names: list[str],
                   today: datetime.date) -> dict[str, tuple[dict, dict]]:
    """Per breakdown: (status counts, late plans) by key, as ``stats._breakdown`` counts them
    (late plans as ``stats.late_plan_problems``)."""
    late = (
        Inspection.objects.filter(round=OuterRef("round"), unit=OuterRef("unit"))
        .annotate(due=Coalesce("plan_due_date", "round__plan_due_date"))
        .filter(due__lt=today)
    )
    rows = problems.order_by().annotate(
        **{f"k_{name}": F(KEYS[name]) for name in names},
        s=F("status"),
        late=Case(When(Q(Exists(late)) & ~Q(plan_state=PlanState.APPROVED), then=Value(1)),
                  default=Value(0), output_field=IntegerField()),
    ).values(*[f"k_{name}" for name in names], "s", "late")
    result: dict[str, tuple[dict, dict]] = {name: ({}, {}) for name in names}
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a scope that is empty (no rounds) compiles to no SQL at all
        return result
    status_columns = ", ".join(f"COUNT(*) FILTER (WHERE s = %s) AS n_{code}" for code in STATUSES)
    grouping = ", ".join(f"GROUPING(k_{name}) AS g_{name}" for name in names)
    keys = ", ".join(f"k_{name}" for name in names)
    sql = (f"SELECT {grouping}, {keys}, COUNT(*) AS total, {status_columns}, "
           f"SUM(late) AS late_plans FROM ({inner}) AS p GROUP BY GROUPING SETS ({_sets(names)})")
    for row in _fetch(sql, [*STATUSES, *params]):
        name = _which(row, names)
        if name is None:  # pragma: no cover - every row belongs to one set
            continue
        key = row[f"k_{name}"]
        status_rows, late_rows = result[name]
        status_rows[key] = {"total": row["total"],
                            **{f"n_{code}": row[f"n_{code}"] for code in STATUSES}}
        if row["late_plans"]:
            late_rows[key] = {"late_plans": row["late_plans"]}
    return result


def measure_counts(measures: QuerySet[Measure], names: list[str], today: datetime.date,
                   ) -> tuple[dict[str, dict], dict[datetime.date, int]]:
    """Per breakdown: open measures at each deadline level by key (as ``stats._breakdown``
    counts them from ``deadlines.due_soon``); and measures falling due per week (as
    ``stats.trend`` counts them), both from one scan."""
    warning_end = today + datetime.timedelta(days=settings.DEADLINE_WARNING_DAYS)
    notice_end = today + datetime.timedelta(days=settings.DEADLINE_NOTICE_DAYS)
    rows = measures.filter(due_date__isnull=False).order_by().annotate(
        **{f"k_{name}": F(f"problem__{KEYS[name]}") for name in names},
        k_week=TruncWeek("due_date"),
        d=F("due_date"),
        is_open=Case(When(~Q(status__in=CLOSED), then=Value(1)), default=Value(0),
                     output_field=IntegerField()),
    ).values(*[f"k_{name}" for name in names], "k_week", "d", "is_open")
    result: dict[str, dict] = {name: {} for name in names}
    weeks: dict[datetime.date, int] = {}
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return result, weeks
    grouping = ", ".join(f"GROUPING(k_{name}) AS g_{name}" for name in [*names, "week"])
    keys = ", ".join(f"k_{name}" for name in [*names, "week"])
    levels = (
        f"COUNT(*) FILTER (WHERE is_open = 1 AND d < %s) AS {Level.OVERDUE.value}, "
        f"COUNT(*) FILTER (WHERE is_open = 1 AND d >= %s AND d <= %s) AS {Level.WARNING.value}, "
        f"COUNT(*) FILTER (WHERE is_open = 1 AND d > %s AND d <= %s) AS {Level.NOTICE.value}, "
        "COUNT(*) FILTER (WHERE is_open = 1 AND d <= %s) AS due_soon"
    )
    sql = (f"SELECT {grouping}, {keys}, COUNT(*) AS n, {levels} FROM ({inner}) AS m "
           f"GROUP BY GROUPING SETS ({_sets(names, 'k_week')})")
    level_params = [today, today, warning_end, warning_end, notice_end, notice_end]
    for row in _fetch(sql, [*level_params, *params]):
        name = _which(row, [*names, "week"])
        if name == "week":
            week = row["k_week"]
            if isinstance(week, datetime.datetime):
                week = week.date()
            weeks[week] = row["n"]
        elif name is not None and row["due_soon"]:
            result[name][row[f"k_{name}"]] = {
                level.value: row[level.value]
                for level in (Level.OVERDUE, Level.WARNING, Level.NOTICE)
            }
    return result, weeks
