"""The round and committee dashboards: charts (ECharts, from our own static files) with the
numbers as tables beside them; clicking a bar opens the problems behind it (the search page,
filtered)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.inspections.models import Committee, RectificationStatus
from xuncha.inspections.stats import committee_stats, round_stats

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
    "category": ("按问题类别", "category"),
}
STATUS_LABELS = dict(RectificationStatus.choices)


def _charts(stats: dict[str, Any], specs: dict[str, tuple[str, str | None]]) -> list[dict]:
    return [{"name": name, "title": title, "filter": flt, "rows": stats[name]}
            for name, (title, flt) in specs.items()]


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


@login_required
@require_GET
def round_dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    stats = round_stats(access.problems_for(request.user), round_)
    return render(request, "web/dashboard.html", {
        "title": f"{round_.display_name} · 整改统计", "round": round_, "stats": stats,
        "charts": _charts(stats, ROUND_CHARTS),
        "chart_data": {"base": {"round": round_.pk}, "statuses": STATUS_LABELS,
                       "charts": _charts(stats, ROUND_CHARTS)},
    })


@login_required
@require_GET
def committee_dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    committee_id = _year_free_id(request.GET.get("committee"))
    stats = committee_stats(access.problems_for(request.user), access.rounds_for(request.user),
                            committee_id, year)
    committees = Committee.objects.filter(
        pk__in=access.rounds_for(request.user).values("committee_id")
    ).order_by("name")
    return render(request, "web/dashboard.html", {
        "title": "整改统计" + (f" · {year}年" if year else ""), "stats": stats,
        "charts": _charts(stats, COMMITTEE_CHARTS), "committees": committees,
        "year": year, "committee_id": committee_id,
        "chart_data": {"base": {}, "statuses": STATUS_LABELS,
                       "charts": _charts(stats, COMMITTEE_CHARTS)},
    })


def _year_free_id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None
