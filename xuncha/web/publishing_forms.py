"""Forms of publishing: 整改成效 figures on a progress report, the notice's wording of a
problem's 整改情况, 不宜公开, and releasing a notice."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms

from xuncha.inspections.models import ClearanceKind
from xuncha.workflow.publishing import REASON_LIMIT, RECTIFICATION_LIMIT

#: "制度名称 2024-03-01" or "制度名称，2024-03-01": a rule and, optionally, its date at the end.
_RULE_LINE = re.compile(r"^(?P<name>.+?)[\s,，、]*(?P<day>\d{4}-\d{1,2}-\d{1,2})?$")


class FiguresFields(forms.Form):
    """整改成效 a progress report may state; all optional. ``figures()`` gives them to the
    service, which checks them (``xuncha.inspections.figures.read_figures``)."""

    service_fields: ClassVar[dict[str, str]] = {}

    disciplined = forms.IntegerField(label="党纪政务处分（人）", required=False, min_value=0)
    organisational = forms.IntegerField(label="组织处理（人）", required=False, min_value=0)
    recovered = forms.DecimalField(label="追缴/挽回资金（万元）", required=False, min_value=0,
                                   max_digits=14, decimal_places=2)
    clearance_kind = forms.ChoiceField(
        label="清退类别", required=False, choices=[("", "—"), *ClearanceKind.choices])
    cleared = forms.DecimalField(label="清退数量", required=False, min_value=0, max_digits=14,
                                 decimal_places=2)
    rules = forms.CharField(
        label="建立完善制度", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": "4000"}),
        help_text="每行一项：制度名称，印发日期（如 东城镇村级后备干部管理办法，2024-03-01）",
    )

    def figures(self) -> dict[str, Any]:
        data = self.cleaned_data
        rules = []
        for line in (data.get("rules") or "").splitlines():
            match = _RULE_LINE.match(line.strip())
            if match and match.group("name").strip():
                rules.append({"name": match.group("name").strip(),
                              "adopted_on": match.group("day") or None})
        return {
            "disciplined": data.get("disciplined"), "organisational": data.get("organisational"),
            "recovered": data.get("recovered"), "clearance_kind": data.get("clearance_kind"),
            "cleared": data.get("cleared"), "rules": rules,
        }


class RectificationForm(forms.Form):
    text = forms.CharField(
        label="通报中的整改情况", required=False, max_length=RECTIFICATION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": RECTIFICATION_LIMIT}),
        help_text="留空则使用已公布原文或由整改措施起草的文字",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DisclosureForm(forms.Form):
    disclosure = forms.ChoiceField(
        label="是否公开", widget=forms.RadioSelect,
        choices=[("public", "公开"), ("withheld", "不宜公开")],
        error_messages={"required": "请选择是否公开"},
    )
    reason = forms.CharField(label="不宜公开的理由", required=False, max_length=REASON_LIMIT,
                             help_text="标记不宜公开时必填，记入操作记录")


class ReleaseForm(forms.Form):
    """发布 asks for a deliberate confirmation, so a stray POST publishes nothing."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="release")

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"] != "release":
            raise forms.ValidationError("请通过发布按钮确认发布")
        return "release"
