"""Progress with evidence (the unit), review and sign-off (the office or group), evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xuncha import access
from xuncha.inspections.models import RectificationStatus
from xuncha.web.forms import DecisionForm, ProgressForm
from xuncha.web.views.pages import problem_page
from xuncha.web.views.scope import require
from xuncha.workflow import evidence as evidence_files
from xuncha.workflow import services


@login_required
@require_POST
def progress_report(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.access_measure(request.user, measure_id)
    problem = measure.problem
    require(access.can_edit_plan(request.user, problem), "只有被巡察单位可以报告本单位的整改进展")
    key = f"progress-{measure.pk}"
    form = ProgressForm(request.POST, request.FILES, prefix=key)
    if form.is_valid():
        data = form.cleaned_data
        files = [(upload.name or "", upload.read()) for upload in data["evidence"]]
        try:
            services.report_progress(
                request.user, measure, content=data["content"], status=data["status"],
                files=files, reported_on=data["reported_on"], figures=form.figures(),
            )
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            asked = {"done": "，并申请销号", "long_term": "，长期坚持待巡察办或巡察组确认"}
            messages.success(
                request,
                f"已报告整改措施{measure.order}的进展"
                + asked.get(data["status"], "")
                + (f"，上传佐证材料 {len(files)} 份" if files else ""),
            )
            return redirect(reverse("problem-detail", args=[problem.pk]) + f"#measure-{measure.pk}")
    return problem_page(request, problem, bound={key: form}, status=400)


@login_required
@require_POST
def measure_review(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.access_measure(request.user, measure_id)
    problem = measure.problem
    require(access.can_review(request.user, problem), "只有巡察办或负责该单位的巡察组可以验收销号")
    key = f"review-{measure.pk}"
    form = DecisionForm(request.POST, prefix=key)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            # PermissionDenied (reviewing one's own sign-off request) becomes a 403 page.
            decided = services.review_measure(request.user, measure, decision, comment)
        except services.ServiceError as error:
            form.show_service_error(error)
        else:
            done = _DECIDED.get(decided.status, "已退回整改")
            messages.success(request, f"整改措施{measure.order}{done}")
            return redirect(reverse("problem-detail", args=[problem.pk]) + f"#measure-{measure.pk}")
    return problem_page(request, problem, bound={key: form}, status=400)


_DECIDED: dict[str, str] = {
    RectificationStatus.SIGNED_OFF: "已销号", RectificationStatus.LONG_TERM: "已确认长期坚持",
}


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """A 佐证材料 file, to users who may see its problem; always a download, never rendered."""
    item = access.access_evidence(request.user, evidence_id)
    try:
        path = evidence_files.path_of(item.stored_as)
        handle = path.open("rb")
    except (evidence_files.EvidenceError, OSError):
        raise Http404("佐证材料文件不存在") from None
    return FileResponse(
        handle, as_attachment=True,
        filename=evidence_files.download_name(item.original_name, item.content_type),
        content_type=item.content_type
    )
