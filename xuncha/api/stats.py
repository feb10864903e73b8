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
from xuncha.inspections.stats import cached, committee_stats, round_stats

_RATES = ("每组含 key、label、total、statuses（各状态数）、completion_rate（整改完成率 ="
          "（已销号 + 长期坚持）/ 总数）、signed_off_rate（销号率）、levels（未销号整改措施中"
          "overdue 已逾期、warning 即将到期、notice 临近时限的数量）、late_plans（整改方案逾期的"
          "问题数）；责任领导按整改措施计。figures 为整改成效合计（rules 建章立制、disciplined、"
          "organisational、accountable 问责人数、recovered 追缴/挽回资金万元），按单位（轮次）"
          "的行也带 figures，一轮统计按单位的行另有 recurrence（屡查屡犯：与此前轮次同地"
          "相似问题相关联的问题数）；trend 为按周（周一）的销号数与到期数及其累计（cum_signed_off、"
          "cum_due），today 为统计日期。与网页统计页及其 Excel 导出的数字相同。")


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
    return Response(cached(request.user.pk, "round", lambda: round_stats(
        access.problems_for(request.user), round_), round_.pk))


@extend_schema(
    operation_id="stats", tags=["统计"],
    summary="各轮次、各年度的整改统计（可按巡察主体、年度筛选）",
    description=_RATES, parameters=[StatsQuery],
    responses={200: OpenApiTypes.OBJECT, 400: _error("请求内容有误"), 401: _error("未登录")},
)
@api_view(["GET"])
def stats_view(request: Request) -> Response:
    query: dict[str, Any] = _validated(StatsQuery(data=request.query_params))
    committee, year = query.get("committee"), query.get("year")
    return Response(cached(request.user.pk, "committee", lambda: committee_stats(
        access.problems_for(request.user), access.rounds_for(request.user), committee, year,
    ), committee, year))
