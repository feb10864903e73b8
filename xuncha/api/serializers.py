"""What the API reads and writes: input shapes (with messages a person can act on) and outputs.

Inputs only check the shape of a request (types, dates, codes); the rules of the cycle are the
services' (lengths, who may act, which transition is allowed). Outputs read rows already fetched
through ``xuncha.access``: they never query for more than the view prefetched.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xuncha.inspections.models import (
    FIGURE_LABELS,
    ClearanceKind,
    DuePrecision,
    Inspection,
    Measure,
    PlanState,
    Problem,
    ProgressReport,
    RectificationStatus,
    Round,
    RoundKind,
    SourceDocument,
)
from xuncha.workflow.models import Action, Event, Evidence
from xuncha.workflow.transitions import PROGRESS_STATUSES

_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")

#: Row ids are 64-bit; anything larger cannot name a row.
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


# --- input fields with Chinese messages that name the field ----------------------------------


def text_field(
    label: str, *, required: bool = True, allow_blank: bool = False, help_text: str = ""
) -> serializers.CharField:
    missing = f"请填写{label}"
    return serializers.CharField(
        label=label, required=required, allow_blank=allow_blank, help_text=help_text or label,
        error_messages={"required": missing, "blank": missing, "null": missing,
                        "invalid": f"{label}须为文字"},
    )


def date_field(label: str, *, required: bool = True, help_text: str = "") -> serializers.DateField:
    return serializers.DateField(
        label=label, required=required, input_formats=["iso-8601"],
        help_text=help_text or f"{label}（YYYY-MM-DD）",
        error_messages={
            "required": f"请填写{label}", "null": f"请填写{label}",
            "invalid": f"{label}须为有效日期，格式 YYYY-MM-DD（如 2024-03-31）",
            "datetime": f"{label}须为日期（YYYY-MM-DD），不带时间",
        },
    )


def choice_field(
    label: str, choices: list[tuple[str, str]], *, required: bool = True, help_text: str = "",
    field_class: type[serializers.ChoiceField] = serializers.ChoiceField,
) -> serializers.ChoiceField:
    codes = "、".join(code for code, _ in choices)
    return field_class(
        label=label, choices=choices, required=required, help_text=help_text or label,
        error_messages={"required": f"请填写{label}（可选：{codes}）",
                        "null": f"请填写{label}（可选：{codes}）",
                        "invalid_choice": f"{label}“{{input}}”无效，可选：{codes}"},
    )


def integer_field(
    label: str, *, required: bool = False, min_value: int = 1, max_value: int = MAX_ID,
    default: int | None = None, help_text: str = "",
) -> serializers.IntegerField:
    bounds = f"{label}须为 {min_value} 到 {max_value} 之间的整数"
    extra: dict[str, Any] = {} if default is None else {"default": default}
    return serializers.IntegerField(
        label=label, required=required, min_value=min_value, max_value=max_value,
        help_text=help_text or label,
        error_messages={"invalid": f"{label}须为整数", "min_value": bounds, "max_value": bounds,
                        "max_string_length": f"{label}过长", "required": f"请填写{label}",
                        "null": f"请填写{label}"},
        **extra,
    )


# --- inputs ---------------------------------------------------------------------------------


class ProblemQuerySerializer(serializers.Serializer):
    round = integer_field("轮次编号", help_text="只看该轮次（轮次的 id）")
    unit = integer_field("单位编号", help_text="只看该被巡察单位（单位的 id）")
    status = choice_field("状态", RectificationStatus.choices, required=False,
                          help_text="只看该整改状态的问题")
    plan_state = choice_field("整改方案状态", PlanState.choices, required=False,
                              help_text="只看整改方案处于该状态的问题")
    category = integer_field("问题类别编号", help_text="只看该类别（类别的 id）")
    q = serializers.CharField(
        label="关键词", required=False, allow_blank=True, max_length=200,
        help_text="在问题原文中查找（不区分大小写）",
        error_messages={"max_length": "关键词不能超过 200 字", "invalid": "关键词须为文字"},
    )
    page = integer_field("页码", min_value=1, max_value=1_000_000, default=1)
    page_size = integer_field("每页条数", min_value=1, max_value=MAX_PAGE_SIZE,
                              default=DEFAULT_PAGE_SIZE,
                              help_text=f"每页条数，默认 {DEFAULT_PAGE_SIZE}，最多 {MAX_PAGE_SIZE}")
    after = serializers.RegexField(
        r"^\d{1,19}-\d{1,19}-\d{1,10}-\d{1,19}$", label="游标", required=False,
        help_text="上一页响应中的 next_cursor：从其后接着列出（翻到多深都一样快；给出时忽略 page）",
        error_messages={"invalid": "游标（after）格式不对：请原样使用上一页响应中的 next_cursor"},
    )
    before = serializers.RegexField(
        r"^\d{1,19}-\d{1,19}-\d{1,10}-\d{1,19}$", label="游标", required=False,
        help_text="响应中的 previous_cursor：列出其前一页（给出时忽略 page 和 after）",
        error_messages={"invalid": "游标（before）格式不对：请原样使用响应中的 previous_cursor"},
    )


def _due_precision(required: bool = False) -> serializers.ChoiceField:
    return choice_field("完成时限精度", DuePrecision.choices, required=required,
                        help_text="完成时限写到哪一级：day 具体日期、month 月底、quarter 季度末、"
                                  "year 年底（如“2024年3月底”为 2024-03-31 加 month）")


def _long_term() -> serializers.BooleanField:
    return serializers.BooleanField(
        label="长期坚持", required=False, help_text="长期坚持；为 true 时完成时限可不填",
        error_messages={"invalid": "长期坚持须为 true 或 false"})


class MeasureInputSerializer(serializers.Serializer):
    content = text_field("整改措施")
    leader = text_field("责任领导")
    department = text_field("责任部门")
    due_date = date_field("完成时限", required=False,
                          help_text="完成时限（YYYY-MM-DD）；长期坚持（due_long_term）可不填")
    due_precision = _due_precision()
    due_long_term = _long_term()
    standard = text_field("整改标准", required=False, allow_blank=True)
    notes = text_field("备注", required=False, allow_blank=True)


class MeasurePatchSerializer(serializers.Serializer):
    version = integer_field("版本号", required=True, min_value=1, max_value=2**31 - 1,
                            help_text="读取该措施时的 version；已被他人修改时返回 409 和最新内容")
    content = text_field("整改措施", required=False)
    leader = text_field("责任领导", required=False)
    department = text_field("责任部门", required=False)
    due_date = date_field("完成时限", required=False)
    due_precision = _due_precision()
    due_long_term = _long_term()
    standard = text_field("整改标准", required=False, allow_blank=True)
    notes = text_field("备注", required=False, allow_blank=True)


PLAN_ACTIONS = [
    ("submit", "报送（被巡察单位）"),
    ("approve", "批准（巡察办或巡察组）"),
    ("return", "退回修改（巡察办或巡察组，须填写意见）"),
]
DECISIONS = [
    ("approve", "销号；对“长期坚持待确认”的措施为确认长期坚持"),
    ("return", "退回整改（须填写意见）"),
]


class PlanInputSerializer(serializers.Serializer):
    action = choice_field("操作", PLAN_ACTIONS)
    comment = text_field("意见", required=False, allow_blank=True, help_text="退回时必填")


class ReviewInputSerializer(serializers.Serializer):
    decision = choice_field("审核意见", DECISIONS)
    comment = text_field("意见", required=False, allow_blank=True, help_text="退回时必填")


PROGRESS_CHOICES = [
    (code, "已完成（申请销号）" if code == "done" else RectificationStatus(target).label)
    for code, target in PROGRESS_STATUSES.items()
]


# A component of its own: left as a plain enum, its name would collide with ``status`` elsewhere.
@extend_schema_field(
    {"type": "string", "enum": [code for code, _ in PROGRESS_CHOICES],
     "description": "\n".join(f"* `{code}` - {label}" for code, label in PROGRESS_CHOICES)},
    component_name="ProgressStatusEnum",
)
class ProgressStatusField(serializers.ChoiceField):
    pass


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class EvidenceFilesField(serializers.ListField):
    """Files under one repeated multipart name."""


class ProgressInputSerializer(serializers.Serializer):
    content = text_field("整改进展")
    status = choice_field(
        "进展状态", PROGRESS_CHOICES, field_class=ProgressStatusField,
        help_text="in_progress 推进中、basically_done 基本完成；long_term 申请长期坚持"
        "（措施变为 long_term_review，待巡察办或巡察组确认）；"
        "done 已完成并申请销号（须至少有一份未撤回的佐证材料）",
    )
    reported_on = date_field("报告日期", required=False, help_text="报告日期，默认今天")
    evidence = EvidenceFilesField(
        child=serializers.FileField(
            allow_empty_file=False,
            error_messages={"empty": "上传的佐证材料是空文件",
                            "invalid": "佐证材料须以文件上传（multipart/form-data）",
                            "no_name": "上传的佐证材料没有文件名"},
        ),
        required=False, label="佐证材料",
        help_text="佐证材料文件，可重复：PDF、图片、Word（.docx）、Excel（.xlsx）",
    )
    # 整改成效 (all optional); checked by the service, which names the field at fault.
    disciplined = serializers.CharField(required=False, allow_blank=True,
                                        help_text="党纪政务处分人数")
    organisational = serializers.CharField(required=False, allow_blank=True,
                                           help_text="组织处理人数")
    recovered = serializers.CharField(required=False, allow_blank=True,
                                      help_text="追缴/挽回资金，万元，最多两位小数，如 12.5")
    clearance_kind = serializers.CharField(
        required=False, allow_blank=True,
        help_text="清退类别：" + "、".join(f"{c} {label}" for c, label in ClearanceKind.choices))
    cleared = serializers.CharField(required=False, allow_blank=True, help_text="清退数量")
    rules = serializers.ListField(
        child=serializers.CharField(max_length=240), required=False,
        help_text="建立完善制度，可重复：“制度名称” 或 “制度名称,2024-03-01”（印发日期）",
    )

    def figures(self) -> dict[str, Any]:
        """The 整改成效 fields as the service takes them."""
        data = self.validated_data
        rules = []
        for line in data.get("rules", []):
            name, _, day = line.replace("，", ",").rpartition(",")
            if not name or not _DAY.match(day.strip()):
                name, day = line, ""
            rules.append({"name": name.strip(), "adopted_on": day.strip() or None})
        return {key: data.get(key) for key in (
            "disciplined", "organisational", "recovered", "clearance_kind", "cleared")} | {
            "rules": rules}


class EvidenceReplaceSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False, label="新文件", help_text="替换原文件的新佐证材料",
        error_messages={"required": "请上传新文件（file）", "empty": "上传的新文件是空文件",
                        "invalid": "新文件须以文件上传（multipart/form-data）",
                        "no_name": "上传的新文件没有文件名"},
    )


class EvidenceWithdrawSerializer(serializers.Serializer):
    comment = text_field("撤回理由", required=False, allow_blank=True, help_text="可不填")


# --- outputs --------------------------------------------------------------------------------


class Output(serializers.ModelSerializer):
    """A response shape: every field read-only, so the schema marks each as always present."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="出错原因及如何改正")
    field = serializers.CharField(allow_null=True, help_text="出错的字段；与具体字段无关时为 null")


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="名称（被巡察单位为公布时的名称）")


