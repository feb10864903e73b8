"""整改台账 on the web: upload → preview (column mapping + dry run, in the background) → confirm
→ the import in the background. While a worker has the job its page shows a progress bar
(ledger-job.js polls GET /api/jobs/{id}); a finished preview leads back to the preview page,
where changing the mapping queues another preview. Exports are jobs too.

Importing is the office's (``import_ledger`` allows no one else); the whole round's ledger may be
exported by those who see every unit (office, supervisors), a unit's ledger by anyone who sees
that unit. Every fetch goes through ``xuncha.access``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha import access
from xuncha.jobs import services
from xuncha.jobs.models import Job
from xuncha.ledgers.model import COLUMNS, LedgerError
from xuncha.ledgers.read import Overrides

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="整改台账（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        error_messages={"required": "请选择要导入的 .xlsx 文件",
                        "empty": "上传的文件是空的（0 字节）"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_upload(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    if not access.can_manage_round(request.user):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.LEDGER_MAX_BYTES
        if (upload.size or 0) > limit:
            form.add_error("file", f"文件超过 {limit // 1048576} MB，未导入")
        else:
            try:
                job = services.upload_ledger(request.user, round_, upload.name or "",
                                             upload.read())
            except LedgerError as error:
                form.add_error("file", f"{error}，未导入")
            else:
                services.start_preview(job)
                return redirect("job-detail", job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/ledger_upload.html", {"round": round_, "form": form,
                                                      "limit_mb": settings.LEDGER_MAX_BYTES
                                                      // 1048576}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_preview(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.access_job(request.user, job_id)
    if job.kind != Job.Kind.LEDGER_IMPORT:
        raise Http404
    if job.status != Job.Status.DRAFT:
        return redirect("job-detail", job.pk)
    if not access.can_manage_round(request.user):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    preview = job.result.get("preview")
    try:
        if request.method == "POST" and request.POST.get("action") == "reset":
            services.start_preview(job, {})
        elif request.method == "POST":
            overrides = overrides_from(request.POST, job)
            if overrides is None:
                return HttpResponse("列对应表单已过期，请重新打开预览页", status=400)
            if request.POST.get("action") == "commit":
                services.confirm_import(request.user, job, overrides)
            else:
                services.start_preview(job, overrides)
        elif not preview and "preview_error" not in job.result:
            services.start_preview(job)  # a draft from before previews ran in the background
    except services.JobError:
        pass  # confirmed or re-previewed meanwhile (another tab): the job page says which
    if request.method == "POST" or job.status != Job.Status.DRAFT or not (
            preview or "preview_error" in job.result):
        return redirect("job-detail", job.pk)
    if not preview:
        return render(request, "web/ledger_preview.html", {
            "job": job, "round": job.round, "error": job.result["preview_error"]}, status=400)
    return render(request, "web/ledger_preview.html", {
        "job": job, "round": job.round, "sheets": preview["sheets"],
        "fields": list(COLUMNS.items()), "report": preview["dry_run"],
        "created": preview["created"], "updated": preview["updated"],
    })


def overrides_from(data: Any, job: Job) -> Overrides | None:
    """The preview form's choices as read_ledger overrides: every field of every sheet of the
    job's last preview, mapped to the column chosen for it or to None. None when the form does
    not fit the file (or there is no preview to fit)."""
    sheets = (job.result.get("preview") or {}).get("sheets")
    if sheets is None:
        return None
    overrides: Overrides = {}
    for sheet in sheets:
        chosen: dict[str, str | None] = dict.fromkeys(COLUMNS)
        for column in sheet["columns"]:
            field = data.get(column["name"], "")
            if field in COLUMNS:
                chosen[field] = column["letter"]
            elif field:
                return None
        overrides[sheet["title"]] = chosen
    return overrides


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.access_job(request.user, job_id)
    services.reap_stale(job)
    if job.status == Job.Status.DRAFT:
        return redirect("ledger-preview", job.pk)
    return render(request, "web/job_detail.html", {"job": job, "round": job.round,
                                                   "progress": job.progress()})


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = access.access_job(request.user, job_id)
    return download(job)


def download(job: Job) -> FileResponse:
    """The exported workbook of a finished export job; 404 until it exists (or once expired)."""
    if not job.is_export or job.status != Job.Status.SUCCEEDED:
        raise Http404
    try:
        handle = job.output_path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=XLSX)
    name = services.download_name(job)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def round_ledger_export(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round(request.user, round_id)
    if not access.can_export_round_ledger(request.user):
        raise PermissionDenied("只有巡察办和监督部门可以导出整轮台账")
    return redirect("job-detail", services.start_export(request.user, round_).pk)


@login_required
@require_POST
def unit_ledger_export(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    inspection = access.access_inspection(request.user, round_id, unit_id)
    job = services.start_export(request.user, inspection.round, inspection.unit)
    return redirect("job-detail", job.pk)


def round_actions(user: Any, round_: Any) -> dict[str, Any]:
    """The round page's 导出台账 / 导入台账 buttons, for those the targets answer."""
    actions = {}
    if access.can_export_round_ledger(user):
        actions["export"] = reverse("round-ledger-export", args=[round_.pk])
    if access.can_manage_round(user):
        actions["upload"] = reverse("ledger-upload", args=[round_.pk])
    return {"ledger_actions": actions}


def unit_actions(inspection: Any) -> dict[str, Any]:
    """The unit page's 导出台账 button: whoever sees the unit may export its ledger."""
    return {"ledger_actions": {"export": reverse(
        "unit-ledger-export", args=[inspection.round_id, inspection.unit_id])}}
