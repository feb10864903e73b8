"""The REST API: thin views over the same access rules and services as the web pages.

Each view fetches through ``xuncha.access`` (anything outside the user's scope is a 404),
checks the request's shape with a serializer, calls one service function, and answers with
what is now stored. Views never write rows themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.db.models import BooleanField, Count, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.decorators import (
    api_view,
    content_negotiation_class,
    parser_classes,
)
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from xuncha import access
from xuncha.api import serializers as s
from xuncha.api import setup_serializers as setup_s
from xuncha.inspections.figures import totals
from xuncha.inspections.models import Measure, Problem, ProgressReport, Round
from xuncha.inspections.queries import (
    NOTICE_SOURCES,
    counted_rounds_page,
    inspections_with_counts,
    rounds_with_counts,
)
from xuncha.pagecache import version
from xuncha.workflow import evidence as evidence_files
from xuncha.workflow import rounds, services

_ERRORS = {
    400: "请求内容有误：error 说明原因，field 指出字段",
    401: "未登录，或 API 令牌无效",
    403: "可以查看，但无权执行此操作",
    404: "不存在，或不在你的权限范围内",
    409: "该内容已被他人修改：current 为最新内容",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(s.ErrorSerializer, description=_ERRORS[code]) for code in codes}


def _validated(serializer: Any) -> dict[str, Any]:
    """The serializer's data, or a ServiceError (400) naming the first field at fault."""
    if serializer.is_valid():
        return dict(serializer.validated_data)
    field, messages = next(iter(serializer.errors.items()))
    if field == api_settings.NON_FIELD_ERRORS_KEY:
        raise services.ServiceError("请求内容须为 JSON 对象（键值对）", None)
    raise services.ServiceError(_first(messages), field)


def _require(allowed: bool, message: str = "无权执行此操作") -> None:
    """403 before the body is read: who may not act never learns what a valid body is."""
    if not allowed:
        raise PermissionDenied(message)


def _first(messages: Any) -> str:
    while isinstance(messages, dict | list):
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages)


# --- fetching through access ----------------------------------------------------------------


