"""Statistics for the dashboards and ``/api/…/stats``: status counts and rates per unit,
county, group, category and 责任领导, counted in SQL (one query per breakdown, so the number of
queries does not grow with the data) over the caller's already-scoped problems.

整改完成率 (completion rate) = (已销号 + 长期坚持) / all problems: a problem counts as rectified
once a reviewer has signed it off, or confirmed it as a long-term matter (长期坚持 is confirmed by
a reviewer, not claimed by the unit). 销号率 (signed-off rate) = 已销号 / all problems.
For 责任领导 the same rates are counted over measures (the leader answers for a measure).
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import ExtractYear

from xuncha.inspections.models import (
    Inspection,
    InspectionGroup,
    Measure,
    Problem,
    ProblemCategory,
    RectificationStatus,
    Region,
    Round,
)

STATUSES = [code for code, _ in RectificationStatus.choices]
DONE = (RectificationStatus.SIGNED_OFF, RectificationStatus.LONG_TERM)
_COUNTY_LEVELS = (Region.Level.COUNTY, Region.Level.PREFECTURE)


def county_of(path: str) -> Case:
    """The first county- (or prefecture-) level region at or above ``path`` (a Region FK)."""
    whens = []
    for _ in range(4):
        whens.append(When(**{f"{path}__level__in": _COUNTY_LEVELS}, then=F(f"{path}_id")))
        path += "__parent"
    return Case(*whens, default=None, output_field=IntegerField())


def _counts() -> dict[str, Count]:
    return {
        "total": Count("id"),
        **{f"n_{code}": Count("id", filter=Q(status=code)) for code in STATUSES},
    }


def _row(key: Any, label: str, values: dict[str, Any]) -> dict[str, Any]:
    total = values["total"]
    statuses = {code: values[f"n_{code}"] for code in STATUSES}
    done = sum(statuses[code] for code in DONE)
    return {
        "key": key, "label": label, "total": total, "statuses": statuses,
        "completion_rate": round(done / total, 4) if total else None,
        "signed_off_rate": (round(statuses[RectificationStatus.SIGNED_OFF] / total, 4)
                            if total else None),
    }


def _breakdown(rows: QuerySet, field: str, labels: dict[Any, str]) -> list[dict[str, Any]]:
    counted = rows.order_by().values(field).annotate(**_counts()).order_by(field)
    result = [_row(r[field], labels.get(r[field], "（未填）"), r) for r in counted]
    return sorted(result, key=lambda r: (-r["total"], str(r["label"])))


def round_stats(problems: QuerySet[Problem], round_: Round) -> dict[str, Any]:
    """Counts and rates for one round, per unit, county, group, category and 责任领导."""
    in_round = problems.filter(round=round_)
    group = Inspection.objects.filter(round=OuterRef("round"), unit=OuterRef("unit")).values(
        "group_id"
    )[:1]
    annotated = in_round.annotate(
        county_id=county_of("unit__region"),
        group_id=Subquery(group, output_field=IntegerField()),
    )
    unit_names = dict(in_round.order_by().values_list("unit_id", "unit__name").distinct())
    groups = dict(InspectionGroup.objects.filter(round=round_).values_list("pk", "name"))
    categories = dict(ProblemCategory.objects.values_list("pk", "name"))
    by_county = _breakdown(annotated, "county_id", {})
    counties = dict(Region.objects.filter(
        pk__in=[r["key"] for r in by_county if r["key"]]).values_list("pk", "name"))
    for row in by_county:
        row["label"] = counties.get(row["key"], "（未填）")
    measures = Measure.objects.filter(problem__in=in_round)
    by_leader = _breakdown(measures, "leader", {})
    for row in by_leader:
        row["label"] = row["key"] or "（未填）"
    totals = in_round.order_by().aggregate(**_counts())
    return {
        "round": {"id": round_.pk, "name": round_.display_name},
        "totals": _row(None, "合计", totals),
        "unit": _breakdown(annotated, "unit_id", unit_names),
        "county": by_county,
        "group": _breakdown(annotated, "group_id", groups),
        "category": _breakdown(annotated, "category_id", categories),
        "leader": by_leader,
    }


def committee_stats(problems: QuerySet[Problem], rounds: QuerySet[Round],
                    committee: int | None = None, year: int | None = None) -> dict[str, Any]:
    """Counts and rates per round and per year over the rounds the user sees."""
    if committee is not None:
        problems = problems.filter(round__committee_id=committee)
        rounds = rounds.filter(committee_id=committee)
    year_of = ExtractYear("round__inspection_start")
    if year is not None:
        problems = problems.filter(round__inspection_start__year=year)
        rounds = rounds.filter(inspection_start__year=year)
    names = {r.pk: r.display_name for r in rounds.select_related("committee")}
    by_round = _breakdown(problems, "round_id", names)
    by_year = _breakdown(problems.annotate(year=year_of), "year", {})
    for row in by_year:
        row["label"] = f"{row['key']}年" if row["key"] else "（未填）"
    by_year.sort(key=lambda r: r["key"] or 0)
    categories = dict(ProblemCategory.objects.values_list("pk", "name"))
    return {
        "totals": _row(None, "合计", problems.order_by().aggregate(**_counts())),
        "round": by_round,
        "year": by_year,
        "category": _breakdown(problems, "category_id", categories),
    }