class RoundKindSerializer(Output):
    class Meta:
        model = RoundKind
        fields = ["kind", "subject", "label"]

    label = serializers.CharField(help_text="如“基层组织建设专项巡察”")


class RoundSerializer(Output):
    """A round's facts; the counts include only what the user may see."""

    name = serializers.CharField(source="display_name", help_text="如“十二届昌吉州党委第五轮巡察”")
    committee = RefSerializer()
    kinds = RoundKindSerializer(many=True)
    feedback_display = serializers.CharField(help_text="反馈日期，按公布的精度书写")
    unit_count = serializers.IntegerField(help_text="可见的被巡察单位数")
    problem_count = serializers.IntegerField(help_text="可见的反馈问题数")
    signed_off_count = serializers.IntegerField(help_text="其中已销号的问题数")

    class Meta:
        model = Round
        fields = [
            "id", "name", "committee", "term", "number", "title", "scope_label", "kinds",
            "inspection_start", "inspection_end", "feedback_date", "feedback_date_precision",
            "feedback_display", "plan_due_date", "rectification_due_date",
            "unit_count", "problem_count", "signed_off_count",
        ]


class RoundUnitSerializer(Output):
    """A unit inspected in the round, with counts of its problems the user may see."""

    id = serializers.IntegerField(source="unit.id")
    name = serializers.CharField(source="unit.name", help_text="公布时的名称")
    group = serializers.CharField(source="group.name", allow_null=True, help_text="巡察组")
    problem_count = serializers.IntegerField()
    signed_off_count = serializers.IntegerField()
    immediate_count = serializers.IntegerField(help_text="立行立改的问题数")

    class Meta:
        model = Inspection
        fields = ["id", "name", "group", "feedback_date", "problem_count", "signed_off_count",
                  "immediate_count"]


