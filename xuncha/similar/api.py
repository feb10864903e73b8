"""API: ``GET /api/rounds/{id}/common-problems`` and the ``related`` of ``GET /api/problems/{id}``
(``related_for``, shown by ``xuncha.api.serializers.ProblemDetailSerializer``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api.serializers import ErrorSerializer
from xuncha.inspections.models import Problem
from xuncha.similar.queries import CommonGroup, Related, common_groups, related


class _Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CommonGroupSerializer(serializers.Serializer):
    units = _Named(many=True, help_text="存在相似问题的被巡察单位")
    problems = serializers.ListField(child=serializers.IntegerField(),
                                     help_text="相似问题的编号")
    terms = serializers.ListField(child=serializers.CharField(),
                                  help_text="相似问题共有的字词（说明为何相似）")
    of_units = serializers.IntegerField(help_text="本轮（您可查看范围内）被巡察单位数")


def group_data(found: CommonGroup) -> dict[str, Any]:
    return {
        "units": [{"id": unit.pk, "name": unit.name} for unit in found.units],
        "problems": list(found.problems), "terms": list(found.terms),
        "of_units": found.of_units,
    }


def related_data(item: Related) -> dict[str, Any]:
    problem = item.problem
    return {
        "id": problem.pk,
        "round": {"id": problem.round_id, "name": problem.round.display_name},
        "unit": {"id": problem.unit_id, "name": problem.unit.name},
        "status": problem.status, "status_label": problem.get_status_display(),
        "signed_off_at": item.signed_off_at, "score": item.score, "terms": list(item.terms),
    }


def related_for(user: Any, problem: Problem) -> list[dict[str, Any]]:
    """Earlier similar problems the user may see (``xuncha.access.problems_for``)."""
    return [related_data(item) for item in related(problem, access.problems_for(user))]


@extend_schema(
    operation_id="round_common_problems", tags=["统计"],
    summary="一轮巡察的共性问题：多个单位存在的相似问题（单位、问题、相同字词）",
    description="相似度阈值和最少单位数由巡察办在“相似度设置”中调整；只含您可查看的问题。",
    responses={200: CommonGroupSerializer(many=True),
               401: OpenApiResponse(ErrorSerializer, description="未登录"),
               404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看")},
)
@api_view(["GET"])
def round_common_problems(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    found = common_groups(round_, access.problems_for(request.user))
    return Response([group_data(g) for g in found])
