"""``GET /api/search``: full-text search over problems, measures, progress and published
rectification text, in the caller's scope (``xuncha.search.queries``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha.api.serializers import ErrorSerializer, choice_field, integer_field
from xuncha.api.views import _validated
from xuncha.inspections.models import RectificationStatus
from xuncha.search.queries import search

MAX_PAGE = 500


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(
        label="关键词", max_length=200, allow_blank=True, required=False, default="",
        help_text="一个或多个词（以空格或标点分隔），须全部出现；全角半角、大小写不限。"
                  "不填而给出筛选条件时，列出符合条件的反馈问题",
        error_messages={"max_length": "关键词不能超过 200 字", "required": "请填写关键词 q",
                        "invalid": "关键词须为文字"},
    )
    round = integer_field("轮次编号", help_text="只看该轮次（轮次的 id）")
    unit = integer_field("单位编号", help_text="只看该被巡察单位（单位的 id）")
    county = integer_field("县市编号", help_text="只看该县市（区划的 id）的单位")
    category = integer_field("问题类别编号", help_text="只看该类别（类别的 id）")
    status = choice_field("状态", RectificationStatus.choices, required=False,
                          help_text="只看该整改状态的问题")
    page = integer_field("页码", min_value=1, max_value=MAX_PAGE, default=1)
    page_size = integer_field("每页条数", min_value=1, max_value=100, default=20)


class _Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchItem(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["problem", "rectification", "measure", "progress"],
        help_text="命中的文字：反馈问题、公布的整改情况、整改措施或整改进展",
    )
    kind_label = serializers.CharField()
    problem_id = serializers.IntegerField()
    measure_id = serializers.IntegerField(allow_null=True)
    progress_id = serializers.IntegerField(allow_null=True)
    snippet = serializers.CharField(help_text="摘要：已转义的 HTML，命中的词以 <mark> 标出")
    score = serializers.FloatField(help_text="相关度，越大越相关")
    round = _Ref()
    unit = _Ref()
    category = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()


class FacetValue(serializers.Serializer):
    value = serializers.JSONField(help_text="作为筛选参数的值（id 或状态代码）")
    label = serializers.CharField()
    count = serializers.IntegerField()


class Facets(serializers.Serializer):
    round = FacetValue(many=True)
    unit = FacetValue(many=True)
    county = FacetValue(many=True)
    category = FacetValue(many=True)
    status = FacetValue(many=True)


class SearchPage(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="命中条数；count_exact 为 false 时表示“超过 count 条”，"
                  "排序、分页和分面只针对其中最新的 count 条")
    count_exact = serializers.BooleanField(help_text="count 是否为全部命中条数")
    facets_exact = serializers.BooleanField(
        help_text="分面计数是否为全部命中的计数（false：按最新的若干条统计）")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    terms = serializers.ListField(child=serializers.CharField(), help_text="实际检索的词")
    items = SearchItem(many=True)
    facets = Facets(help_text="各筛选值下的条数（按其余筛选条件计）")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


@extend_schema(
    operation_id="search", tags=["检索"],
    summary="全文检索：反馈问题、整改措施、整改进展、公布的整改情况（权限范围内，按相关度）",
    parameters=[SearchQuery],
    responses={200: SearchPage, 400: _error("请求内容有误"),
               401: _error("未登录，或 API 令牌无效")},
)
@api_view(["GET"])
def search_view(request: Request) -> Response:
    query: dict[str, Any] = _validated(SearchQuery(data=request.query_params))
    filters = {name: query.get(name) for name in ("round", "unit", "county", "category",
                                                   "status")}
    result = search(request.user, query["q"], filters, query["page"], query["page_size"])
    return Response({
        "count": result.count, "count_exact": result.count_exact,
        "facets_exact": result.facets_exact, "page": result.page, "page_size": result.page_size,
        "terms": result.terms, "items": result.items, "facets": result.facets,
    })
