"""What the round-setup endpoints read and write (rounds, groups, units, the unit register).

Inputs check only the shape of a request; the services in ``xuncha.workflow.rounds`` check the
rest (kinds, 届, uniqueness, who may act) and name the field at fault.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xuncha.api.serializers import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    FiguresSerializer,
    Output,
    ProblemSerializer,
    RefSerializer,
    RoundSerializer,
    integer_field,
    text_field,
)
from xuncha.inspections.models import Inspection, InspectionGroup, PartyOrganisation, Region


def _list_of_text(label: str, help_text: str, *, required: bool = False) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(error_messages={"invalid": f"{label}须为文字"}),
        label=label, required=required, help_text=help_text,
        error_messages={"not_a_list": f"{label}须为列表，如 [\"a\", \"b\"]",
                        "required": f"请填写{label}"},
    )


def _optional_date(label: str, help_text: str = "") -> serializers.DateField:
    """A date that may be sent as null to clear it (DRF rebuilds fields from their arguments,
    so allow_null must be one)."""
    return serializers.DateField(
        label=label, required=False, allow_null=True, input_formats=["iso-8601"],
        help_text=help_text or f"{label}（YYYY-MM-DD）",
        error_messages={
            "invalid": f"{label}须为有效日期，格式 YYYY-MM-DD（如 2024-03-31）",
            "datetime": f"{label}须为日期（YYYY-MM-DD），不带时间",
        },
    )


class PageQuerySerializer(serializers.Serializer):
    page = integer_field("页码", min_value=1, max_value=1_000_000, default=1)
    page_size = integer_field("每页条数", min_value=1, max_value=MAX_PAGE_SIZE,
                              default=DEFAULT_PAGE_SIZE,
                              help_text=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}")


class SearchQuerySerializer(PageQuerySerializer):
    q = serializers.CharField(
        label="关键词", required=False, allow_blank=True, max_length=100,
        help_text="按名称（或所在区划名称）查找",
        error_messages={"max_length": "关键词不能超过 100 字"},
    )


# --- rounds -----------------------------------------------------------------------------------


class RoundInputSerializer(serializers.Serializer):
    committee = text_field("巡察主体", help_text="巡察主体名称或简称，如“昌吉州党委”；没有的会新建")
    term = text_field("届次", help_text="如 12、“十二”或“十二届”")
    number = integer_field("轮次", required=True, max_value=99, help_text="第几轮，如 6")
    kinds = _list_of_text(
        "巡察类型", "一种或几种：常规、专项、机动、提级、交叉、联动、回头看（或 regular 等代码；"
        "“基层组织建设专项”带专项内容）", required=True,
    )
    special_subject = text_field("专项内容", required=False, allow_blank=True,
                                 help_text="专项巡察的内容，如“基层组织建设”")
    inspection_start = _optional_date("进驻开始日期")
    inspection_end = _optional_date("进驻结束日期")
    feedback_date = _optional_date("反馈日期")
    plan_due_date = _optional_date("整改方案报送时限")
    rectification_due_date = _optional_date("集中整改期截止")
    scope_label = text_field("被巡察单位类别", required=False, allow_blank=True,
                             help_text="如“乡镇(街道)”")
    title = text_field("标题", required=False, allow_blank=True)


class RoundPatchSerializer(RoundInputSerializer):
    """Only the fields sent change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RoundPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="可见的轮次总数")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True, help_text="下一页的完整地址；没有下一页时为 null")
    previous = serializers.URLField(allow_null=True, help_text="上一页的完整地址；第一页时为 null")
    items = RoundSerializer(many=True)


# --- groups -----------------------------------------------------------------------------------


class GroupInputSerializer(serializers.Serializer):
    name = text_field("巡察组名称", required=False, allow_blank=True,
                      help_text="如“第一巡察组”；只给 number 时按组号生成")
    number = integer_field("组号", max_value=99, help_text="第几巡察组；可由名称读出")
    leader = text_field("组长", required=False, allow_blank=True,
                        help_text="组长的用户名（须为巡察组角色的账号）")
    leader_name = text_field("组长姓名", required=False, allow_blank=True,
                             help_text="公布的组长姓名；默认取组长账号的姓名")
    members = _list_of_text("组员", "组员的用户名列表（须为巡察组角色的账号）")


