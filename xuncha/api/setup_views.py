"""The API for setting up a round: groups, units, problems fed back, and the unit register.

Same shape as ``xuncha.api.views``: fetch through ``xuncha.access`` (out of scope is 404),
check the request with a serializer, call one service of ``xuncha.workflow.rounds`` (or
``services``), answer with what is now stored.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api import serializers as s
from xuncha.api import setup_serializers as setup_s
from xuncha.api.views import _errors, _require, _validated
from xuncha.inspections.figures import totals
from xuncha.inspections.models import (
    GroupMember,
    Inspection,
    InspectionGroup,
    ProblemCategory,
    Region,
    Round,
)
from xuncha.inspections.queries import inspections_with_counts
from xuncha.workflow import rounds, services


def _page(query: dict[str, Any], rows: QuerySet[Any], serializer: Any) -> dict[str, Any]:
    page, size = query["page"], query["page_size"]
    items = serializer(rows[(page - 1) * size : page * size], many=True).data
    return {"count": rows.count(), "page": page, "page_size": size, "items": items}


# --- groups -----------------------------------------------------------------------------------


def _groups(round_: Round) -> QuerySet[InspectionGroup]:
    members = GroupMember.objects.select_related("user").order_by("-is_leader", "id")
    return InspectionGroup.objects.filter(round=round_).prefetch_related(
        Prefetch("members", queryset=members)
    ).order_by("number", "id")


def _group_people(data: dict[str, Any]) -> dict[str, Any]:
    leader = data.pop("leader", "") or ""
    members = data.pop("members", []) or []
    found = rounds.users_named([leader], "leader") if leader.strip() else []
    return {"leader": found[0] if found else None,
            "members": rounds.users_named(members, "members")}


@extend_schema(
    methods=["GET"], operation_id="round_groups_list", tags=["轮次"], summary="本轮的巡察组",
    responses={200: setup_s.GroupListSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["POST"], operation_id="round_group_create", tags=["轮次"],
    summary="组建巡察组：名称、组长和组员（巡察办；组员须为巡察组角色的账号）",
    request=setup_s.GroupInputSerializer,
    responses={201: setup_s.GroupSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def group_list(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    if request.method == "POST":
        _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
        data = _validated(setup_s.GroupInputSerializer(data=request.data))
        group = rounds.add_group(request.user, round_, data, **_group_people(data))
        body = setup_s.GroupSerializer(_groups(round_).get(pk=group.pk)).data
        return Response(body, status=http.HTTP_201_CREATED)
    groups = list(_groups(round_))
    return Response({"count": len(groups),
                     "items": setup_s.GroupSerializer(groups, many=True).data})


@extend_schema(
    operation_id="round_group_update", tags=["轮次"],
    summary="调整巡察组：名称、组号、组长和组员（巡察办；组员为完整名单）",
    request=setup_s.GroupInputSerializer,
    responses={200: setup_s.GroupSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["PATCH"])
@parser_classes([JSONParser])
def group_detail(request: Request, round_id: int, group_id: int) -> Response:
    group = access.access_group(request.user, group_id)
    if group.round_id != round_id:
        raise Http404
    _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
    data = _validated(setup_s.GroupInputSerializer(data=request.data))
    data.setdefault("name", group.name)
    current = list(group.members.select_related("user"))
    data.setdefault("leader", next((m.user.get_username() for m in current if m.is_leader), ""))
    data.setdefault("members", [m.user.get_username() for m in current if not m.is_leader])
    if "leader_name" not in data and data["leader"] == "":
        data["leader_name"] = group.leader
    rounds.edit_group(request.user, group, data, **_group_people(data))
    return Response(setup_s.GroupSerializer(_groups(group.round).get(pk=group.pk)).data)


# --- units of a round -------------------------------------------------------------------------


def _units(user: Any, round_: Round) -> QuerySet[Inspection]:
    return inspections_with_counts(
        access.inspections_for(user).filter(round=round_), access.problems_for(user)
    ).select_related("round")


@extend_schema(
    methods=["GET"], operation_id="round_units_list", tags=["轮次"],
    summary="本轮的被巡察单位（可见的）：巡察组、反馈日期、本单位时限",
    responses={200: setup_s.InspectionListSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["POST"], operation_id="round_unit_create", tags=["轮次"],
    summary="添加被巡察单位（巡察办；名录中没有的单位一并加入名录）",
    request=setup_s.InspectionInputSerializer,
    responses={201: setup_s.InspectionSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def unit_list(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    if request.method == "POST":
        _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
        data = _validated(setup_s.InspectionInputSerializer(data=request.data))
        inspection = rounds.add_inspection(request.user, round_, **data)
        body = setup_s.InspectionSerializer(_units(request.user, round_).get(pk=inspection.pk))
        return Response(body.data, status=http.HTTP_201_CREATED)
    units = list(_units(request.user, round_))
    return Response({"count": len(units),
                     "items": setup_s.InspectionSerializer(units, many=True).data})


@extend_schema(
    methods=["GET"], operation_id="round_unit_retrieve", tags=["轮次"],
    summary="一个被巡察单位：时限、问题数和整改成效合计（figures）",
    responses={200: setup_s.InspectionDetailSerializer, **_errors(401, 404)},
)
@extend_schema(
    methods=["PATCH"], operation_id="round_unit_update", tags=["轮次"],
    summary="调整被巡察单位：巡察组、顺序、反馈日期、本单位时限（巡察办；null 为沿用本轮）",
    request=setup_s.InspectionPatchSerializer,
    responses={200: setup_s.InspectionDetailSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "PATCH"])
@parser_classes([JSONParser])
def unit_detail(request: Request, round_id: int, unit_id: int) -> Response:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    if request.method == "PATCH":
        _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
        data = _validated(setup_s.InspectionPatchSerializer(data=request.data))
        rounds.edit_inspection(request.user, inspection, data)
    row = _units(request.user, inspection.round).get(pk=inspection.pk)
    figures = totals(inspection, problems=access.problems_for(request.user))
    row.figures = figures.to_json()  # type: ignore[attr-defined]
    return Response(setup_s.InspectionDetailSerializer(row).data)


@extend_schema(
    operation_id="round_unit_problems_create", tags=["反馈问题"],
    summary="录入反馈问题：text 一个，或 block 整段（拆分后一次保存，类别按关键词建议）",
    description="巡察办或负责该单位的巡察组。preview=true 时只返回拆分结果（200），不保存。",
    request=setup_s.ProblemsInputSerializer,
    responses={201: setup_s.CreatedProblemsSerializer, 200: setup_s.PreviewSerializer,
               **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def problems_create(request: Request, round_id: int, unit_id: int) -> Response:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    _require(access.can_manage_round(request.user)
             or access.is_group_of(request.user, inspection),
             "只有巡察办或负责该单位的巡察组可以录入问题")
    data = _validated(setup_s.ProblemsInputSerializer(data=request.data))
    category = _category(data.get("category"))
    immediate = data["immediate"]
    if data.get("text"):
        items = [rounds.NewProblem(data["text"], immediate=immediate, category=category)]
    else:
        items = [
            rounds.NewProblem(p.text, immediate=immediate, category=category or p.category,
                              heading=p.heading)
            for p in rounds.preview_block(data["block"])
        ]
    rounds.check_may_record(request.user, inspection)
    if data["preview"]:
        preview = [{"text": p.text, "heading": p.heading, "immediate": p.immediate,
                    "category": p.category.pk if p.category else None,
                    "category_name": p.category.name if p.category else None} for p in items]
        return Response({"count": len(preview), "items": preview})
    if data.get("text"):
        created = [services.add_problem(request.user, inspection, text=data["text"],
                                        category=category, immediate=immediate)]
    else:
        created = rounds.add_problems(request.user, inspection, items)
    body = s.ProblemSerializer(
        [p for p in access.problems_for(request.user).select_related("unit", "category")
         .filter(pk__in=[c.pk for c in created]).order_by("order")], many=True,
    ).data
    return Response({"count": len(body), "items": body}, status=http.HTTP_201_CREATED)


def _category(category_id: int | None) -> ProblemCategory | None:
    if category_id is None:
        return None
    found = ProblemCategory.objects.filter(pk=category_id).first()
    if found is None:
        raise services.ServiceError(f"没有 id 为 {category_id} 的问题类别", "category")
    return found


# --- the unit register ------------------------------------------------------------------------


def _register(user: Any) -> QuerySet[Any]:
    return access.units_for(user).select_related("region__parent__parent").annotate(
        inspection_count=Count("inspections", distinct=True)
    ).order_by("name", "id")


def _unit_data(user: Any, unit_id: int) -> dict[str, Any]:
    return setup_s.UnitSerializer(_register(user).get(pk=unit_id)).data


@extend_schema(
    methods=["GET"], operation_id="units_list", tags=["单位名录"],
    summary="单位名录（可见的单位；分页、按名称查找）",
    parameters=[setup_s.SearchQuerySerializer],
    responses={200: setup_s.UnitPageSerializer, **_errors(400, 401)},
)
@extend_schema(
    methods=["POST"], operation_id="unit_create", tags=["单位名录"],
    summary="单位名录新增单位（巡察办）",
    request=setup_s.UnitInputSerializer,
    responses={201: setup_s.UnitSerializer, **_errors(400, 401, 403)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def register_list(request: Request) -> Response:
    if request.method == "POST":
        _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
        data = _validated(setup_s.UnitInputSerializer(data=request.data))
        unit = rounds.register_unit(request.user, **data)
        return Response(_unit_data(request.user, unit.pk), status=http.HTTP_201_CREATED)
    query = _validated(setup_s.SearchQuerySerializer(data=request.query_params))
    units = _register(request.user)
    if query.get("q"):
        units = units.filter(pk__in=rounds.units_page(query["q"]).values("pk"))
    return Response(_page(query, units, setup_s.UnitSerializer))


@extend_schema(
    operation_id="unit_rename", tags=["单位名录"], summary="单位更名（巡察办）",
    request=setup_s.RenameSerializer,
    responses={200: setup_s.UnitSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["PATCH"])
@parser_classes([JSONParser])
def register_detail(request: Request, unit_id: int) -> Response:
    unit = access.access_unit(request.user, unit_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
    data = _validated(setup_s.RenameSerializer(data=request.data))
    rounds.rename_unit(request.user, unit, data["name"])
    return Response(_unit_data(request.user, unit.pk))


@extend_schema(
    operation_id="unit_merge", tags=["单位名录"],
    summary="合并单位：本单位的巡察、问题和用户移到 into，本单位从名录删除（巡察办）",
    description="两个单位在同一轮都被巡察时不能合并。",
    request=setup_s.MergeSerializer,
    responses={200: setup_s.UnitSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def register_merge(request: Request, unit_id: int) -> Response:
    unit = access.access_unit(request.user, unit_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
    data = _validated(setup_s.MergeSerializer(data=request.data))
    target = access.access_unit(request.user, data["into"])
    rounds.merge_units(request.user, unit, target)
    return Response(_unit_data(request.user, target.pk))


def _regions(user: Any) -> QuerySet[Region]:
    return access.regions_for(user).select_related("parent__parent__parent").order_by(
        "level", "name", "id")


@extend_schema(
    methods=["GET"], operation_id="regions_list", tags=["单位名录"],
    summary="行政区划（分页、按名称查找）",
    parameters=[setup_s.SearchQuerySerializer],
    responses={200: setup_s.RegionPageSerializer, **_errors(400, 401)},
)
@extend_schema(
    methods=["POST"], operation_id="region_create", tags=["单位名录"],
    summary="新增行政区划（巡察办）",
    request=setup_s.RegionInputSerializer,
    responses={201: setup_s.RegionSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["GET", "POST"])
@parser_classes([JSONParser])
def region_list(request: Request) -> Response:
    if request.method == "POST":
        _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
        data = _validated(setup_s.RegionInputSerializer(data=request.data))
        parent = data.pop("parent", None)
        parent_region = access.access_region(request.user, parent) if parent else None
        region = rounds.add_region(request.user, parent=parent_region, **data)
        body = setup_s.RegionSerializer(_regions(request.user).get(pk=region.pk)).data
        return Response(body, status=http.HTTP_201_CREATED)
    query = _validated(setup_s.SearchQuerySerializer(data=request.query_params))
    regions = _regions(request.user)
    if query.get("q"):
        regions = regions.filter(name__icontains=query["q"])
    return Response(_page(query, regions, setup_s.RegionSerializer))


@extend_schema(
    operation_id="region_rename", tags=["单位名录"], summary="行政区划更名（巡察办）",
    request=setup_s.RenameSerializer,
    responses={200: setup_s.RegionSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["PATCH"])
@parser_classes([JSONParser])
def region_detail(request: Request, region_id: int) -> Response:
    region = access.access_region(request.user, region_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
    data = _validated(setup_s.RenameSerializer(data=request.data))
    rounds.rename_region(request.user, region, data["name"])
    return Response(setup_s.RegionSerializer(_regions(request.user).get(pk=region.pk)).data)


@extend_schema(
    operation_id="region_merge", tags=["单位名录"],
    summary="合并行政区划：下级区划、单位和巡察主体移到 into（巡察办）",
    request=setup_s.MergeSerializer,
    responses={200: setup_s.RegionSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def region_merge(request: Request, region_id: int) -> Response:
    region = access.access_region(request.user, region_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以设置轮次与单位名录")
    data = _validated(setup_s.MergeSerializer(data=request.data))
    target = access.access_region(request.user, data["into"])
    rounds.merge_regions(request.user, region, target)
    return Response(setup_s.RegionSerializer(_regions(request.user).get(pk=target.pk)).data)
