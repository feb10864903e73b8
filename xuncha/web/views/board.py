"""The overdue board (督办): late plans and open measures due soon or past due, per unit or per
leader; the items behind each count; and the batch actions taken from it (督办, sign-off)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure, RectificationStatus
from xuncha.inspections.queries import board_session
from xuncha.jobs import services as jobs
from xuncha.pagecache.pages import cached_page
from xuncha.web.keyset import keyset_page
from xuncha.web.views.scope import require
from xuncha.workflow import services
from xuncha.workflow.deadlines import (
    BOARD_SORTS,
    CLOSED,
    Level,
    board,
    late_plans,
    level_filter,
)
from xuncha.workflow.models import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What a board count can open: a deadline level, late plans, or measures awaiting sign-off.
ITEM_KINDS = {
    "overdue": "已逾期的整改措施",
    "warning": "即将到期的整改措施",
    "notice": "临近时限的整改措施",
    "late_plan": "逾期未批准的整改方案",
    "pending": "申请销号待验收的整改措施",
}
BOARD_ROLES = (Role.OFFICE, Role.GROUP, Role.SUPERVISOR)


@login_required
@require_GET
@cached_page
def overdue_board(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, *BOARD_ROLES)
    return _board_page(request, request.GET)


def _board_page(request: HttpRequest, query: QueryDict, status: int = 200) -> HttpResponse:
    by = query.get("by", "unit")
    by = by if by in ("unit", "leader") else "unit"
    sort = query.get("sort", "overdue")
    sort = sort if sort in BOARD_SORTS else "overdue"
    day = today()
    problems = access.problems_for(request.user)
    measures = Measure.objects.filter(problem__in=problems)
    with board_session(request.user):
        rows = board(measures, day, by=by, sort=sort, problems=problems)
    totals = {k: sum(getattr(r, k) for r in rows)
              for k in ("overdue", "warning", "notice", "late_plans", "pending")}
    # A province has thousands of 责任领导: the counts are all taken, the rows shown a page at
    # a time (rendering 2,700 rows cost more than counting them).
    page = Paginator(rows, settings.PAGE_SIZE).get_page(query.get("page"))
    return render(request, "web/board.html", {
        "rows": page.object_list, "page": page, "row_count": len(rows), "by": by, "sort": sort,
        "today": day, "totals": totals, "can_supervise": access.can_manage_round(request.user),
    }, status=status)


@login_required
@require_POST
def board_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: the board's workbook is written by a background job (a province's board
    lists hundreds of thousands of measures); its page shows the progress and the download."""
    access.require_role(request.user, *BOARD_ROLES)
    by = request.POST.get("by")
    sort = request.POST.get("sort", "overdue")
    if by not in ("unit", "leader") or sort not in BOARD_SORTS:
        return HttpResponseBadRequest("导出参数有误：须按被巡察单位或责任领导汇总")
    job = jobs.start_board_export(request.user, by, sort)
    return redirect("job-detail", job.pk)


@login_required
@require_GET
def board_items(request: HttpRequest) -> HttpResponse:
    """The items behind one count of the board: ?kind=…&unit=ID or &leader=NAME."""
    access.require_role(request.user, *BOARD_ROLES)
    return _items_page(request, request.GET)