class GroupSerializer(Output):
    leader = serializers.CharField(help_text="公布的组长姓名")
    leader_user = serializers.SerializerMethodField(help_text="组长的用户名；未指定为 null")
    members = serializers.SerializerMethodField(help_text="组长和组员的用户名（组长在前）")

    class Meta:
        model = InspectionGroup
        fields = ["id", "round", "number", "name", "leader", "leader_user", "members"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_leader_user(self, group: InspectionGroup) -> str | None:
        leaders = [m.user.get_username() for m in group.members.all() if m.is_leader]
        return leaders[0] if leaders else None

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_members(self, group: InspectionGroup) -> list[str]:
        return [m.user.get_username() for m in group.members.all()]


class GroupListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = GroupSerializer(many=True)


# --- units of a round -------------------------------------------------------------------------


class InspectionInputSerializer(serializers.Serializer):
    unit = text_field("被巡察单位",
                      help_text="公布时的名称，如“木垒县东城镇党委”；名录中没有的会加入")
    group = integer_field("巡察组", help_text="本轮巡察组的 id")
    region = text_field("所在区划", required=False, allow_blank=True,
                        help_text="新单位的区划，如“木垒县”或“木垒县东城镇”；默认由名称读出")
    form = text_field("组织形式", required=False, allow_blank=True,
                      help_text="党委、党工委、党总支、党支部、党组、其他；默认由名称读出")
    order = integer_field("顺序", min_value=0, max_value=9999, help_text="默认排在最后")
    feedback_date = _optional_date("反馈日期", "本单位的反馈日期（YYYY-MM-DD）")


class InspectionPatchSerializer(serializers.Serializer):
    group = serializers.IntegerField(
        label="巡察组", required=False, allow_null=True, min_value=1,
        help_text="本轮巡察组的 id；null 为未指定",
        error_messages={"invalid": "巡察组须为 id（整数）"},
    )
    order = integer_field("顺序", min_value=0, max_value=9999)
    feedback_date = _optional_date("反馈日期")
    plan_due_date = _optional_date("整改方案报送时限", "本单位的时限；null 为沿用本轮的")
    rectification_due_date = _optional_date("集中整改期截止", "本单位的时限；null 为沿用本轮的")


class InspectionSerializer(Output):
    """A unit of the round, with its own dates and the counts of problems the user may see."""

    unit_id = serializers.IntegerField(help_text="单位的 id（/api/problems?unit= 用的就是它）")
    name = serializers.CharField(source="unit.name", help_text="公布时的名称")
    group = RefSerializer(allow_null=True)
    effective_plan_due_date = serializers.DateField(allow_null=True,
                                                    help_text="本单位实际适用的方案报送时限")
    effective_rectification_due_date = serializers.DateField(
        allow_null=True, help_text="本单位实际适用的集中整改期截止")
    problem_count = serializers.IntegerField()
    signed_off_count = serializers.IntegerField()

    class Meta:
        model = Inspection
        fields = ["unit_id", "name", "group", "order", "feedback_date", "plan_due_date",
                  "rectification_due_date", "effective_plan_due_date",
                  "effective_rectification_due_date", "problem_count", "signed_off_count"]


class InspectionDetailSerializer(InspectionSerializer):
    figures = FiguresSerializer(help_text="整改成效合计（可见的问题）")

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "figures"]


class InspectionListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = InspectionSerializer(many=True)


class ProblemsInputSerializer(serializers.Serializer):
    text = text_field("反馈问题", required=False, help_text="录入一个问题")
    block = text_field("反馈问题（整段）", required=False,
                       help_text="粘贴的一段文字：每行一个问题，或按 一、/（一）/1./1、/(1) 编号")
    immediate = serializers.BooleanField(label="立行立改", required=False, default=False,
                                         help_text="立行立改（整段录入时用于每一个问题）")
    category = integer_field("问题类别", help_text="问题类别的 id；整段录入时按关键词自动建议")
    preview = serializers.BooleanField(label="只预览", required=False, default=False,
                                       help_text="true：只返回拆分结果（200），不保存")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("text")) == bool(attrs.get("block")):
            raise serializers.ValidationError(
                {"text": "请提供 text（一个问题）或 block（整段）之一"})
        return attrs


class PreviewItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    heading = serializers.CharField()
    immediate = serializers.BooleanField()
    category = serializers.IntegerField(allow_null=True, help_text="建议的问题类别 id")
    category_name = serializers.CharField(allow_null=True)


class CreatedProblemsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = ProblemSerializer(many=True)


class PreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = PreviewItemSerializer(many=True)


# --- the unit register ------------------------------------------------------------------------


class RegionSerializer(Output):
    path = serializers.SerializerMethodField(help_text="从顶层起的路径，如“昌吉州 › 木垒县”")
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = Region
        fields = ["id", "name", "level", "level_label", "parent", "path"]

    def get_path(self, region: Region) -> str:
        return region_path(region)


def region_path(region: Region | None) -> str:
    names: list[str] = []
    while region is not None:
        names.insert(0, region.name)
        region = region.parent
    return " › ".join(names)


class UnitSerializer(Output):
    form_label = serializers.CharField(source="get_form_display")
    region = RegionSerializer(allow_null=True)
    inspection_count = serializers.IntegerField(help_text="被巡察的轮次数")

    class Meta:
        model = PartyOrganisation
        fields = ["id", "name", "form", "form_label", "region", "inspection_count"]


class UnitPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = UnitSerializer(many=True)


class RegionPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = RegionSerializer(many=True)


class UnitInputSerializer(serializers.Serializer):
    name = text_field("单位名称", help_text="公布时的名称，如“木垒县东城镇党委”")
    region = text_field("所在区划", required=False, allow_blank=True,
                        help_text="区划名称或路径；默认由单位名称读出")
    form = text_field("组织形式", required=False, allow_blank=True,
                      help_text="党委、党工委、党总支、党支部、党组、其他；默认由名称读出")


class RenameSerializer(serializers.Serializer):
    name = text_field("名称")


class MergeSerializer(serializers.Serializer):
    into = integer_field("并入", required=True, help_text="并入的单位（或区划）的 id")


class RegionInputSerializer(serializers.Serializer):
    name = text_field("区划名称")
    level = text_field("层级", required=False, allow_blank=True,
                       help_text="prefecture、county、township、village（或 州/市 等）；"
                       "默认由名称读出")
    parent = integer_field("上级区划", help_text="上级区划的 id；不填为顶层")
