"""Statistics for the dashboards and ``/api/…/stats``: status counts and rates, deadline levels,
late plans and 整改成效 per unit, county, group, category and 责任领导, and the weekly sign-off
trend — all counted in SQL (a fixed number of grouped queries per breakdown, so the number of
queries does not grow with the data) over the caller's already-scoped problems.

整改完成率 (completion rate) = (已销号 + 长期坚持) / all problems: a problem counts as rectified
once a reviewer has signed it off, or confirmed it as a long-term matter (长期坚持 is confirmed by
a reviewer, not claimed by the unit). 销号率 (signed-off rate) = 已销号 / all problems.
For 责任领导 the same rates are counted over measures (the leader answers for a measure).

Deadline levels (``xuncha.workflow.deadlines``) count open measures: 已逾期 (past due), 即将到期
(within ``DEADLINE_WARNING_DAYS``), 临近时限 (within ``DEADLINE_NOTICE_DAYS``). 方案逾期 counts
problems whose plan deadline (the unit's, else the round's) has passed and whose plan is not
approved. The trend counts measures signed off per week (the 销号 entries of the history) against
measures falling due per week (their 完成时限), both cumulative.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncWeek

from xuncha.inspections import stats_wide
from xuncha.inspections.models import (
    Inspection,
    InspectionGroup,
    Measure,
    PartyOrganisation,
    PlanState,
    Problem,
    ProblemCategory,
    ProgressFigures,
    RectificationStatus,
    Region,
    Round,
    RuleMade,
)
from xuncha.inspections.queries import WIDE_ROUNDS, analytic_session
from xuncha.inspections.stats_wide import Counted
from xuncha.pagecache.version import current as data_version
from xuncha.similar.queries import recurrence_counts
from xuncha.workflow.deadlines import Level, due_soon, level_counts
from xuncha.workflow.models import Action, Event
from xuncha.workflow.models import today as local_today

STATUSES = [code for code, _ in RectificationStatus.choices]
DONE = (RectificationStatus.SIGNED_OFF, RectificationStatus.LONG_TERM)
LEVELS = (Level.OVERDUE.value, Level.WARNING.value, Level.NOTICE.value)
_COUNTY_LEVELS = (Region.Level.COUNTY, Region.Level.PREFECTURE)
_NONE = "（未填）"

#: How a breakdown's key is read from a problem row and from a measure row.
KeyOf = Callable[[str], Any]


def county_of(path: str) -> Case:
    """The first county- (or prefecture-) level region at or above ``path`` (a Region FK)."""
    whens = []
    for _ in range(4):
        whens.append(When(**{f"{path}__level__in": _COUNTY_LEVELS}, then=F(f"{path}_id")))
        path += "__parent"
    return Case(*whens, default=None, output_field=IntegerField())


def _group_of(prefix: str) -> Subquery:
    """The inspection group of the row's (round, unit): ``prefix`` is "" or "problem__"."""
    return Subquery(
        Inspection.objects.filter(round=OuterRef(f"{prefix}round"), unit=OuterRef(f"{prefix}unit"))
        .values("group_id")[:1],
        output_field=IntegerField(),
    )


#: Breakdown -> the key expression, given the path to the problem ("" or "problem__").
KEYS: dict[str, KeyOf] = {
    "unit": lambda p: F(f"{p}unit_id"),
    "county": lambda p: county_of(f"{p}unit__region"),
    "group": _group_of,
    "category": lambda p: F(f"{p}category_id"),
    "round": lambda p: F(f"{p}round_id"),
    "year": lambda p: ExtractYear(f"{p}round__inspection_start"),
}


def _counts() -> dict[str, Count]:
    return {
        "total": Count("id"),
        **{f"n_{code}": Count("id", filter=Q(status=code)) for code in STATUSES},
    }


