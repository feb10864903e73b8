"""Replacing and withdrawing 佐证材料 (the unit, while the measure is open to progress)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuncha import access
from xuncha.web.forms import EvidenceReplaceForm, EvidenceWithdrawForm
from xuncha.web.views.pages import problem_page
from xuncha.web.views.scope import require
from xuncha.workflow import services
from xuncha.workflow.models import Evidence

UNIT_ONLY = "只有被巡察单位可以替换或撤回本单位的佐证材料"


def _fetch(request: HttpRequest, evidence_id: int) -> Evidence:
    item = access.access_evidence(request.user, evidence_id)
    measure = access.access_measure(request.user, item.measure_id)
    require(access.can_edit_plan(request.user, measure.problem), UNIT_ONLY)
    item.measure = measure  # the measure with its problem, already fetched through access
    return item


def _back(item: Evidence) -> HttpResponse:
    url = reverse("problem-detail", args=[item.measure.problem_id])
    return redirect(f"{url}#measure-{item.measure_id}")


@login_required
@require_POST
def evidence_supersede(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = _fetch(request, evidence_id)
    form = EvidenceReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            new = services.supersede_evidence(request.user, item, upload.name or "", upload.read())
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(
                request,
                f"已用“{new.original_name}”替换“{item.original_name}”（原文件保留，标为已替换）",
            )
            return _back(item)
    # The page shows no form of this key, so its errors go to the top of the page.
    bound = {f"supersede-{item.pk}": form}
    return problem_page(request, item.measure.problem, bound=bound, status=400)


@login_required
@require_POST
def evidence_withdraw(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = _fetch(request, evidence_id)
    form = EvidenceWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_evidence(request.user, item, form.cleaned_data["comment"])
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已撤回佐证材料“{item.original_name}”（文件保留，不再计入）")
            return _back(item)
    bound = {f"withdraw-{item.pk}": form}
    return problem_page(request, item.measure.problem, bound=bound, status=400)
