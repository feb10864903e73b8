"""The web UI's forms. They check what a person typed; the services decide what may happen.

A ``ServiceError`` from a service is put back on the form with ``show_service_error``, next to
the field it names, so every refusal reads the same whether a form or a service caught it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from xuncha.accounts.models import Role
from xuncha.inspections.models import (
    DuePrecision,
    InspectionGroup,
    PartyOrganisation,
    ProblemCategory,
)
from xuncha.web.publishing_forms import FiguresFields
from xuncha.workflow.evidence import ACCEPTED_LABEL
from xuncha.workflow.models import ClueHandover, today
from xuncha.workflow.services import ServiceError

#: What the file picker offers; the server judges the content, not these names.
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.gif,.webp,.docx,.xlsx,application/pdf,image/*"


class Form(forms.Form):
    #: Service field name -> this form's field, where the two differ.
    service_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels sit above their inputs
        super().__init__(*args, **kwargs)

    def show_service_error(self, error: ServiceError) -> None:
        field = self.service_fields.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)


def _date_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"{label}不是有效日期（格式：2024-03-31）",
                        "required": f"请填写{label}"},
        **kwargs,
    )


class TextField(forms.CharField):
    """Counts a line break as one character, as the browser's maxlength and the services do.

    Browsers send a textarea's line breaks as CR LF while counting each as one character for
    maxlength: without this, text the browser accepted at the limit would be refused here.
    """

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return str(super().to_python(value))


def _text(
    label: str, max_length: int, *, required: bool = True, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    """A text field whose refusals name it: "请填写责任领导", "责任领导不能超过 64 字".

    Its widget carries maxlength, so the browser stops at the limit and
    static/xuncha/form-aids.js shows "已输入 n / max 字" under a text area.
    """
    return TextField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={"required": f"请填写{label}",
                        "max_length": f"{label}不能超过 {max_length} 字"},
        **kwargs,
    )


def _choice(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}的选项无效"},
        **kwargs,
    )


class MeasureForm(Form):
    content = _text("整改措施", 4000, rows=3)
    leader = _text("责任领导", 64)
    department = _text("责任部门", 128)
    # Required unless 长期坚持: the service says which (请填写完成时限).
    due_date = _date_field("完成时限", required=False)
    due_precision = _choice("完成时限写到", DuePrecision.choices, initial=DuePrecision.DAY,
                            required=False,
                            help_text="如“2024年3月底”：选 2024-03-31 和“月底”")
    due_long_term = forms.BooleanField(label="长期坚持", required=False)
    standard = _text("整改标准", 4000, required=False, rows=2)
    notes = _text("备注", 2000, required=False, rows=2)


class MeasureEditForm(MeasureForm):
    #: The version the user started from: a newer one means someone else changed it since.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DecisionForm(Form):
    """Approve or return (a plan, or a measure asking for sign-off); returning needs a reason."""

    decision = _choice(
        "审核意见", [("approve", "通过"), ("return", "退回")], widget=forms.HiddenInput
    )
    comment = _text("意见", 2000, required=False, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "退回时请填写退回理由")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each refused early when too large to be worth reading."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        limit = settings.EVIDENCE_MAX_BYTES
        for upload in files:
            if upload.size is not None and upload.size > limit:
                raise forms.ValidationError(
                    f"“{upload.name}”大小为 {upload.size / 1048576:.1f} MB，"
                    f"超过 {limit // 1048576} MB 的上限"
                )
        clean_one = super().clean
        return [clean_one(upload, initial) for upload in files]


class ProgressForm(FiguresFields, Form):
    service_fields: ClassVar[dict[str, str]] = {"text": "content"}
    # The 整改成效 figures (FiguresFields) come after what every report states.
    field_order = ["content", "status", "reported_on", "evidence"]

    content = _text("整改进展", 8000, rows=3)
    status = _choice(
        "完成情况",
        [
            ("in_progress", "推进中"),
            ("basically_done", "基本完成"),
            ("done", "已完成（申请销号）"),
            ("long_term", "长期坚持（须审核确认）"),
        ],
    )
    reported_on = _date_field("报告日期", required=False, help_text="不能晚于今天")
    evidence = EvidenceField(
        label="佐证材料", required=False,
        help_text=f"可多选；{ACCEPTED_LABEL}，每个文件不超过 "
        f"{settings.EVIDENCE_MAX_BYTES // 1048576} MB。申请销号须至少有一份。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = today
        # The date picker greys out future days; clean_reported_on refuses them anyway.
        self.fields["reported_on"].widget.attrs["max"] = today().isoformat()

    def clean_reported_on(self) -> Any:
        day = self.cleaned_data.get("reported_on")
        if day is not None and day > today():
            raise forms.ValidationError(
                f"报告日期 {day.year}年{day.month}月{day.day}日 晚于今天，不能预先报告进展"
            )
        return day


class EvidenceReplaceForm(Form):
    """A newer file in place of one already uploaded (both are kept)."""

    service_fields: ClassVar[dict[str, str]] = {"evidence": "file"}

    file = forms.FileField(
        label="新文件", widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        error_messages={"required": "请选择用来替换的新文件", "empty": "上传的文件是空文件"},
    )


class EvidenceWithdrawForm(Form):
    """Withdraw a file before review; the reason is optional and goes into the history."""

    comment = _text("撤回理由", 2000, required=False)


class ProblemForm(Form):
    text = _text("反馈问题", 8000, rows=4)
    category = forms.ModelChoiceField(
        label="问题类别", queryset=ProblemCategory.objects.all(), required=False,
        empty_label="未分类",
    )
    immediate = forms.BooleanField(label="立行立改", required=False)


class ProblemEditForm(ProblemForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeadlinesForm(Form):
    plan_due_date = _date_field("整改方案报送时限")
    rectification_due_date = _date_field("集中整改期截止")


class ClueForm(Form):
    service_fields: ClassVar[dict[str, str]] = {"comment": "note"}

    receiver = _choice("接收单位", ClueHandover.Receiver.choices)
    handed_over_on = _date_field("移交日期")
    follow_up_due = _date_field(
        "反馈办理结果时限", required=False,
        help_text=f"留空则为移交日期后 {settings.CLUE_FOLLOW_UP_MONTHS} 个月",
    )
    note = _text("移交说明", 2000, required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handed_over_on"].initial = today


class OutcomeForm(Form):
    service_fields: ClassVar[dict[str, str]] = {"text": "outcome"}

    outcome = _text("办理结果", 8000, rows=3)
    outcome_on = _date_field("反馈日期", required=False)


class ManyOptionsSelect(forms.Select):
    """A select of thousands of options (a province's units and groups), written as one string.

    Django's select renders each option through a template of its own, about 40 µs each: the
    users page of a province-wide office spent seconds on its two pickers.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(option))}"'
            f'{" selected" if str(option) in chosen else ""}>{escape(label)}</option>'
            for option, label in self.choices
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final),
                           mark_safe(options))  # noqa: S308 - every value and label escaped above


