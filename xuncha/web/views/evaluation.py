"""整改评估 pages: a round's evaluation (page and xlsx), the weights the office sets, and
dismissing a quality flag on a problem."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha import access
from xuncha.analysis.evaluation import (
    BENCHMARK_FORMULAS,
    COMPONENT_LABELS,
    COMPONENTS,
    DEFAULT_WEIGHTS,
    FORMULAS,
    SCORE_FORMULA,
    Weights,
    WeightsError,
)
from xuncha.assessment import services
from xuncha.assessment.models import EvaluationWeights
from xuncha.assessment.queries import weights_for
from xuncha.assessment.report import evaluation_xlsx, round_evaluation
from xuncha.inspections.models import Committee
from xuncha.web.views.pages import problem_page
from xuncha.web.views.scope import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def round_evaluation_page(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    evaluation = round_evaluation(request.user, round_)
    return render(request, "web/evaluation.html", {
        "round": round_, "evaluation": evaluation,
        "components": [(code, COMPONENT_LABELS[code], FORMULAS[code],
                        getattr(evaluation.weights, code)) for code in COMPONENTS],
        "score_formula": SCORE_FORMULA, "benchmark_formulas": BENCHMARK_FORMULAS,
        "edits_weights": access.can_manage_round(request.user),
    })


@login_required
@require_GET
def round_evaluation_download(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    response = HttpResponse(evaluation_xlsx(round_evaluation(request.user, round_)),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-evaluation.xlsx"'
    return response


def _committee(request: HttpRequest) -> Committee | None:
    profile = access.profile_of(request.user)
    return profile.committee if profile is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_weights(request: HttpRequest) -> HttpResponse:
    """The office sets the weights of the evaluation for its committee's rounds."""
    if not access.can_manage_round(request.user):
        raise Http404
    committee = _committee(request)
    current: dict[str, object] = dict(weights_for(committee).as_dict())
    error, status = None, 200
    if request.method == "POST":
        try:
            weights = Weights.read(request.POST)
        except WeightsError as refused:
            error, status = refused, 400
            current = {code: request.POST.get(code, "") for code in COMPONENTS}
        else:
            services.set_weights(request.user, committee, weights)
            messages.success(request, "整改评估权重已保存")
            return redirect(reverse("evaluation-weights"))
    row = EvaluationWeights.objects.filter(committee=committee).first()
    return render(request, "web/evaluation_weights.html", {
        "committee": committee, "row": row, "error": error,
        "fields": [(code, COMPONENT_LABELS[code], FORMULAS[code], current[code],
                    DEFAULT_WEIGHTS[code]) for code in COMPONENTS],
    }, status=status)


@login_required
@require_POST
def flag_dismiss(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = access.access_problem(request.user, problem_id)
    require(access.can_dismiss_flags(request.user), "只有巡察办可以排除整改质量提示")
    try:
        services.dismiss_flag(request.user, problem, request.POST.get("code", ""),
                              request.POST.get("reason", ""))
    except services.AssessmentError as refused:
        messages.error(request, refused.message)
        return problem_page(request, problem, status=400)
    messages.success(request, "已排除该质量提示，理由已记入操作记录")
    return redirect(reverse("problem-detail", args=[problem.pk]) + "#quality-flags")
