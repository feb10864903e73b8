"""``GET /api/rounds/{id}/evaluation``: the round's 整改评估 per unit (score, rank and each
component with its formula and working) and the benchmarks, as the user may read it (see
``xuncha.assessment.report``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api.serializers import ErrorSerializer
from xuncha.assessment.report import round_evaluation


class ComponentSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="completion 完成度、timeliness 时效、quality 质量、recurrence 屡查屡犯、"
                  "effect 整改成效")
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True,
                                   help_text="0–100；无数据时为 null（不计入得分）")
    weight = serializers.IntegerField()
    formula = serializers.CharField()
    working = serializers.CharField(help_text="代入本单位数字的计算过程")


class UnitEvaluationSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    components = serializers.DictField(child=ComponentSerializer())
    facts = serializers.DictField(help_text="问题数、各状态数、措施数、逾期、质量提示、"
                                            "屡查屡犯、制度、问责、挽回资金等原始数字")


class BenchmarkSerializer(serializers.Serializer):
    this = serializers.DictField()
    others = serializers.ListField(child=serializers.DictField())
    median = serializers.DictField()
    formulas = serializers.DictField(child=serializers.CharField())


class EvaluationSerializer(serializers.Serializer):
    round = serializers.DictField()
    weights = serializers.DictField(child=serializers.IntegerField())
    formulas = serializers.DictField(child=serializers.CharField())
    unit_count = serializers.IntegerField(help_text="参与排名的单位数")
    units = UnitEvaluationSerializer(many=True)
    benchmarks = BenchmarkSerializer()


@extend_schema(
    operation_id="round_evaluation", tags=["统计"],
    summary="一轮巡察的整改评估：各单位综合得分、名次和各分项（含计算方法），及对标数据",
    description="巡察办、纪委监委可见全部单位；巡察组可见所巡察单位；被巡察单位只见本单位的"
                "得分与名次（unit_count 为参评单位总数）。",
    responses={200: EvaluationSerializer,
               401: OpenApiResponse(ErrorSerializer, description="未登录"),
               404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看")},
)
@api_view(["GET"])
def round_evaluation_view(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    return Response(round_evaluation(request.user, round_).as_dict())
