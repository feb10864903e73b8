"""Read-only pages: rounds → a round → a unit → a problem. Thin: fetch through access, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.publishing import round_notice
from xuncha.inspections.queries import inspections_with_counts, rounds_with_counts
from xuncha.notices import writers


@require_GET
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds = rounds_with_counts(
        access.rounds_for(user), access.inspections_for(user), access.problems_for(user)
    )
    return render(request, "web/round_list.html", {"rounds": rounds})


@require_GET
@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    inspections = list(
        inspections_with_counts(
            access.inspections_for(request.user).filter(round=round_),
            access.problems_for(request.user),
        )
    )
    context = {
        "round": round_,
        "kinds": list(round_.kinds.all()),
        "inspections": inspections,
        "group_count": round_.groups.count(),
        "problem_total": sum(i.problem_count for i in inspections),  # type: ignore[attr-defined]
    }
    return render(request, "web/round_detail.html", context)


@require_GET
@login_required
def unit_detail(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    problems = (
        access.problems_for(request.user)
        .filter(round_id=round_id, unit_id=unit_id)
        .select_related("category")
        .order_by("order")
    )
    return render(
        request, "web/unit_detail.html", {"inspection": inspection, "problems": problems}
    )


@require_GET
@login_required
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    measures = problem.measures.prefetch_related("progress").order_by("order", "id")
    return render(request, "web/problem_detail.html", {"problem": problem, "measures": measures})


@require_GET
@login_required
def round_notice_download(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    # The whole round's notice spans every unit: for the office and supervisors only.
    access.require_role(request.user, Role.OFFICE, Role.SUPERVISOR)
    round_ = access.access_round(request.user, round_id)
    if fmt not in writers.WRITERS:
        raise Http404
    body = writers.render(round_notice(round_), fmt)
    content_type = {"txt": "text/plain", "html": "text/html"}[fmt]
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="round-{round_.pk}-notice.{fmt}"'
    return response
