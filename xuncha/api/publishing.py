"""Publishing through the API: the notice's wording of a problem's 整改情况, 不宜公开, 发布
(approving and freezing a version), the published versions and their frozen bytes, and the
difference between the last published version and the notice as it stands.

Thin views over ``xuncha.workflow.publishing`` (the same functions the web pages call),
fetching through ``xuncha.access``; who may do what is decided there and in the web's rules.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.decorators import api_view, content_negotiation_class, parser_classes
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.api.serializers import ErrorSerializer
from xuncha.api.views import _errors, _IgnoreAccept, _require, _validated
from xuncha.inspections.models import Inspection, Problem, PublishedNotice, Round
from xuncha.inspections.publication import is_withheld, rectification_of, with_measures
from xuncha.notices import writers
from xuncha.workflow import publishing
from xuncha.workflow.services import StaleEdit

_EDIT = "只有被巡察单位（或巡察办、巡察组）可以编辑通报中的整改情况"
_DISCLOSE = "只有巡察办可以决定问题是否公开"
_RELEASE = "只有巡察办可以审批发布通报"
_READ_ROUND = "只有巡察办和监督人员可以查看整轮通报的发布情况"


# --- shapes -------------------------------------------------------------------------------


class RectificationSerializer(serializers.Serializer):
    problem = serializers.IntegerField(read_only=True, help_text="问题编号")
    text = serializers.CharField(read_only=True, help_text="单位编辑稿；未编辑时为空")
    version = serializers.IntegerField(
        read_only=True, help_text="编辑稿的版本号；修改时须原样带回")
    notice_text = serializers.CharField(read_only=True, help_text="通报将印出的整改情况")
    notice_source = serializers.CharField(
        read_only=True, help_text="其来源：单位编辑稿、已公布原文或由整改措施起草")
    withheld = serializers.BooleanField(read_only=True, help_text="是否不宜公开")
    withheld_reason = serializers.CharField(read_only=True, help_text="不宜公开的理由")
    can_edit = serializers.BooleanField(read_only=True, help_text="当前用户能否编辑整改情况")
    can_disclose = serializers.BooleanField(
        read_only=True, help_text="当前用户能否决定是否公开")


class RectificationInput(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True, max_length=publishing.RECTIFICATION_LIMIT, trim_whitespace=False,
        help_text="通报中的整改情况；空字符串恢复为由整改措施起草的表述")
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="读取时的 version；已被他人修改则 409")


class StaleRectificationSerializer(ErrorSerializer):
    current = RectificationSerializer(help_text="该问题整改情况现在的内容")


class DisclosureInput(serializers.Serializer):
    withheld = serializers.BooleanField(help_text="true 标记不宜公开，false 取消")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=publishing.REASON_LIMIT,
        help_text="不宜公开的理由（标记时必填）")


class ReleaseInput(serializers.Serializer):
    """Nothing to state: releasing approves the notice as it stands."""


class FileSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=publishing.FORMATS, read_only=True)
    sha256 = serializers.CharField(read_only=True, help_text="该格式文件内容的 SHA-256")
    size = serializers.IntegerField(read_only=True, help_text="字节数")


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(source="round_id", read_only=True, help_text="轮次编号")
    unit = serializers.IntegerField(
        source="inspection.unit_id", allow_null=True, read_only=True,
        help_text="单位通报的被巡察单位编号；整轮通报为 null")
    number = serializers.IntegerField(read_only=True, help_text="版本号（第几版）")
    title = serializers.CharField(read_only=True)
    issued = serializers.DateField(read_only=True, help_text="落款日期")
    sha256 = serializers.CharField(
        read_only=True, help_text="各格式文件 SHA-256 依次相接后的 SHA-256")
    approved_by = serializers.CharField(
        source="approved_by_name", read_only=True, help_text="审批发布人")
    approved_at = serializers.DateTimeField(read_only=True, help_text="发布时间")
    files = FileSerializer(many=True, read_only=True)


class DiffRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["equal", "replace", "delete", "insert"], read_only=True)
    published = serializers.CharField(read_only=True, help_text="已发布版本的这一行")
    current = serializers.CharField(read_only=True, help_text="按现在数据发布时的这一行")


class DiffSerializer(serializers.Serializer):
    publication = PublicationSerializer(read_only=True, help_text="最近一次发布的版本")
    changed = serializers.BooleanField(
        read_only=True, help_text="数据是否已更新、与已发布版本不同")
    rows = DiffRowSerializer(many=True, read_only=True, help_text="逐行对照；相同时为空")


class DownloadQuery(serializers.Serializer):
    fmt = serializers.ChoiceField(
        choices=publishing.FORMATS, default="pdf", help_text="格式：txt、html、docx 或 pdf")


# --- the wording of one problem ------------------------------------------------------------


def _rectification_data(user: Any, problem_id: int) -> dict[str, Any]:
    problem = with_measures(Problem.objects.filter(pk=problem_id)).get()
    text, source = rectification_of(problem)
    row = getattr(problem, "publication", None)
    return {
        "problem": problem.pk,
        "text": row.text if row is not None else "",
        "version": row.version if row is not None else 1,
        "notice_text": text,
        "notice_source": source,
        "withheld": is_withheld(problem),
        "withheld_reason": row.withheld_reason if row is not None else "",
        "can_edit": access.can_edit_plan(user, problem) or access.can_review(user, problem),
        "can_disclose": access.can_manage_round(user) and access.can_review(user, problem),
    }


@extend_schema(
    methods=["GET"], operation_id="problem_rectification", tags=["通报发布"],
    summary="问题在通报中的整改情况（编辑稿、版本号、是否不宜公开）",
    responses={200: RectificationSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["PUT"], operation_id="problem_rectification_update", tags=["通报发布"],
    summary="编辑通报中的整改情况（被巡察单位、巡察办或负责的巡察组；须带上读取时的 version）",
    request=RectificationInput,
    responses={
        200: RectificationSerializer,
        409: OpenApiResponse(StaleRectificationSerializer,
                             description="该内容已被他人修改：current 为最新内容，未作任何修改"),
        **_errors(400, 401, 403, 404),
    },
)
@api_view(["GET", "PUT"])
@parser_classes([JSONParser])
def problem_rectification(request: Request, problem_id: int) -> Response:
    problem = access.access_problem(request.user, problem_id)
    if request.method == "GET":
        return Response(_rectification_data(request.user, problem.pk))
    _require(access.can_edit_plan(request.user, problem)
             or access.can_review(request.user, problem), _EDIT)
    data = _validated(RectificationInput(data=request.data))
    try:
        publishing.edit_rectification(request.user, problem, text=data["text"],
                                      version=data["version"])
    except StaleEdit as stale:
        body = {"error": stale.message, "field": stale.field,
                "current": _rectification_data(request.user, problem.pk)}
        return Response(body, status=http.HTTP_409_CONFLICT)
    return Response(_rectification_data(request.user, problem.pk))


@extend_schema(
    operation_id="problem_disclosure", tags=["通报发布"],
    summary="标记或取消不宜公开（巡察办；标记须写明理由）",
    request=DisclosureInput,
    responses={200: RectificationSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["PUT"])
@parser_classes([JSONParser])
def problem_disclosure(request: Request, problem_id: int) -> Response:
    problem = access.access_problem(request.user, problem_id)
    _require(access.can_manage_round(request.user), _DISCLOSE)
    _require(access.can_review(request.user, problem), _DISCLOSE)
    data = _validated(DisclosureInput(data=request.data))
    publishing.set_disclosure(request.user, problem, withheld=data["withheld"],
                              reason=data["reason"])
    return Response(_rectification_data(request.user, problem.pk))


# --- releasing and the published versions --------------------------------------------------


def _reads_round_publications(user: Any) -> bool:
    # As the round page: the whole round's notice is the office's and the supervisors' to watch.
    return access.role_of(user) in (Role.OFFICE, Role.SUPERVISOR)


def _versions(round_: Round, inspection: Inspection | None) -> QuerySet[PublishedNotice]:
    return (access.published_notices().filter(round=round_, inspection=inspection)
            .prefetch_related("files").order_by("-number"))


def _publication_data(published: PublishedNotice) -> dict[str, Any]:
    item = _versions(published.round, published.inspection).get(pk=published.pk)
    return dict(PublicationSerializer(item).data)


def _list_or_release(
    request: Request, round_: Round, inspection: Inspection | None
) -> Response:
    if request.method == "POST":
        _require(access.can_manage_round(request.user), _RELEASE)
        _validated(ReleaseInput(data=request.data))
        published = publishing.release(request.user, round_, inspection)
        return Response(_publication_data(published), status=http.HTTP_201_CREATED)
    return Response(PublicationSerializer(_versions(round_, inspection), many=True).data)


_LIST = "已发布的各版本，新版本在前：版本号、SHA-256、各格式、审批发布人、发布时间"
_APPROVE = ("审批并发布（巡察办）：按现在的数据（不宜公开的问题除外）冻结新一版的 txt、html、"
            "docx、pdf。通报印出了谁编辑的整改情况，谁就不能审批（403）。")


@extend_schema(
    methods=["GET"], operation_id="round_publications", tags=["通报发布"],
    summary="整轮通报已发布的版本（巡察办、监督人员）", description=_LIST,
    responses={200: PublicationSerializer(many=True), **_errors(401, 403, 404)},
)
@extend_schema(
    methods=["POST"], operation_id="round_release", tags=["通报发布"],
    summary="审批发布整轮通报", description=_APPROVE, request=ReleaseInput,
    responses={201: PublicationSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def round_publications(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    if request.method == "GET":
        _require(_reads_round_publications(request.user), _READ_ROUND)
    return _list_or_release(request, round_, None)


@extend_schema(
    methods=["GET"], operation_id="unit_publications", tags=["通报发布"],
    summary="一个被巡察单位的整改情况通报已发布的版本", description=_LIST,
    responses={200: PublicationSerializer(many=True), **_errors(401, 404)},
)
@extend_schema(
    methods=["POST"], operation_id="unit_release", tags=["通报发布"],
    summary="审批发布一个被巡察单位的整改情况通报", description=_APPROVE, request=ReleaseInput,
    responses={201: PublicationSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def unit_publications(request: Request, round_id: int, unit_id: int) -> Response:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    return _list_or_release(request, inspection.round, inspection)


def _difference(round_: Round, inspection: Inspection | None) -> Response:
    published = publishing.latest(round_, inspection)
    if published is None:
        raise Http404("尚未发布")
    rows = publishing.difference(published)
    return Response({
        "publication": _publication_data(published),
        "changed": bool(rows),
        "rows": [{"kind": r.kind, "published": r.published, "current": r.current} for r in rows],
    })


_DIFF = ("最近一次发布的版本与按现在的数据将发布的通报（txt）逐行对照，与网页的对照页相同；"
         "changed 为 true 即“数据已更新，与已发布版本不同”。尚未发布时 404。")


@extend_schema(
    operation_id="round_publication_diff", tags=["通报发布"],
    summary="整轮通报：数据是否已更新、与已发布版本的差异（巡察办、监督人员）",
    description=_DIFF, responses={200: DiffSerializer, **_errors(401, 403, 404)},
)
@api_view(["GET"])
def round_publication_diff(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    _require(_reads_round_publications(request.user), _READ_ROUND)
    return _difference(round_, None)


@extend_schema(
    operation_id="unit_publication_diff", tags=["通报发布"],
    summary="单位通报：数据是否已更新、与已发布版本的差异",
    description=_DIFF, responses={200: DiffSerializer, **_errors(401, 404)},
)
@api_view(["GET"])
def unit_publication_diff(request: Request, round_id: int, unit_id: int) -> Response:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    return _difference(inspection.round, inspection)


@extend_schema(
    operation_id="publication_retrieve", tags=["通报发布"],
    summary="一个已发布的版本（已公开，与 /gongkai/ 相同）",
    responses={200: PublicationSerializer, **_errors(401, 404)},
)
@api_view(["GET"])
def publication_detail(request: Request, publication_id: int) -> Response:
    return Response(_publication_data(access.access_published_notice(publication_id)))


@extend_schema(
    operation_id="publication_download", tags=["通报发布"],
    summary="下载已发布版本某一格式的冻结文件（原样字节，X-Content-SHA256 为其哈希）",
    parameters=[DownloadQuery],
    responses={
        **{
            (200, content_type.split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description=f"{fmt} 格式的冻结文件")
            for fmt, content_type in writers.CONTENT_TYPES.items()
        },
        **_errors(400, 401, 404),
    },
)
@api_view(["GET"])
@content_negotiation_class(_IgnoreAccept)
def publication_download(request: Request, publication_id: int) -> HttpResponse:
    fmt = _validated(DownloadQuery(data=request.query_params))["fmt"]
    item = access.access_published_file(
        access.access_published_notice(publication_id).pk, fmt)
    response = HttpResponse(bytes(item.content), content_type=writers.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="notice-{publication_id}-v{item.publication.number}.{fmt}"')
    response["X-Content-SHA256"] = item.sha256
    return response