def _items_page(request: HttpRequest, query: QueryDict, status: int = 200) -> HttpResponse:
    kind = query.get("kind", "overdue")
    if kind not in ITEM_KINDS:
        raise Http404
    day = today()
    problems = access.problems_for(request.user)
    unit_id = _int(query.get("unit"))
    leader = query.get("leader")
    if unit_id is not None:
        problems = problems.filter(unit_id=unit_id)
    context: dict[str, object] = {"kind": kind, "title": ITEM_KINDS[kind], "today": day}
    if kind == "late_plan":
        # Late plans are ordered by their (computed) deadline, so offset pages; there are few.
        late = late_plans(problems, day).select_related("unit").order_by(
            "plan_due", "unit_id", "order", "id")
        context["page"] = Paginator(late, settings.PAGE_SIZE).get_page(query.get("page"))
        context["problems"] = context["page"].object_list  # type: ignore[attr-defined]
        context["filters"] = _without_cursor(query, "page")
    else:
        # Whoever sees every problem needs no scope condition, which would only hide the
        # due-date order from the index.
        scoped = Measure.objects.filter(problem__in=problems) if problems.query.where else (
            Measure.objects.all())
        measures = scoped.select_related("problem__unit")
        if leader is not None:
            measures = measures.filter(leader="" if leader == "（未填写）" else leader)
        if kind == "pending":
            measures = measures.filter(status=RectificationStatus.PENDING_REVIEW)
        else:
            measures = measures.exclude(status__in=CLOSED).filter(level_filter(Level(kind), day))
        # Every open measure of a province can be overdue at once: a page at a time, by
        # cursor, as fast at the last page as at the first.
        page = keyset_page(measures, ("due_date", "id"), query.get("cursor"),
                           settings.PAGE_SIZE)
        context["measures"] = page.rows
        context["keyset"] = page
        context["filters"] = _without_cursor(query)
        context["can_review"] = kind == "pending" and access.role_of(request.user) in (
            Role.OFFICE, Role.GROUP,
        )
    return render(request, "web/board_items.html", context, status=status)


def _without_cursor(query: QueryDict, *names: str) -> str:
    """The list's other query parameters, for its page links."""
    kept = query.copy()
    for name in ("cursor", *names):
        kept.pop(name, None)
    return kept.urlencode()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        raise Http404 from None


def _query_of_next(request: HttpRequest) -> QueryDict:
    """The query of the page the batch form came from, to show it again with the error."""
    return QueryDict(urlsplit(request.POST.get("next", "")).query)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def board_supervise(request: HttpRequest) -> HttpResponse:
    """督办: one reminder notification to each selected unit's users, with the office's note."""
    access.require_role(request.user, *BOARD_ROLES)
    require(access.can_manage_round(request.user), "只有巡察办可以督办")
    unit_ids = [_int(value) for value in request.POST.getlist("unit")]
    note = request.POST.get("note", "")
    if not unit_ids:
        messages.error(request, "请勾选要督办的被巡察单位")
        return _board_page(request, _query_of_next(request), status=400)
    done = []
    for unit_id in unit_ids:
        try:
            inspection = access.access_unit_inspection(request.user, unit_id or 0)
        except Http404:
            messages.error(request, f"被巡察单位（编号 {unit_id}）不存在或不在你的范围内")
            continue
        try:
            services.supervise(request.user, inspection, note)
        except services.ServiceError as error:
            messages.error(request, f"{inspection.unit.name}：{error.message}")
            if error.field == "comment":
                break  # the same note would fail for every unit
        else:
            done.append(inspection.unit.name)
    if done:
        messages.success(request, f"已督办 {len(done)} 个单位：{'、'.join(done)}")
    return _back(request, reverse("overdue-board"))


@login_required
@require_POST
def board_review(request: HttpRequest) -> HttpResponse:
    """Sign off or return several measures at once: each one through ``review_measure``."""
    access.require_role(request.user, *BOARD_ROLES)
    require(access.role_of(request.user) in (Role.OFFICE, Role.GROUP),
            "只有巡察办或负责该单位的巡察组可以验收销号")
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    ids = [_int(value) for value in request.POST.getlist("measure")]
    fallback = reverse("board-items") + "?" + urlencode({"kind": "pending"})
    if not ids:
        messages.error(request, "请勾选要验收的整改措施")
        query = _query_of_next(request)
        if "kind" not in query:
            query = QueryDict("kind=pending")
        return _items_page(request, query, status=400)
    succeeded = 0
    for measure_id in ids:
        try:
            measure = access.access_measure(request.user, measure_id or 0)
        except Http404:
            messages.error(request, f"整改措施（编号 {measure_id}）不存在或不在你的范围内")
            continue
        label = f"{measure.problem.unit.name} 问题{measure.problem.order} 措施{measure.order}"
        try:
            services.review_measure(request.user, measure, decision, comment)
        except (services.ServiceError, PermissionDenied) as error:
            messages.error(request, f"{label}：{getattr(error, 'message', None) or error}")
        else:
            succeeded += 1
    if succeeded:
        done = "销号" if decision == "approve" else "退回整改"
        messages.success(request, f"已{done} {succeeded} 项整改措施")
    return _back(request, fallback)