def _row(key: Any, label: str, values: dict[str, Any]) -> dict[str, Any]:
    total = values.get("total") or 0
    statuses = {code: values.get(f"n_{code}") or 0 for code in STATUSES}
    done = sum(statuses[code] for code in DONE)
    return {
        "key": key, "label": label, "total": total, "statuses": statuses,
        "completion_rate": round(done / total, 4) if total else None,
        "signed_off_rate": (round(statuses[RectificationStatus.SIGNED_OFF] / total, 4)
                            if total else None),
        "levels": {name: values.get(name) or 0 for name in LEVELS},
        "late_plans": values.get("late_plans") or 0,
    }


def late_plan_problems(problems: QuerySet[Problem], today: datetime.date) -> QuerySet[Problem]:
    """Problems whose plan deadline (the unit's, else the round's) has passed and whose plan is
    not approved — as ``deadlines.late_plans``, written as a semi-join the database can hash."""
    late = (
        Inspection.objects.filter(round=OuterRef("round"), unit=OuterRef("unit"))
        .annotate(due=Coalesce("plan_due_date", "round__plan_due_date"))
        .filter(due__lt=today)
    )
    return problems.exclude(plan_state=PlanState.APPROVED).filter(Exists(late))


def _grouped(rows: QuerySet, key: Any, aggregates: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    counted = rows.order_by().annotate(k=key).values("k").annotate(**aggregates).order_by()
    return {item.pop("k"): item for item in counted}


def _breakdown(
    name: str, problems: QuerySet[Problem], measures: QuerySet[Measure], today: datetime.date,
    labels: dict[Any, str], counted: Counted | None = None,
) -> list[dict[str, Any]]:
    """Rows for one breakdown: status counts over problems (over measures for 责任领导), open
    measures per deadline level, and late plans — three grouped queries, or none when
    ``counted`` brings them (``stats_wide``: a province's breakdowns from one scan)."""
    if counted is not None:
        status_rows, level_rows, late_rows = counted
    elif name == "leader":
        status_rows = _grouped(measures, F("leader"), _counts())
        level_rows = _grouped(due_soon(measures, today), F("leader"), level_counts(today))
        late_rows = _grouped(
            Measure.objects.filter(problem__in=late_plan_problems(problems, today)), F("leader"),
            {"late_plans": Count("problem_id", distinct=True)},
        )
    else:
        key = KEYS[name]
        status_rows = _grouped(problems, key(""), _counts())
        level_rows = _grouped(due_soon(measures, today), key("problem__"), level_counts(today))
        late_rows = _grouped(late_plan_problems(problems, today), key(""),
                             {"late_plans": Count("id")})
    result = []
    for k in status_rows.keys() | level_rows.keys() | late_rows.keys():
        values = {**status_rows.get(k, {}), **level_rows.get(k, {}), **late_rows.get(k, {})}
        label = (k or _NONE) if name == "leader" else labels.get(k, _NONE)
        result.append(_row(k, label, values))
    return sorted(result, key=_order)


def _rollup(rows: list[dict[str, Any]], key_of: Callable[[Any], Any],
            labels: dict[Any, str]) -> list[dict[str, Any]]:
    """Rows summed into coarser ones (units into counties, rounds into years, anything into the
    total): the counts are additive, so no query is needed."""
    merged: dict[Any, dict[str, int]] = {}
    for row in rows:
        into = merged.setdefault(key_of(row["key"]), defaultdict(int))
        into["total"] += row["total"]
        for code, n in row["statuses"].items():
            into[f"n_{code}"] += n
        for name, n in row["levels"].items():
            into[name] += n
        into["late_plans"] += row["late_plans"]
    result = [_row(k, labels.get(k, _NONE), values) for k, values in merged.items()]
    return sorted(result, key=_order)


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return (_rollup(rows, lambda _key: None, {None: "合计"}) or [_row(None, "合计", {})])[0]


def _figures(problems: QuerySet[Problem], key: KeyOf) -> dict[Any, dict[str, Any]]:
    """整改成效 recorded in progress reports (问责, 挽回损失, 建章立制) per key: two grouped
    queries."""
    reports = ProgressFigures.objects.filter(report__measure__problem__in=problems)
    rules = RuleMade.objects.filter(report__measure__problem__in=problems)
    sums = {"disciplined": Sum("disciplined"), "organisational": Sum("organisational"),
            "recovered": Sum("recovered")}
    figures = _grouped(reports, key("report__measure__problem__"), sums)
    for k, item in _grouped(rules, key("report__measure__problem__"),
                            {"rules": Count("id")}).items():
        figures.setdefault(k, {}).update(item)
    return {k: _figure_values(v) for k, v in figures.items()}


def _figures_total(figures: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    return _figure_values({
        "rules": sum(f["rules"] for f in figures.values()),
        "disciplined": sum(f["disciplined"] for f in figures.values()),
        "organisational": sum(f["organisational"] for f in figures.values()),
        "recovered": sum((Decimal(f["recovered"]) for f in figures.values()), Decimal(0)),
    })


def _figure_values(values: dict[str, Any]) -> dict[str, Any]:
    disciplined = int(values.get("disciplined") or 0)
    organisational = int(values.get("organisational") or 0)
    recovered = Decimal(values.get("recovered") or 0).quantize(Decimal("0.01"))
    return {"rules": int(values.get("rules") or 0), "disciplined": disciplined,
            "organisational": organisational, "accountable": disciplined + organisational,
            "recovered": str(recovered)}


_EMPTY_FIGURES = _figure_values({})


class _MondayOf(Func):
    """The Monday of a date's week in SQLite's own date functions: ``TruncWeek`` calls a Python
    function there for every row (14 s of a province's 36 s over three million measures)."""

    template = ("date(%(expressions)s, '-' || ((CAST(strftime('%%%%w', %(expressions)s) AS "
                "INTEGER) + 6) %%%% 7) || ' days')")
    output_field = DateField()


def week_of(field: str) -> Func:
    """The Monday of ``field``'s week (a date), as ``TruncWeek`` gives it."""
    return _MondayOf(F(field)) if connection.vendor == "sqlite" else TruncWeek(field)


def trend(problems: QuerySet[Problem], measures: QuerySet[Measure],
          today: datetime.date,
          due_weeks: dict[datetime.date, int] | None = None) -> list[dict[str, Any]]:
    """Per week (Monday): measures signed off (their 销号 history entries) and measures falling
    due (完成时限), with the running totals — two grouped queries (one when ``due_weeks``
    brings the measures falling due per week), weeks up to ``today``'s (later due dates are
    summed into the last week's ``due_later``)."""
    signed = (
        Event.objects.filter(action=Action.SIGNED_OFF, problem__in=problems)
        .order_by().annotate(week=TruncWeek("at")).values("week")
        .annotate(n=Count("measure_id", distinct=True)).order_by()
    )
    due: Any = (
        [{"week": week, "n": n} for week, n in due_weeks.items()] if due_weeks is not None
        else measures.filter(due_date__isnull=False).order_by()
        .annotate(week=week_of("due_date")).values("week").annotate(n=Count("id")).order_by()
    )
    this_week = today - datetime.timedelta(days=today.weekday())
    weeks: dict[datetime.date, dict[str, int]] = {}
    later = 0
    for kind, rows in (("signed_off", signed), ("due", due)):
        for item in rows:
            week = item["week"]
            if isinstance(week, datetime.datetime):
                week = week.date()
            if kind == "due" and week > this_week:
                later += item["n"]
                continue
            weeks.setdefault(week, {"signed_off": 0, "due": 0})[kind] += item["n"]
    result = []
    cum_signed = cum_due = 0
    for week in sorted(weeks):
        cum_signed += weeks[week]["signed_off"]
        cum_due += weeks[week]["due"]
        result.append({"week": week.isoformat(), **weeks[week],
                       "cum_signed_off": cum_signed, "cum_due": cum_due})
    if result:
        result[-1]["due_later"] = later
    return result


def round_stats(problems: QuerySet[Problem], round_: Round,
                today: datetime.date | None = None) -> dict[str, Any]:
    """Counts and rates for one round, per unit, county, group, category and 责任领导."""
    day = today or local_today()
    in_round = problems.filter(round=round_)
    measures = Measure.objects.filter(problem__in=in_round)
    categories = dict(ProblemCategory.objects.values_list("pk", "name"))
    result: dict[str, Any] = {
        "round": {"id": round_.pk, "name": round_.display_name},
        "today": day.isoformat(),
    }
    # Per unit in SQL; county, group and the total are sums of unit rows (a unit has one
    # county, and one group in a round).
    counted, due_weeks = _one_scan(in_round, measures, ["unit", "category"], day)
    by_unit = _breakdown("unit", in_round, measures, day, {}, counted.get("unit"))
    units = _units([r["key"] for r in by_unit])
    for row in by_unit:
        row["label"] = units.get(row["key"], (_NONE, None))[0]
    by_unit.sort(key=_order)
    county_of_unit = {pk: county for pk, (_name, county) in units.items()}
    group_of_unit = dict(Inspection.objects.filter(round=round_).values_list("unit_id",
                                                                           "group_id"))
    groups = dict(InspectionGroup.objects.filter(round=round_).values_list("pk", "name"))
    result["totals"] = _total(by_unit)
    result["unit"] = by_unit
    result["county"] = _rollup(by_unit, lambda unit: county_of_unit.get(unit), {})
    _label_counties(result["county"])
    result["group"] = _rollup(by_unit, lambda unit: group_of_unit.get(unit), groups)
    result["category"] = _breakdown("category", in_round, measures, day, categories,
                                    counted.get("category"))
    result["leader"] = _breakdown("leader", in_round, measures, day, {})
    figures = _figures(in_round, KEYS["unit"])
    result["figures"] = _figures_total(figures)
    for row in result["unit"]:
        row["figures"] = figures.get(row["key"], _EMPTY_FIGURES)
    # 屡查屡犯: the round's problems linked to a similar problem of an earlier round in the same
    # place, per unit (of the units in the caller's scope only).
    recurring = recurrence_counts(round_)
    for row in result["unit"]:
        row["recurrence"] = recurring.get(row["key"], 0)
    result["totals"]["recurrence"] = sum(row["recurrence"] for row in result["unit"])
    result["trend"] = trend(in_round, measures, day, due_weeks)
    return result


def _one_scan(problems: QuerySet[Problem], measures: QuerySet[Measure], names: list[str],
              day: datetime.date,
              ) -> tuple[dict[str, Counted], dict[datetime.date, int] | None]:
    """The breakdowns ``names`` and the trend's due weeks from one scan of the problems and one
    of the measures where the database can (``stats_wide``); else nothing, and each breakdown
    counts for itself."""
    if not stats_wide.supported():
        return {}, None
    problem_rows = stats_wide.problem_counts(problems, names, day)
    level_rows, due_weeks = stats_wide.measure_counts(measures, names, day)
    counted = {name: (problem_rows[name][0], level_rows[name], problem_rows[name][1])
               for name in names}
    return counted, due_weeks


def _units(ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """Unit id -> (name, county id): for the units given, or for all when they are many (one
    pass over the units table beats a list of thousands of parameters)."""
    units = PartyOrganisation.objects.all()
    if len(ids) <= 1000:
        units = units.filter(pk__in=ids)
    rows = units.annotate(county_key=county_of("region")).values_list("pk", "name", "county_key")
    return {pk: (name, county) for pk, name, county in rows}


def _label_counties(rows: list[dict[str, Any]]) -> None:
    counties = dict(Region.objects.filter(
        pk__in=[r["key"] for r in rows if r["key"]]).values_list("pk", "name"))
    for row in rows:
        row["label"] = counties.get(row["key"], _NONE)
    rows.sort(key=_order)


def _order(row: dict[str, Any]) -> tuple[int, str]:
    return (-row["total"], str(row["label"]))


def committee_stats(problems: QuerySet[Problem], rounds: QuerySet[Round],
                    committee: int | None = None, year: int | None = None,
                    today: datetime.date | None = None) -> dict[str, Any]:
    """Counts and rates per round, year, county and category over the rounds the user sees."""
    day = today or local_today()
    if committee is not None:
        problems = problems.filter(round__committee_id=committee)
        rounds = rounds.filter(committee_id=committee)
    if year is not None:
        problems = problems.filter(round__inspection_start__year=year)
        rounds = rounds.filter(inspection_start__year=year)
    visible = list(rounds.select_related("committee"))
    wide = len(visible) > WIDE_ROUNDS
    if not wide:
        # Every scoped problem is in a visible round: naming the rounds lets the database
        # start from the round index instead of testing the scope on every problem (SQLite
        # otherwise tests it on all million, in each grouped query).
        problems = problems.filter(round_id__in=[r.pk for r in visible])
    # Over most of the data, hashed joins (see ``analytic_session``); a committee's few
    # thousand problems are best reached through the indexes, as the planner does.
    with analytic_session(hash_joins=wide):
        return _committee_stats(problems, visible, day)


def _committee_stats(problems: QuerySet[Problem], visible: list[Round],
                     day: datetime.date) -> dict[str, Any]:
    measures = Measure.objects.filter(problem__in=problems)
    names = {r.pk: r.display_name for r in visible}
    year_of_round = {r.pk: r.inspection_start.year if r.inspection_start else None
                     for r in visible}
    categories = dict(ProblemCategory.objects.values_list("pk", "name"))
    result: dict[str, Any] = {"today": day.isoformat()}
    counted, due_weeks = _one_scan(problems, measures, ["round", "unit", "category"], day)
    # Per round in SQL; the years and the total are sums of round rows.
    by_round = _breakdown("round", problems, measures, day, names, counted.get("round"))
    result["totals"] = _total(by_round)
    result["round"] = by_round
    by_year = _rollup(by_round, lambda pk: year_of_round.get(pk), {})
    for row in by_year:
        row["label"] = f"{row['key']}年" if row["key"] else _NONE
    by_year.sort(key=lambda r: r["key"] or 0)
    result["year"] = by_year
    # Counties: per unit in SQL, summed in Python (grouping by the county itself joins the
    # region chain for every problem and every measure — seconds at a province's size).
    by_unit = _breakdown("unit", problems, measures, day, {}, counted.get("unit"))
    units = _units([r["key"] for r in by_unit])
    result["county"] = _rollup(by_unit, lambda unit: units.get(unit, ("", None))[1], {})
    _label_counties(result["county"])
    result["category"] = _breakdown("category", problems, measures, day, categories,
                                    counted.get("category"))
    figures = _figures(problems, KEYS["round"])
    result["figures"] = _figures_total(figures)
    for row in result["round"]:
        row["figures"] = figures.get(row["key"], _EMPTY_FIGURES)
    result["trend"] = trend(problems, measures, day, due_weeks)
    return result


def cached(user_id: int | None, name: str, compute: Callable[[], dict[str, Any]],
           *args: Any) -> dict[str, Any]:
    """``compute()`` kept (per process, ``STATS_CACHE_SECONDS``) until anything is written.

    Every write moves the data version (``xuncha.pagecache.version``: a problem created,
    edited or imported, a plan submitted or approved, a measure reported or signed off, a
    deadline or a unit's scope changed); keyed by it, by the day (levels move with the date),
    by the deadline settings and by the user (each sees their own scope), a cached dashboard
    is never stale, and one primary-key read replaces the aggregates.
    """
    seconds = getattr(settings, "STATS_CACHE_SECONDS", 600)
    version = data_version() if seconds else None
    if version is None:
        return compute()
    key = ":".join(str(part) for part in (
        "xuncha:stats", name, user_id, local_today(), version,
        settings.DEADLINE_NOTICE_DAYS,
        settings.DEADLINE_WARNING_DAYS, *args,
    ))
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
