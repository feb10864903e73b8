"""Web pages: a round's 共性问题 (with raising a 举一反三 requirement from a group), the office's
similarity settings, and the 屡查屡犯 block of a problem page (``problem_context``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Problem, RectificationStatus, Round
from xuncha.notices.names import int_to_cn
from xuncha.similar import services
from xuncha.similar.models import CommonRequirementItem, SimilaritySettings
from xuncha.similar.queries import (
    MAX_ROUNDS,
    CommonGroup,
    Related,
    committee_common_groups,
    common_groups,
    related,
)
from xuncha.web.views.scope import require
from xuncha.workflow.services import ServiceError

#: What the office is told the threshold means, on the settings page and the 共性 page.
EXPLANATION = (
    "相似度按文字计算：去掉标点和空格、统一全角半角、把数字一律看作同一个数后，"
    "把每段文字拆成相邻两字（如“后备”“备力”“力量”），两段文字共有的两字组占两者全部两字组的"
    "比例即相似度（0 至 1）。达到阈值即视为相似，并列出两者相同的字词。"
    "阈值越高，只认近乎相同的表述；越低，措辞不同的同类问题也会被找出，但误报增多。"
)


def round_label(round_: Round) -> str:
    """How 屡查屡犯 names an earlier round: "十二届第五轮", else its full name."""
    if round_.term and round_.number:
        return f"{round_.term}第{int_to_cn(round_.number)}轮"
    return round_.display_name


def describe(item: Related) -> str:
    """"曾于 十二届第五轮 反馈，已于 2024年3月 销号" (or where it stands now)."""
    problem = item.problem
    said = f"曾于 {round_label(problem.round)} 反馈"
    if problem.status == RectificationStatus.SIGNED_OFF:
        if item.signed_off_at is not None:
            at = item.signed_off_at
            return f"{said}，已于 {at.year}年{at.month}月 销号"
        return f"{said}，已销号"
    return f"{said}，目前{problem.get_status_display()}"


def problem_context(user: Any, problem: Problem) -> dict[str, Any]:
    """What the problem page shows about similarity: earlier similar problems the user may
    see, and the 共性 requirement the problem answers, if it is one."""
    found = related(problem, access.problems_for(user))
    item = CommonRequirementItem.objects.filter(problem=problem).select_related(
        "requirement"
    ).first()
    return {
        "similar_related": [(entry, describe(entry)) for entry in found],
        "similar_requirement": item.requirement if item is not None else None,
    }


class RequirementForm(forms.Form):
    text = forms.CharField(label="整改要求", max_length=services.MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(widget=forms.HiddenInput)
    terms = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_problems(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["problems"].split(",") if part]
        except ValueError:
            raise forms.ValidationError("来源问题有误") from None


def _draft(found: CommonGroup) -> str:
    words = "、".join(f"“{term}”" for term in found.terms[:3]) or "此类问题"
    return (f"本轮巡察发现 {len(found.units)} 个单位存在{words}等共性问题。"
            "请各单位对照检查、举一反三，制定整改措施并按期报送整改情况。")


def _forms(found: list[CommonGroup]) -> list[RequirementForm]:
    return [
        RequirementForm(initial={
            "text": _draft(g), "problems": ",".join(map(str, g.problems)),
            "terms": "、".join(g.terms),
        }, prefix=f"g{index}")
        for index, g in enumerate(found)
    ]


@login_required
@require_GET
def round_common(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    if request.GET.get("scope") == "committee":
        rounds = access.rounds_for(request.user).filter(committee_id=round_.committee_id)
        found = committee_common_groups(rounds, access.problems_for(request.user))
        return render(request, "similar/round_common.html", {
            "round": round_, "groups": [(g, None) for g in found], "committee_scope": True,
            "max_rounds": MAX_ROUNDS, "settings": SimilaritySettings.current(),
            "explanation": EXPLANATION,
        })
    return _common_page(request, round_)


def _common_page(request: HttpRequest, round_: Round, *, bound: tuple[int, RequirementForm]
                 | None = None, status: int = 200) -> HttpResponse:
    found = common_groups(round_, access.problems_for(request.user))
    office = access.can_manage_round(request.user)
    page_forms: list[RequirementForm | None] = (
        list(_forms(found)) if office else [None] * len(found)
    )
    if bound is not None and bound[0] < len(page_forms):
        page_forms[bound[0]] = bound[1]
    return render(request, "similar/round_common.html", {
        "round": round_, "groups": list(zip(found, page_forms, strict=True)),
        "settings": SimilaritySettings.current(), "explanation": EXPLANATION,
        "requirements": list(round_.common_requirements.all()) if office else [],
    }, status=status)


@login_required
@require_POST
def round_common_raise(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), "只有巡察办可以提出共性问题整改要求")
    try:
        index = int(request.POST.get("group", ""))
    except ValueError:
        index = -1
    form = RequirementForm(request.POST, prefix=f"g{index}")
    if index >= 0 and form.is_valid():
        data = form.cleaned_data
        terms = [term for term in data["terms"].split("、") if term]
        try:
            requirement = services.raise_requirement(
                request.user, round_, data["text"], data["problems"], terms,
            )
        except ServiceError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request, f"已向本轮 {requirement.items.count()} 个被巡察单位提出共性问题整改要求"
            )
            return redirect("similar-round-common", round_.pk)
    return _common_page(request, round_, bound=(max(index, 0), form), status=400)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SimilaritySettings
        fields = ["threshold", "min_units"]


@login_required
@require_http_methods(["GET", "POST"])
def similarity_settings(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    current = SimilaritySettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(request.user, form.cleaned_data["threshold"],
                                         form.cleaned_data["min_units"])
            except ServiceError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, "相似度设置已保存")
                return redirect("similar-settings")
        status = 400
    return render(request, "similar/settings.html", {
        "form": form, "settings": current, "explanation": EXPLANATION,
    }, status=status)