#: Above this many units in the office's scope, the unit is typed by name instead of picked; above
#: this many groups, the picker lists the newest ones (an older group's account: the user import).
PICKER_LIMIT = 500


class UnitChoiceField(forms.ModelChoiceField):
    """A unit in the office's scope: picked from a list, or typed by its name when the scope
    holds too many units to list (a province has tens of thousands)."""

    widget = ManyOptionsSelect
    by_name = False

    def type_names(self) -> None:
        self.by_name = True
        self.widget = forms.TextInput(  # type: ignore[assignment]
            attrs={"placeholder": "输入被巡察单位的名称"})
        self.help_text = "角色为被巡察单位时必填：单位名录中的名称"

    def to_python(self, value: Any) -> Any:
        if self.by_name and value not in self.empty_values and not str(value).isdigit():
            assert self.queryset is not None  # noqa: S101 - UserForm sets the scope's units
            try:
                return self.queryset.get(name=str(value).strip())
            except (PartyOrganisation.DoesNotExist, PartyOrganisation.MultipleObjectsReturned):
                raise forms.ValidationError(f"没有名为“{value}”的被巡察单位（或不在你的范围内）",
                                            code="invalid_choice") from None
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if self.by_name and isinstance(value, PartyOrganisation):
            return value.name
        return super().prepare_value(value)


class GroupChoiceField(forms.ModelChoiceField):
    widget = ManyOptionsSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.round.display_name} · {obj.name}"


class UserForm(Form):
    username = forms.RegexField(
        label="用户名", max_length=150, regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": "用户名只能包含字母、数字、汉字和 @ . + - _",
                        "required": "请填写用户名", "max_length": "用户名不能超过 150 字"},
    )
    full_name = _text("姓名", 150, required=False)
    role = _choice("角色", Role.choices)
    unit = UnitChoiceField(
        label="被巡察单位", queryset=PartyOrganisation.objects.none(), required=False,
        empty_label="请选择", help_text="角色为被巡察单位时必选",
    )
    group = GroupChoiceField(
        label="巡察组", queryset=InspectionGroup.objects.none(), required=False,
        empty_label="请选择", help_text="角色为巡察组时必选",
    )
    body = _choice(
        "所属机关", [("", "—"), ("纪委监委", "纪委监委"), ("组织部", "组织部")], required=False,
        help_text="角色为纪委监委/组织部时必选",
    )

    def __init__(
        self, *args: Any, units: QuerySet[PartyOrganisation],
        groups: QuerySet[InspectionGroup], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        group_field = self.fields["group"]
        assert isinstance(unit_field, UnitChoiceField)  # noqa: S101 - narrows the type
        assert isinstance(group_field, forms.ModelChoiceField)  # noqa: S101
        unit_field.queryset = units
        group_field.queryset = groups
        # A page lists a bounded number of options whatever the scope; any unit or group in
        # scope is still accepted (the field's queryset is the whole scope).
        if units[PICKER_LIMIT : PICKER_LIMIT + 1].exists():
            unit_field.type_names()
        if groups[PICKER_LIMIT : PICKER_LIMIT + 1].exists():
            group_field.widget.choices = [("", "请选择"), *(
                (group.pk, group_field.label_from_instance(group))
                for group in groups[:PICKER_LIMIT])]
            group_field.help_text = f"角色为巡察组时必选；列出最近的 {PICKER_LIMIT} 个巡察组"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = {Role.UNIT: ("unit", "请选择被巡察单位"), Role.GROUP: ("group", "请选择巡察组"),
                 Role.SUPERVISOR: ("body", "请选择所属机关")}
        field, message = needs.get(data.get("role"), (None, ""))  # type: ignore[arg-type]
        if field is not None and not data.get(field):
            self.add_error(field, message)
        return data


# --- users (the office's user management, everyone's own password) --------------------------


class PasswordChangeForm(Form):
    service_fields: ClassVar[dict[str, str]] = {"new_password": "new_password1"}

    old_password = forms.CharField(
        label="原密码", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写原密码"},
    )
    new_password1 = forms.CharField(
        label="新密码", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请填写新密码"},
        help_text="至少 8 位，不能全是数字，不能过于常见或与用户名相近。",
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class UserEditForm(UserForm):
    """修改角色与范围: the user form without the (unchangeable) user name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class UserImportForm(Form):
    file = forms.FileField(
        label="用户表（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd."
                                               "openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": "请选择要导入的 .xlsx 文件", "empty": "上传的文件是空的"},
    )