class NoticeFiguresSerializer(serializers.Serializer):
    """The headline figures a notice states; a figure it does not state is null."""

    problems = serializers.IntegerField(allow_null=True, help_text="反馈问题数")
    completed = serializers.IntegerField(allow_null=True, help_text="已完成整改数")
    completion_rate = serializers.FloatField(allow_null=True, help_text="整改完成率（%）")
    measures = serializers.IntegerField(allow_null=True, help_text="制定整改措施数")
    rules = serializers.IntegerField(allow_null=True, help_text="建立完善制度数")
    accountable = serializers.IntegerField(allow_null=True, help_text="问责人数")
    recovered = serializers.FloatField(allow_null=True, help_text="挽回经济损失（万元）")


class RoundNoticeSerializer(Output):
    """A notice imported into the round: when it was published, what it lacked, its figures."""

    figures = serializers.SerializerMethodField()
    # A plain string: the choices are feedback_date_precision's, which names the enum already.
    published_precision = serializers.CharField(help_text="day 精确到日，month 只到月")
    published_display = serializers.CharField(help_text="发布日期，按公布的精度书写")

    class Meta:
        model = SourceDocument
        fields = ["filename", "shape", "published", "published_precision", "published_display",
                  "incomplete", "gaps", "figures"]

    @extend_schema_field(NoticeFiguresSerializer)
    def get_figures(self, source: SourceDocument) -> dict[str, Any]:
        return {key: source.figures.get(key) for key, _label, _unit in FIGURE_LABELS}


