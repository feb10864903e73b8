"""Statistics: ``GET /api/rounds/{id}/stats`` and ``GET /api/stats`` (see
``xuncha.inspections.stats`` for what the rates mean), scoped like everything else."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api.serializers import ErrorSerializer, integer_field
from xuncha.api.views import _validated
from xuncha.inspections.stats import committee_stats, round_stats

_RATES = ("每组含 key、label、total、statuses（各状态数）、completion_rate（整改完成率 ="
          "（已销号 + 长期坚持）/ 总数）、signed_off_rate（销号率）；责任领导按整改措施计")


class StatsQuery(serializers.Serializer):
    committee = integer_field("巡察主体编号", help_text="只统计该巡察主体（id）")
    year = integer_field("年度", min_value=1990, max_value=2100, help_text="只统计该年进驻的轮次")


def _error(text: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=text)


@extend_schema(
    operation_id="round_stats", tags=["统计"],
    summary="一轮巡察的整改统计：按单位、县市、巡察组、问题类别、责任领导",
    description=_RATES,
    responses={200: OpenApiTypes.OBJECT, 401: _error("未登录"), 404: _error("不存在或无权查看")},
)
@api_view(["GET"])
def round_stats_view(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    return Response(round_stats(access.problems_for(request.user), round_))


@extend_schema(
    operation_id="stats", tags=["统计"],
    summary="各轮次、各年度的整改统计（可按巡察主体、年度筛选）",
    description=_RATES, parameters=[StatsQuery],
    responses={200: OpenApiTypes.OBJECT, 400: _error("请求内容有误"), 401: _error("未登录")},
)
@api_view(["GET"])
def stats_view(request: Request) -> Response:
    query: dict[str, Any] = _validated(StatsQuery(data=request.query_params))
    return Response(committee_stats(
        access.problems_for(request.user), access.rounds_for(request.user),
        query.get("committee"), query.get("year"),
    ))
