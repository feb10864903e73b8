"""The overdue board (督办): open measures due soon or past due, per unit or per leader."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure
from xuncha.workflow.deadlines import BOARD_SORTS, board
from xuncha.workflow.exports import board_xlsx
from xuncha.workflow.models import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def overdue_board(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE, Role.GROUP, Role.SUPERVISOR)
    by = request.GET.get("by", "unit")
    by = by if by in ("unit", "leader") else "unit"
    sort = request.GET.get("sort", "overdue")
    sort = sort if sort in BOARD_SORTS else "overdue"
    day = today()
    measures = Measure.objects.filter(problem__in=access.problems_for(request.user))
    rows = board(measures, day, by=by, sort=sort)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(board_xlsx(rows, day, by=by), content_type=XLSX)
        name = f"逾期督办-{day:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
        return response
    return render(
        request, "web/board.html",
        {"rows": rows, "by": by, "sort": sort, "today": day,
         "totals": {k: sum(getattr(r, k) for r in rows) for k in ("overdue", "warning", "notice")}},
    )
