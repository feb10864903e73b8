"""The round and committee dashboards: charts (ECharts, from our own static files) with the
numbers as tables beside them; clicking a bar opens the problems behind it (the search page,
filtered). ``?export=xlsx`` gives every table as a sheet of a workbook."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.inspections.models import Committee, RectificationStatus
from xuncha.inspections.stats import cached, committee_stats, round_stats
from xuncha.inspections.stats_xlsx import stats_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Breakdown -> (title, the search filter a bar opens, or None where search has no filter).
ROUND_CHARTS = {
    "unit": ("按被巡察单位", "unit"),
    "county": ("按县市", "county"),
    "group": ("按巡察组", None),
    "category": ("按问题类别", "category"),
    "leader": ("按责任领导（整改措施）", None),
}
COMMITTEE_CHARTS = {
    "round": ("按轮次", "round"),
    "year": ("按年度（进驻时间）", None),
    "county": ("按县市", "county"),
    "category": ("按问题类别", "category"),
}
STATUS_LABELS = dict(RectificationStatus.choices)
LEVEL_LABELS = {"overdue": "已逾期", "warning": "即将到期", "notice": "临近时限",
                "late_plans": "整改方案逾期"}


#: Rows a chart and its table show at most (the largest first); the export and the API hold
#: all. A round can have thousands of 责任领导, a province thousands of rounds: drawn as bars
#: or rendered as table rows they make a page nobody can read, and a slow one.
MAX_ROWS = 40


def _shown(chart: dict[str, Any]) -> dict[str, Any]:
    rows = chart["rows"]
    return {**chart, "rows": rows[:MAX_ROWS], "more": max(0, len(rows) - MAX_ROWS)}


def _urgency(row: dict[str, Any]) -> tuple[int, int, int, int]:
    levels = row["levels"]
    return (-(levels["overdue"] + row["late_plans"]), -levels["warning"], -levels["notice"],
            -row["total"])


def _charts(stats: dict[str, Any], specs: dict[str, tuple[str, str | None]],
            levels_by: str) -> list[dict]:
    charts: list[dict[str, Any]] = [
        {"name": name, "kind": "status", "title": title, "filter": flt, "rows": stats[name]}
        for name, (title, flt) in specs.items()
    ]
    title, flt = specs[levels_by]
    urgent = sorted((row for row in stats[levels_by]
                     if any(row["levels"].values()) or row["late_plans"]), key=_urgency)
    charts.insert(1, {"name": "levels", "kind": "levels", "by": levels_by,
                      "title": "逾期与临近时限" + title.replace("按", "（按", 1) + "）",
                      "filter": flt, "rows": urgent})
    shown = [_shown(chart) for chart in charts]
    # The trend is one row per week: all of them.
    shown.append({"name": "trend", "kind": "trend", "title": "销号趋势（按周累计）",
                  "filter": None, "rows": stats["trend"], "more": 0})
    return shown


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


def _xlsx(stats: dict[str, Any], specs: dict[str, tuple[str, str | None]],
          title: str) -> HttpResponse:
    sheets = {name: spec[0] for name, spec in specs.items()}
    response = HttpResponse(stats_xlsx(stats, sheets, title), content_type=XLSX)
    name = f"{title}-{stats['today'].replace('-', '')}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return response


def _page(request: HttpRequest, context: dict[str, Any], charts: list[dict],
          base: dict[str, Any]) -> HttpResponse:
    return render(request, "web/dashboard.html", {
        **context, "charts": charts, "level_labels": LEVEL_LABELS,
        "chart_data": {"base": base, "statuses": STATUS_LABELS, "levels": LEVEL_LABELS,
                       "charts": charts},
    })


@login_required
@require_GET
def round_dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    stats = cached(request.user.pk, "round", lambda: round_stats(
        access.problems_for(request.user), round_), round_.pk)
    title = f"{round_.display_name} · 整改统计"
    if request.GET.get("export") == "xlsx":
        return _xlsx(stats, ROUND_CHARTS, title)
    return _page(request, {"title": title, "round": round_, "stats": stats,
                           "has_recurrence": True},
                 _charts(stats, ROUND_CHARTS, "unit"), {"round": round_.pk})


@login_required
@require_GET
def committee_dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    committee_id = _year_free_id(request.GET.get("committee"))
    stats = cached(request.user.pk, "committee", lambda: committee_stats(
        access.problems_for(request.user), access.rounds_for(request.user), committee_id, year,
    ), committee_id, year)
    title = "整改统计" + (f" · {year}年" if year else "")
    if request.GET.get("export") == "xlsx":
        return _xlsx(stats, COMMITTEE_CHARTS, title)
    committees = Committee.objects.filter(
        pk__in=access.rounds_for(request.user).values("committee_id")
    ).order_by("name")
    years = [d.year for d in access.rounds_for(request.user).order_by().dates(
        "inspection_start", "year", order="DESC")]
    return _page(request, {
        "title": title, "stats": stats, "committees": committees, "year": year,
        "years": years, "committee_id": committee_id,
    }, _charts(stats, COMMITTEE_CHARTS, "round"), {})


def _year_free_id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None