class FiguresSerializer(serializers.Serializer):
    """整改成效 totals (xuncha.inspections.figures.totals) over the problems the user may see."""

    problems = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="已销号或长期坚持的问题数")
    completion_rate = serializers.IntegerField(help_text="完成率（%，取整）")
    rules = serializers.IntegerField(help_text="建立完善制度（项）")
    accountable = serializers.IntegerField(help_text="追责问责（人）")
    disciplined = serializers.IntegerField(help_text="其中党纪政务处分")
    organisational = serializers.IntegerField(help_text="其中组织处理")
    recovered = serializers.CharField(help_text="追缴/挽回资金（万元）")


class RoundDetailSerializer(RoundSerializer):
    group_count = serializers.IntegerField()
    units = RoundUnitSerializer(many=True)
    notices = RoundNoticeSerializer(
        many=True, source="notice_sources",
        help_text="导入的通报（发布日期、是否完整、通报所列数据）",
    )
    figures = FiguresSerializer(help_text="整改成效合计（可见的问题）")

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "group_count", "units", "notices", "figures"]


class RoundListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = RoundSerializer(many=True)


class ProblemSerializer(Output):
    unit = RefSerializer()
    category = serializers.CharField(source="category.name", allow_null=True,
                                     help_text="问题类别名称；未分类为 null")

    class Meta:
        model = Problem
        fields = ["id", "round", "unit", "order", "heading", "category", "category_id", "status",
                  "plan_state", "immediate", "text"]


class ProblemPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的问题总数")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next_cursor = serializers.CharField(
        allow_null=True, help_text="下一页的游标（作 after 参数）；已是最后一页时为 null"
    )
    previous_cursor = serializers.CharField(
        allow_null=True, help_text="上一页的游标（作 before 参数）；已是第一页时为 null"
    )
    next = serializers.URLField(
        allow_null=True, help_text="下一页的完整地址（筛选条件不变，按游标）；没有下一页时为 null"
    )
    previous = serializers.URLField(
        allow_null=True, help_text="上一页的完整地址（按游标翻页）；已是第一页时为 null"
    )
    items = ProblemSerializer(many=True)


class ProgressSerializer(Output):
    figures = serializers.SerializerMethodField(
        help_text="整改成效：disciplined、organisational（人）、recovered（万元）、"
        "clearance_kind 与 cleared、rules（[{name, adopted_on}]）")

    class Meta:
        model = ProgressReport
        fields = ["id", "text", "reported_on", "status", "created_at", "figures"]

    def get_figures(self, report: ProgressReport) -> dict[str, Any]:
        try:
            row = report.figures
        except ObjectDoesNotExist:
            row = None
        return {
            "disciplined": row.disciplined if row else 0,
            "organisational": row.organisational if row else 0,
            "recovered": str(row.recovered) if row else "0.00",
            "clearance_kind": row.clearance_kind if row else "",
            "cleared": str(row.cleared) if row else "0.00",
            "rules": [{"name": r.name, "adopted_on": r.adopted_on} for r in report.rules.all()],
        }


class EvidenceSerializer(Output):
    name = serializers.CharField(source="original_name", help_text="上传时的文件名")
    url = serializers.SerializerMethodField(help_text="下载地址（需同样的权限）")
    state = serializers.ChoiceField(
        choices=[("current", "有效"), ("superseded", "已替换"), ("withdrawn", "已撤回")],
        help_text="current 有效；superseded 已被 superseded_by 替换；withdrawn 已撤回"
        "（后两者文件保留，但不计入佐证材料）",
    )

    class Meta:
        model = Evidence
        fields = ["id", "name", "content_type", "size", "sha256", "progress", "uploaded_at", "url",
                  "state", "superseded_by", "withdrawn_at"]

    def get_url(self, evidence: Evidence) -> str:
        path = reverse("api:evidence-download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MeasureSerializer(Output):
    due_display = serializers.CharField(source="deadline_display",
                                        help_text="完成时限的写法，如“2024年3月底”“长期坚持”")
    progress = ProgressSerializer(many=True)
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = Measure
        fields = ["id", "problem", "order", "content", "leader", "department", "due_date",
                  "due_precision", "due_long_term", "due_display", "standard", "notes", "status",
                  "signed_off_on", "version", "progress", "evidence"]


class StaleMeasureSerializer(ErrorSerializer):
    current = MeasureSerializer(help_text="该措施现在的内容")


class EventSerializer(Output):
    actor = serializers.CharField(source="actor_name", help_text="操作人")
    action = serializers.ChoiceField(choices=Action.choices, help_text="操作代码")
    action_label = serializers.CharField(source="get_action_display", help_text="操作名称")
    changes = serializers.DictField(
        child=serializers.ListField(), help_text="变更的字段：{字段: [原值, 新值]}"
    )

    class Meta:
        model = Event
        fields = ["id", "at", "actor", "action", "action_label", "measure", "changes", "comment"]


class QualityFlagSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["vague", "unaddressed", "mismatch"])
    reason = serializers.CharField()


