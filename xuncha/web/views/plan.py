"""The rectification plan: the unit drafts measures and submits; the office or group decides."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from xuncha import access
from xuncha.inspections.models import Inspection, Measure, PlanState, Problem
from xuncha.web.forms import DecisionForm, MeasureEditForm, MeasureForm
from xuncha.web.views.pages import problem_page, unit_page
from xuncha.web.views.scope import require
from xuncha.workflow import services
from xuncha.workflow.models import today
from xuncha.workflow.transitions import plan_is_editable

UNIT_ONLY = "只有被巡察单位可以制定、修改和报送本单位的整改方案"
REVIEWERS_ONLY = "只有巡察办或负责该单位的巡察组可以审核整改方案"


def _to_problem(problem: Problem, anchor: str = "") -> HttpResponse:
    url = reverse("problem-detail", args=[problem.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def measure_add(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_edit_plan(request.user, problem), UNIT_ONLY)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            measure = services.add_measure(request.user, problem, form.cleaned_data)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, f"已新增整改措施{measure.order}")
            _warn_if_past(request, measure.due_date, measure.order)
            return _to_problem(problem, "measures")
    return problem_page(request, problem, bound={"measure": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.access_measure(request.user, measure_id)
    require(access.can_edit_plan(request.user, measure.problem), UNIT_ONLY)
    if request.method == "GET":
        return _edit_page(request, measure, _edit_form(measure))
    form = MeasureEditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, measure, form, status=400)
    data = form.cleaned_data
    try:
        services.edit_measure(request.user, measure, data, version=data["version"])
    except services.StaleEdit as stale:
        # Never overwrite: show what is there now, and keep what the user typed beside it.
        current = stale.current
        context = {"stale": current, "attempt": data}
        return _edit_page(request, current, _edit_form(current), status=409, **context)
    except services.ServiceError as error:
        form.show_service_error(error)
        return _edit_page(request, measure, form, status=400)
    messages.success(request, f"整改措施{measure.order}已保存")
    _warn_if_past(request, data["due_date"], measure.order)
    return _to_problem(measure.problem, f"measure-{measure.pk}")


def _warn_if_past(request: HttpRequest, due: datetime.date | None, order: int) -> None:
    """Saved, but say so when the 完成时限 is already past: a typo is likelier than a plan
    that starts overdue, yet a measure finished late may honestly be recorded."""
    if due is not None and due < today():
        messages.warning(
            request,
            f"注意：整改措施{order}的完成时限 {date_format(due)} 已过，请确认是否填写正确；"
            "如需更正，请点击“修改”。",
        )


def _edit_form(measure: Measure) -> MeasureEditForm:
    fields = (*services.MEASURE_FIELDS, "version")
    return MeasureEditForm(initial={name: getattr(measure, name) for name in fields})


def _edit_page(
    request: HttpRequest, measure: Measure, form: MeasureEditForm, *, status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "measure": measure,
        "problem": measure.problem,
        "form": form,
        "editable": plan_is_editable(measure.problem.plan_state),
        **extra,
    }
    return render(request, "web/measure_edit.html", context, status=status)


@login_required
@require_POST
def plan_submit(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_edit_plan(request.user, problem), UNIT_ONLY)
    try:
        services.submit_plan(request.user, problem)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return problem_page(request, problem, status=400)
    messages.success(request, "整改方案已报送，等待巡察办或巡察组审核")
    return _to_problem(problem)


@login_required
@require_POST
def plan_decide(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_review(request.user, problem), REVIEWERS_ONLY)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            services.decide_plan(request.user, problem, decision, comment)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            done = "整改方案已批准" if decision == "approve" else "整改方案已退回修改"
            messages.success(request, done)
            return _to_problem(problem)
    return problem_page(request, problem, bound={"plan": form}, status=400)


@login_required
@require_POST
def unit_plans_submit(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    """报送全部: every draft or returned plan of the unit that has measures, one call each."""
    inspection = access.access_inspection(request.user, round_id, unit_id)
    stand_in = Problem(round_id=round_id, unit_id=unit_id)
    require(access.can_edit_plan(request.user, stand_in), UNIT_ONLY)
    ready = [
        p for p in _unit_problems(request, round_id, unit_id)
        if plan_is_editable(p.plan_state) and p.measures.exists()
    ]
    return _each(
        request, inspection, ready, services.submit_plan,
        done="已报送 {n} 个问题的整改方案", none="没有可报送的整改方案（须先制定整改措施）",
    )


@login_required
@require_POST
def unit_plans_approve(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    """批准全部: every submitted plan of the unit, one call each."""
    inspection = access.access_inspection(request.user, round_id, unit_id)
    stand_in = Problem(round_id=round_id, unit_id=unit_id)
    require(access.can_review(request.user, stand_in), REVIEWERS_ONLY)
    submitted = [
        p for p in _unit_problems(request, round_id, unit_id)
        if p.plan_state == PlanState.SUBMITTED
    ]

    def approve(user: access.User, problem: Problem) -> Problem:
        return services.decide_plan(user, problem, "approve")

    return _each(request, inspection, submitted, approve,
                 done="已批准 {n} 个问题的整改方案", none="没有待审核的整改方案")


def _unit_problems(request: HttpRequest, round_id: int, unit_id: int) -> list[Problem]:
    return list(
        access.problems_for(request.user)
        .filter(round_id=round_id, unit_id=unit_id)
        .select_related("round", "unit")
        .order_by("order")
    )


def _each(
    request: HttpRequest, inspection: Inspection, problems: list[Problem],
    action: Callable[[access.User, Problem], Problem], *,
    done: str, none: str,
) -> HttpResponse:
    if not problems:
        messages.error(request, none)
        return unit_page(request, inspection, status=400)
    succeeded = 0
    for problem in problems:
        try:
            action(request.user, problem)
        except services.ServiceError as error:
            # Each problem is its own transaction: the others still go through.
            messages.error(request, f"问题{problem.order}：{error.message}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done.format(n=succeeded))
    return redirect("unit-detail", inspection.round_id, inspection.unit_id)