def _with_details(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    # Each report's 整改成效 comes with it: its figures joined, its rules in one query.
    reports = ProgressReport.objects.select_related("figures").prefetch_related("rules")
    return measures.prefetch_related(Prefetch("progress", queryset=reports), "evidence").order_by(
        "order", "id")


def _measure_data(request: Request, measure_id: int) -> dict[str, Any]:
    measure = _with_details(Measure.objects.filter(pk=measure_id)).get()
    return s.MeasureSerializer(measure, context={"request": request}).data


# --- rounds ---------------------------------------------------------------------------------


def _rounds(user: Any) -> QuerySet[Round]:
    return rounds_with_counts(
        access.rounds_for(user), access.inspections_for(user), access.problems_for(user)
    )


@extend_schema(
    methods=["GET"], operation_id="rounds_list", tags=["轮次"], summary="可见的巡察轮次（分页）",
    parameters=[setup_s.PageQuerySerializer],
    responses={200: setup_s.RoundPageSerializer, **_errors(400, 401)},
)
@extend_schema(
    methods=["POST"], operation_id="round_create", tags=["轮次"],
    summary="新建轮次（巡察办）",
    request=setup_s.RoundInputSerializer,
    responses={201: s.RoundDetailSerializer, **_errors(400, 401, 403)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def round_list(request: Request) -> Response:
    if request.method == "POST":
        _require(access.can_manage_round(request.user), "只有巡察办可以新建轮次")
        data = _validated(setup_s.RoundInputSerializer(data=request.data))
        round_ = rounds.create_round(request.user, data)
        return Response(_round_data(request.user, round_.pk), status=http.HTTP_201_CREATED)
    query = _validated(setup_s.PageQuerySerializer(data=request.query_params))
    page, size = query["page"], query["page_size"]
    user = request.user
    visible = access.rounds_for(user)
    count = visible.count()
    # Offset pages: a province holds thousands of rounds, not millions, and only the page's
    # rounds are counted.
    listed = counted_rounds_page(visible, access.inspections_for(user), access.problems_for(user),
                                 (page - 1) * size, size)
    items = s.RoundSerializer(listed, many=True).data
    return Response({
        "count": count, "page": page, "page_size": size,
        "next": _page_number_link(request, page + 1) if page * size < count else None,
        "previous": _page_number_link(request, page - 1) if page > 1 else None,
        "items": items,
    })


def _page_number_link(request: Request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _round_data(user: Any, round_id: int) -> dict[str, Any]:
    units = inspections_with_counts(access.inspections_for(user), access.problems_for(user))
    round_ = (
        _rounds(user)
        .annotate(group_count=Count("groups", distinct=True))
        .prefetch_related(Prefetch("inspections", queryset=units, to_attr="units"))
        .prefetch_related(Prefetch("documents", queryset=NOTICE_SOURCES, to_attr="notice_sources"))
        .filter(pk=round_id)
        .first()
    )
    if round_ is None:
        raise Http404
    figures = totals(round_, problems=access.problems_for(user))
    round_.figures = figures.to_json()  # type: ignore[attr-defined]
    return s.RoundDetailSerializer(round_).data


@extend_schema(
    methods=["GET"], operation_id="round_retrieve", tags=["轮次"],
    summary="一轮巡察：基本情况、时限、被巡察单位",
    responses={200: s.RoundDetailSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["PATCH"], operation_id="round_update", tags=["轮次"],
    summary="修改轮次（巡察办；只改所给的字段，记入操作记录）",
    request=setup_s.RoundPatchSerializer,
    responses={200: s.RoundDetailSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "PATCH"])
@parser_classes([JSONParser])
def round_detail(request: Request, round_id: int) -> Response:
    if request.method == "PATCH":
        round_ = access.access_round(request.user, round_id)
        _require(access.can_manage_round(request.user), "只有巡察办可以修改轮次")
        data = _validated(setup_s.RoundPatchSerializer(data=request.data))
        rounds.edit_round(request.user, round_, data)
    return Response(_round_data(request.user, round_id))


# --- problems -------------------------------------------------------------------------------


def _filtered(problems: QuerySet[Problem], query: dict[str, Any]) -> QuerySet[Problem]:
    for name, lookup in (("round", "round_id"), ("unit", "unit_id"), ("status", "status"),
                         ("plan_state", "plan_state"), ("category", "category_id")):
        if query.get(name) is not None:
            problems = problems.filter(**{lookup: query[name]})
    if query.get("q"):
        problems = problems.filter(text__icontains=query["q"])
    return problems


@extend_schema(
    operation_id="problems_list", tags=["反馈问题"], summary="可见的反馈问题（分页、筛选）",
    parameters=[s.ProblemQuerySerializer],
    responses={200: s.ProblemPageSerializer, **_errors(400, 401)},
)
@api_view(["GET"])
def problem_list(request: Request) -> Response:
    query = _validated(s.ProblemQuerySerializer(data=request.query_params))
    problems = _filtered(access.problems_for(request.user), query)
    page, size = query["page"], query["page_size"]
    count = _count(request, problems, query)
    ordered = problems.select_related("unit", "category")
    keys = ("round_id", "unit_id", "order", "id")
    backward = [f"-{key}" for key in keys]
    if query.get("before"):
        # The page before a row: the same index scanned the other way, then put back in order.
        rows = list(ordered.filter(_beyond(query["before"], "<")).order_by(*backward)[: size + 1])
        has_previous, has_next = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        if query.get("after"):
            ordered = ordered.filter(_beyond(query["after"], ">"))
            has_previous = True
            rows = list(ordered.order_by(*keys)[: size + 1])
        else:
            has_previous = page > 1
            rows = _offset_rows(problems, ordered, (page - 1) * size, size + 1, count)
        has_next = len(rows) > size
        rows = rows[:size]
    cursor = _problem_cursor(rows[-1]) if has_next and rows else None
    before = _problem_cursor(rows[0]) if has_previous and rows else None
    items = s.ProblemSerializer(rows, many=True).data
    return Response({
        "count": count, "page": page, "page_size": size, "next_cursor": cursor,
        "previous_cursor": before,
        "next": _page_link(request, "after", cursor),
        "previous": _page_link(request, "before", before),
        "items": items,
    })


def _count(request: Request, problems: QuerySet[Problem], query: dict[str, Any]) -> int:
    """How many problems the list holds, counted once per data version for a user and filters.

    Counting a province's million problems takes PostgreSQL 100–400 ms; the same total is
    asked for by every page of the list, and it changes only when the data does (every write
    moves the version, so a count is never stale).
    """
    data_version = version.current()
    if data_version is None:
        return problems.count()
    filters = repr(sorted((name, str(value)) for name, value in query.items()
                          if name not in ("page", "page_size", "after", "before")))
    digest = hashlib.sha256(filters.encode()).hexdigest()[:32]
    key = f"problem-count:{data_version}:{request.user.pk}:{digest}"
    count = cache.get(key)
    if count is None:
        count = problems.count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


#: How long a list's total is kept (it is keyed by the data version, so this only bounds memory).
COUNT_SECONDS = 600


def _offset_rows(problems: QuerySet[Problem], ordered: QuerySet[Problem], start: int,
                 size: int, count: int) -> list[Problem]:
    """``size`` rows from position ``start`` of the list: a page number (``page=``).

    An offset is a walk over every row before it, so it walks as little as it can: from the
    nearer end of the list, over the (round, unit, order) index alone (ids only), and then
    fetches just the page's rows. Cursors (``after``/``before``) need no walk at all.
    """
    keys = ("round_id", "unit_id", "order")
    if start > count // 2:
        # Nearer the end: the same rows counted from the other end.
        end = max(0, count - start)
        ids = problems.order_by(*(f"-{key}" for key in keys)).values("pk")[
            max(0, end - size) : end]
    else:
        ids = problems.order_by(*keys).values("pk")[start : start + size]
    # One query: the page's ids found in the index (a subquery), then their rows and joins.
    rows = list(ordered.filter(pk__in=ids))
    return sorted(rows, key=lambda problem: (problem.round_id, problem.unit_id, problem.order))


def _beyond(cursor: str, operator: str) -> RawSQL:
    """Rows after (``>``) or before (``<``) the cursor's row in list order.

    Keyset pagination: an index range scan, as fast at the millionth row as at the first.
    (round, unit, order) is unique, so it alone places a row; the row-value comparison lets
    both databases start the scan inside the index instead of filtering up to it.
    """
    r, u, o, _id = (int(part) for part in cursor.split("-"))
    table = connection.ops.quote_name(Problem._meta.db_table)
    key = ", ".join(f"{table}.{connection.ops.quote_name(c)}"
                    for c in ("round_id", "unit_id", "order"))
    return RawSQL(  # noqa: S611 - model column names and our operator; the values are parameters
        f"({key}) {operator} (%s, %s, %s)", [r, u, o], output_field=BooleanField()
    )


def _problem_cursor(problem: Problem) -> str:
    return f"{problem.round_id}-{problem.unit_id}-{problem.order}-{problem.pk}"


def _page_link(request: Request, name: str, cursor: str | None) -> str | None:
    """This request's URL (its filters and page size kept) at the page beside the cursor."""
    if cursor is None:
        return None
    params = request.query_params.copy()
    for other in ("page", "after", "before"):
        params.pop(other, None)
    params[name] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@extend_schema(
    operation_id="problem_retrieve", tags=["反馈问题"],
    summary="一个问题：整改措施、进展、佐证材料和操作记录",
    responses={200: s.ProblemDetailSerializer, **_errors(401, 404)},
)
@api_view(["GET"])
def problem_detail(request: Request, problem_id: int) -> Response:
    problem = access.access_problem(request.user, problem_id)
    prefetch_related_objects(
        [problem],
        Prefetch("measures", queryset=_with_details(Measure.objects.all())),
        Prefetch("events", queryset=access.history_for(request.user, problem)),
    )
    return Response(s.ProblemDetailSerializer(problem, context={"request": request}).data)


# --- the plan -------------------------------------------------------------------------------


@extend_schema(
    operation_id="measure_create", tags=["整改方案"],
    summary="为问题新增一项整改措施（被巡察单位）",
    request=s.MeasureInputSerializer,
    responses={201: s.MeasureSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def measure_create(request: Request, problem_id: int) -> Response:
    problem = access.access_problem(request.user, problem_id)
    _require(access.can_edit_plan(request.user, problem), "只有被巡察单位可以制定整改措施")
    data = _validated(s.MeasureInputSerializer(data=request.data))
    measure = services.add_measure(request.user, problem, data)
    return Response(_measure_data(request, measure.pk), status=http.HTTP_201_CREATED)


@extend_schema(
    methods=["GET"], operation_id="measure_retrieve", tags=["整改方案"],
    summary="一项整改措施（含进展和佐证材料）",
    responses={200: s.MeasureSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["PATCH"], operation_id="measure_update", tags=["整改方案"],
    summary="修改整改措施（被巡察单位；须带上读取时的 version）",
    request=s.MeasurePatchSerializer,
    responses={
        200: s.MeasureSerializer,
        409: OpenApiResponse(s.StaleMeasureSerializer, description=_ERRORS[409]),
        **_errors(400, 401, 403, 404),
    },
)
@api_view(["GET", "PATCH"])
@parser_classes([JSONParser])
def measure_detail(request: Request, measure_id: int) -> Response:
    measure = access.access_measure(request.user, measure_id)
    if request.method == "GET":
        return Response(_measure_data(request, measure.pk))
    _require(access.can_edit_plan(request.user, measure.problem), "只有被巡察单位可以修改整改措施")
    data = _validated(s.MeasurePatchSerializer(data=request.data))
    version = data.pop("version")
    fields = {name: getattr(measure, name) for name in services.MEASURE_FIELDS} | data
    try:
        services.edit_measure(request.user, measure, fields, version)
    except services.StaleEdit as stale:
        body = {"error": stale.message, "field": stale.field,
                "current": _measure_data(request, measure.pk)}
        return Response(body, status=http.HTTP_409_CONFLICT)
    return Response(_measure_data(request, measure.pk))


@extend_schema(
    operation_id="plan_update", tags=["整改方案"],
    summary="报送、批准或退回一个问题的整改方案",
    description="被巡察单位 submit；巡察办或负责该单位的巡察组 approve，"
    "或 return（须填写 comment）。",
    request=s.PlanInputSerializer,
    responses={200: s.PlanSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def plan_update(request: Request, problem_id: int) -> Response:
    problem = access.access_problem(request.user, problem_id)
    # Which action the body asks for decides who may; here, whoever may take either.
    user = request.user
    _require(access.can_edit_plan(user, problem) or access.can_review(user, problem))
    data = _validated(s.PlanInputSerializer(data=request.data))
    if data["action"] == "submit":
        problem = services.submit_plan(request.user, problem)
    else:
        problem = services.decide_plan(
            request.user, problem, data["action"], data.get("comment", "")
        )
    return Response(s.PlanSerializer(problem).data)


# --- progress, review, evidence -------------------------------------------------------------


def _read(uploads: Iterable[UploadedFile]) -> list[tuple[str, bytes]]:
    """The uploads as (name, bytes), refusing oversize files before reading them into memory."""
    limit = settings.EVIDENCE_MAX_BYTES
    files = []
    for upload in uploads:
        name = upload.name or "未命名文件"
        if (upload.size or 0) > limit:
            raise services.ServiceError(
                f"“{name}”大小为 {_size(upload.size or 0)}，超过 {_size(limit)} 的上限",
                "evidence",
            )
        files.append((name, upload.read()))
    return files


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.1f} KB"


@extend_schema(
    operation_id="progress_create", tags=["整改进展"],
    summary="报告整改进展并上传佐证材料（被巡察单位；整改方案须已批准）",
    request={"multipart/form-data": s.ProgressInputSerializer},
    responses={201: s.ProgressResultSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def progress_create(request: Request, measure_id: int) -> Response:
    measure = access.access_measure(request.user, measure_id)
    _require(access.can_edit_plan(request.user, measure.problem), "只有被巡察单位可以报告整改进展")
    serializer = s.ProgressInputSerializer(data=request.data)
    data = _validated(serializer)
    report = services.report_progress(
        request.user, measure, content=data["content"], status=data["status"],
        files=_read(data.get("evidence", [])), reported_on=data.get("reported_on"),
        figures=serializer.figures(),
    )
    context = {"request": request}
    body = s.ProgressSerializer(report).data | {
        "evidence": s.EvidenceSerializer(report.evidence.all(), many=True, context=context).data,
        "measure": _measure_data(request, measure.pk),
    }
    return Response(body, status=http.HTTP_201_CREATED)


@extend_schema(
    operation_id="measure_review", tags=["验收销号"],
    summary="验收：销号或退回整改；确认或退回长期坚持申请（巡察办或负责该单位的巡察组）",
    description="措施为 pending_review 时 approve 即销号（signed_off）；为 long_term_review 时"
    " approve 即确认长期坚持（long_term）。return 须填写 comment，措施变为 returned。",
    request=s.ReviewInputSerializer,
    responses={200: s.MeasureSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def measure_review(request: Request, measure_id: int) -> Response:
    measure = access.access_measure(request.user, measure_id)
    _require(access.can_review(request.user, measure.problem), "只有巡察办或负责的巡察组可以验收")
    data = _validated(s.ReviewInputSerializer(data=request.data))
    services.review_measure(request.user, measure, data["decision"], data.get("comment", ""))
    return Response(_measure_data(request, measure.pk))


@extend_schema(
    operation_id="evidence_supersede", tags=["整改进展"],
    summary="用新文件替换一份佐证材料（被巡察单位；措施未待审核、未销号时）",
    description="原文件保留并标为已替换（state=superseded），新文件计入佐证材料。",
    request={"multipart/form-data": s.EvidenceReplaceSerializer},
    responses={201: s.EvidenceSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def evidence_supersede(request: Request, evidence_id: int) -> Response:
    evidence = access.access_evidence(request.user, evidence_id)
    _require(access.can_edit_plan(request.user, evidence.measure.problem),
             "只有被巡察单位可以替换佐证材料")
    data = _validated(s.EvidenceReplaceSerializer(data=request.data))
    [(name, content)] = _read([data["file"]])
    new = services.supersede_evidence(request.user, evidence, name, content)
    body = s.EvidenceSerializer(new, context={"request": request}).data
    return Response(body, status=http.HTTP_201_CREATED)


@extend_schema(
    operation_id="evidence_withdraw", tags=["整改进展"],
    summary="撤回一份佐证材料（被巡察单位；措施未待审核、未销号时）",
    description="文件保留并标为已撤回（state=withdrawn），不再计入申请销号所需的佐证材料。",
    request=s.EvidenceWithdrawSerializer,
    responses={200: s.EvidenceSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def evidence_withdraw(request: Request, evidence_id: int) -> Response:
    evidence = access.access_evidence(request.user, evidence_id)
    _require(access.can_edit_plan(request.user, evidence.measure.problem),
             "只有被巡察单位可以撤回佐证材料")
    data = _validated(s.EvidenceWithdrawSerializer(data=request.data))
    withdrawn = services.withdraw_evidence(request.user, evidence, data.get("comment", ""))
    return Response(s.EvidenceSerializer(withdrawn, context={"request": request}).data)


class _IgnoreAccept(DefaultContentNegotiation):
    """A download answers with the file's own type whatever the client accepts; errors in JSON."""

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


@extend_schema(
    operation_id="evidence_download", tags=["整改进展"], summary="下载一份佐证材料",
    # Each type evidence may have is documented, so clients (and Schemathesis) know them all.
    responses={
        **{
            (200, content_type): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="文件本身；Content-Type 为按内容识别的类型，"
                "Content-Disposition 带原文件名（扩展名按识别的类型）",
            )
            for content_type in sorted(set(evidence_files.ACCEPTED.values()))
        },
        **_errors(401, 404),
    },
)
@api_view(["GET"])
@content_negotiation_class(_IgnoreAccept)
def evidence_download(request: Request, evidence_id: int) -> FileResponse:
    evidence = access.access_evidence(request.user, evidence_id)
    try:
        handle = evidence_files.path_of(evidence.stored_as).open("rb")
    except (evidence_files.EvidenceError, OSError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True,
        filename=evidence_files.download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
