"""Template helpers of publishing: the 整改成效 a progress report stated."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from xuncha.inspections.models import ProgressReport

register = template.Library()


@register.simple_tag
def report_figures(report: ProgressReport) -> SafeString | str:
    """"成效：党纪政务处分2人 · 挽回资金12.50万元 · 制度：…" under a progress report."""
    parts: list[str] = []
    try:
        figures = report.figures
    except ObjectDoesNotExist:
        figures = None
    if figures is not None:
        if figures.disciplined:
            parts.append(f"党纪政务处分{figures.disciplined}人")
        if figures.organisational:
            parts.append(f"组织处理{figures.organisational}人")
        if figures.recovered:
            parts.append(f"追缴/挽回资金{figures.recovered}万元")
        if figures.cleared:
            parts.append(f"{figures.get_clearance_kind_display()}：{figures.cleared}")
    rules = [
        rule.name + (f"（{rule.adopted_on.isoformat()}）" if rule.adopted_on else "")
        for rule in report.rules.all()
    ]
    if rules:
        parts.append("建立完善制度：" + "、".join(rules))
    if not parts:
        return ""
    return format_html('<div class="report-figures muted">整改成效：{}</div>',
                       format_html_join(" · ", "{}", ((part,) for part in parts)))
