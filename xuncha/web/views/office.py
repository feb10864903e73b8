"""The office's and groups' work around the cycle: deadlines, problems, clue handovers; and the
supervisors' record of what came of a clue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Problem
from xuncha.web.forms import ClueForm, DeadlinesForm, OutcomeForm, ProblemEditForm, ProblemForm
from xuncha.web.views.pages import problem_page, round_page, unit_page
from xuncha.web.views.scope import require
from xuncha.workflow import services

REVIEWERS_ONLY = "只有巡察办或负责该单位的巡察组可以{}"


@login_required
@require_POST
def round_deadlines(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    require(access.can_manage_round(request.user), "只有巡察办可以设定整改时限")
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            services.set_deadlines(request.user, round_, **form.cleaned_data)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, "整改时限已保存")
            return redirect("round-detail", round_.pk)
    return round_page(request, round_, bound={"deadlines": form}, status=400)


@login_required
@require_POST
def problem_add(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    # A group user reaching this unit is the group that inspected it (access scopes groups so).
    require(access.role_of(request.user) in (Role.OFFICE, Role.GROUP),
            REVIEWERS_ONLY.format("录入反馈问题"))
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            problem = services.add_problem(request.user, inspection, **form.cleaned_data)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已录入反馈问题{problem.order}")
            return redirect("problem-detail", problem.pk)
    return unit_page(request, inspection, bound={"problem": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_review(request.user, problem), REVIEWERS_ONLY.format("修改反馈问题"))
    if request.method == "GET":
        return _edit_page(request, problem, _edit_form(problem))
    form = ProblemEditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, problem, form, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.edit_problem(request.user, problem, data, version=version)
    except services.StaleEdit as stale:
        current = stale.current
        return _edit_page(request, current, _edit_form(current), status=409,
                          stale=current, attempt=form.cleaned_data)
    except services.ServiceError as error:
        form.show_service_error(error)
        return _edit_page(request, problem, form, status=400)
    messages.success(request, "反馈问题已保存")
    return redirect("problem-detail", problem.pk)


def _edit_form(problem: Problem) -> ProblemEditForm:
    return ProblemEditForm(initial={
        "text": problem.text, "category": problem.category_id, "immediate": problem.immediate,
        "version": problem.version,
    })


def _edit_page(
    request: HttpRequest, problem: Problem, form: ProblemEditForm, *, status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {"problem": problem, "form": form, **extra}
    return render(request, "web/problem_edit.html", context, status=status)


@login_required
@require_POST
def clue_handover(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_review(request.user, problem), REVIEWERS_ONLY.format("移交问题线索"))
    form = ClueForm(request.POST)
    if form.is_valid():
        try:
            handover = services.hand_over_clue(request.user, problem, **form.cleaned_data)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(
                request,
                f"已移交{handover.get_receiver_display()}，"
                f"请于 {date_format(handover.follow_up_due)} 前反馈办理结果",
            )
            return redirect(reverse("problem-detail", args=[problem.pk]) + "#clues")
    return problem_page(request, problem, bound={"clue": form}, status=400)


@login_required
@require_POST
def clue_outcome(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = access.access_handover(request.user, handover_id)
    problem = handover.problem
    require(access.can_record_outcome(request.user, handover),
            f"只有接收该线索的{handover.get_receiver_display()}可以反馈其办理结果")
    key = f"outcome-{handover.pk}"
    form = OutcomeForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.record_clue_outcome(request.user, handover, **form.cleaned_data)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, "线索办理结果已记录")
            return redirect(reverse("problem-detail", args=[problem.pk]) + "#clues")
    return problem_page(request, problem, bound={key: form}, status=400)