class DismissedFlagSerializer(QualityFlagSerializer):
    dismissed_by = serializers.CharField(help_text="排除人")
    dismissed_at = serializers.DateTimeField(help_text="排除时间")
    dismissal_reason = serializers.CharField(help_text="排除理由")


class RelatedSerializer(serializers.Serializer):
    """An earlier similar problem (屡查屡犯); built by ``xuncha.similar.api.related_data``."""

    id = serializers.IntegerField(help_text="以往相似问题的编号")
    round = serializers.DictField(help_text="所在轮次 {id, name}")
    unit = serializers.DictField(help_text="所属单位 {id, name}")
    status = serializers.ChoiceField(choices=RectificationStatus.choices,
                                     help_text="整改状态代码")
    status_label = serializers.CharField()
    signed_off_at = serializers.DateTimeField(allow_null=True, help_text="销号时间，未销号为 null")
    score = serializers.FloatField(help_text="相似度（0–1，共有两字组占比）")
    terms = serializers.ListField(child=serializers.CharField(), help_text="相同字词")


class ProblemDetailSerializer(ProblemSerializer):
    measures = MeasureSerializer(many=True)
    history = EventSerializer(many=True, source="events")
    quality_flags = serializers.SerializerMethodField(
        help_text="整改质量提示（不含已排除的）：vague 空泛、unaddressed 未回应问题要点、"
                  "mismatch 完成状态与表述不符"
    )
    dismissed_quality_flags = serializers.SerializerMethodField(
        help_text="巡察办说明理由排除的整改质量提示（问题或整改情况文字修改后失效）"
    )

    class Meta(ProblemSerializer.Meta):
        fields = [*ProblemSerializer.Meta.fields, "published_rectification", "version",
                  "measures", "history", "quality_flags",
                  "dismissed_quality_flags", "related"]

    @extend_schema_field(QualityFlagSerializer(many=True))
    def get_quality_flags(self, problem: Problem) -> list[dict[str, str]]:
        return [flag.as_dict() for flag in self._quality(problem).live]

    @extend_schema_field(DismissedFlagSerializer(many=True))
    def get_dismissed_quality_flags(self, problem: Problem) -> list[dict[str, Any]]:
        return [{**item.flag.as_dict(), "dismissed_by": item.dismissal.by_name,
                 "dismissed_at": item.dismissal.at, "dismissal_reason": item.dismissal.reason}
                for item in self._quality(problem).dismissed]

    def _quality(self, problem: Problem) -> Any:
        from xuncha.assessment.queries import problem_quality

        cache = self.context.setdefault("_quality", {})
        if problem.pk not in cache:
            cache[problem.pk] = problem_quality(problem)
        return cache[problem.pk]

    # --- similar: 屡查屡犯 ---
    related = serializers.SerializerMethodField(
        help_text="屡查屡犯：以往轮次中同一单位（或同一区划）的相似问题，已销号的在前；"
                  "只含您可查看的问题"
    )

    @extend_schema_field(RelatedSerializer(many=True))
    def get_related(self, problem: Problem) -> list[dict[str, Any]]:
        from xuncha.similar.api import related_for

        return related_for(self.context["request"].user, problem)


class PlanSerializer(Output):
    class Meta:
        model = Problem
        fields = ["id", "plan_state", "status", "version"]


class ProgressResultSerializer(ProgressSerializer):
    evidence = EvidenceSerializer(many=True)
    measure = MeasureSerializer()

    class Meta(ProgressSerializer.Meta):
        fields = [*ProgressSerializer.Meta.fields, "evidence", "measure"]
