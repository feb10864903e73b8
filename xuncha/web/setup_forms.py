"""Forms for setting up a round and keeping the unit register. They check what a person typed;
the services in ``xuncha.workflow.rounds`` decide what may happen."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from xuncha.accounts.models import Role
from xuncha.inspections.models import (
    InspectionGroup,
    PartyOrganisation,
    ProblemCategory,
    Region,
    RoundKind,
)
from xuncha.web.forms import Form, _choice, _date_field, _text

#: The kinds offered as checkboxes, by their short names (常规, 专项 …).
KIND_CHOICES = [(code, label.removesuffix("巡察")) for code, label in RoundKind.Kind.choices]


def _listed(field: forms.Field, datalist: str) -> forms.Field:
    """A text input that offers the names of a <datalist> (pick one, or type a new one)."""
    field.widget.attrs.update({"list": datalist, "autocomplete": "off"})
    return field


class RoundForm(Form):
    committee = _listed(_text("巡察主体", 64, help_text="选择已有的，或输入新的名称"),
                        "committee-names")
    term = _text("届次", 16, help_text="如 十二届")
    number = forms.IntegerField(label="轮次", min_value=1, max_value=99,
                                error_messages={"required": "请填写轮次",
                                                "invalid": "轮次须为整数",
                                                "min_value": "轮次须在 1 到 99 之间",
                                                "max_value": "轮次须在 1 到 99 之间"})
    kinds = forms.MultipleChoiceField(
        label="巡察类型", choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一种巡察类型",
                        "invalid_choice": "巡察类型的选项无效"},
    )
    special_subject = _text("专项内容", 64, required=False,
                            help_text="专项巡察的内容，如 基层组织建设")
    inspection_start = _date_field("进驻开始", required=False)
    inspection_end = _date_field("进驻结束", required=False)
    feedback_date = _date_field("反馈日期", required=False)
    scope_label = _text("被巡察单位类别", 32, required=False, help_text="如 乡镇(街道)")
    title = _text("标题", 200, required=False)


class GroupForm(Form):
    service_fields: ClassVar[dict[str, str]] = {"leader_name": "leader_name"}

    name = _text("巡察组名称", 64, required=False, help_text="如 第一巡察组；留空则按组号生成")
    number = forms.IntegerField(label="组号", min_value=1, max_value=99, required=False,
                                error_messages={"invalid": "组号须为整数",
                                                "min_value": "组号须在 1 到 99 之间",
                                                "max_value": "组号须在 1 到 99 之间"})
    leader = forms.ModelChoiceField(
        label="组长", queryset=get_user_model().objects.none(), required=False,
        empty_label="未指定", error_messages={"invalid_choice": "组长的选项无效"},
    )
    members = forms.ModelMultipleChoiceField(
        label="组员", queryset=get_user_model().objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "组员的选项无效"},
        help_text="只列出巡察组角色的账号；新组员请先在用户管理中建立账号",
    )
    leader_name = _text("组长姓名（公布用）", 64, required=False,
                        help_text="留空则取组长账号的姓名")

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("leader", "members"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
            field.queryset = people
            field.label_from_instance = _person  # type: ignore[method-assign,assignment]


def _person(user: Any) -> str:
    full = user.get_full_name()
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def group_people(committee_id: int | None) -> QuerySet[Any]:
    """The accounts a group may take in: active group-role users of the office's committee."""
    users = get_user_model().objects.filter(profile__role=Role.GROUP, is_active=True)
    if committee_id is not None:
        users = users.filter(profile__committee_id=committee_id)
    return users.order_by("username")


class InspectionForm(Form):
    unit = _listed(_text("被巡察单位", 128, help_text="公布时的名称；名录中没有的会加入名录"),
                   "unit-names")
    group = forms.ModelChoiceField(label="巡察组", queryset=InspectionGroup.objects.none(),
                                   required=False, empty_label="未指定",
                                   error_messages={"invalid_choice": "巡察组的选项无效"})
    region = _listed(_text("所在区划", 64, required=False,
                           help_text="新单位用；留空则由名称读出，如 木垒县东城镇"), "region-names")
    form = _choice("组织形式", [("", "按名称识别"), *PartyOrganisation.Form.choices],
                   required=False)
    feedback_date = _date_field("反馈日期", required=False)

    def __init__(self, *args: Any, groups: QuerySet[InspectionGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = groups


class InspectionDatesForm(InspectionForm):
    """A unit's own group, feedback date and deadlines (blank: the round's)."""

    unit = None  # type: ignore[assignment]
    region = None  # type: ignore[assignment]
    form = None  # type: ignore[assignment]
    #: Every field may be blank (blank dates mean the round's), so an empty submission must
    #: still be told apart from one that clears them: the page's form always sends this.
    sent_from = forms.CharField(widget=forms.HiddenInput, initial="unit-page",
                                error_messages={"required": "请通过本单位页面上的表单提交"})
    order = forms.IntegerField(label="顺序", min_value=0, max_value=9999, required=False,
                               help_text="在本轮单位中的排列；留空不变",
                               error_messages={"invalid": "顺序须为整数",
                                               "min_value": "顺序须在 0 到 9999 之间",
                                               "max_value": "顺序须在 0 到 9999 之间"})
    plan_due_date = _date_field("整改方案报送时限（本单位）", required=False,
                                help_text="留空则沿用本轮的时限")
    rectification_due_date = _date_field("集中整改期截止（本单位）", required=False,
                                         help_text="留空则沿用本轮的时限")


class PasteForm(Form):
    block = _text("粘贴反馈问题", 200_000, rows=8,
                  help_text="每行一个问题，或按 一、/（一）/1./1、/(1) 编号；保存前可逐条核对")


class PastedProblemForm(Form):
    """One row of the preview: the clerk may correct the text, category and 立行立改 flag, or
    leave the row out."""

    keep = forms.BooleanField(label="录入", required=False, initial=True)
    text = _text("反馈问题", 8000, rows=3)
    heading = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    category = forms.ModelChoiceField(label="问题类别", queryset=ProblemCategory.objects.all(),
                                      required=False, empty_label="未分类")
    immediate = forms.BooleanField(label="立行立改", required=False)


PastedProblems = forms.formset_factory(PastedProblemForm, extra=0, max_num=300,
                                       validate_max=True)


class RegisterUnitForm(Form):
    name = _text("单位名称", 128, help_text="公布时的名称，如 木垒县东城镇党委")
    region = _listed(_text("所在区划", 64, required=False, help_text="留空则由名称读出"),
                     "region-names")
    form = _choice("组织形式", [("", "按名称识别"), *PartyOrganisation.Form.choices],
                   required=False)


class RenameForm(Form):
    name = _text("新名称", 128)


class MergeForm(Form):
    into = _text("并入", 128, help_text="目标的名称")


class RegionForm(Form):
    name = _text("区划名称", 64)
    level = _choice("层级", [("", "按名称识别"), *Region.Level.choices], required=False)
    parent = _listed(_text("上级区划", 64, required=False, help_text="留空为顶层（州/市）"),
                     "region-names")
