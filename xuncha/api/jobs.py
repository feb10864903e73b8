"""整改台账 through the API: upload for a preview (column mapping + dry run), confirm with
mapping corrections (→ a background job), watch the job, export in the background and download.

Same rules as the web pages (xuncha.web.views.ledgers): importing is the office's; a whole
round's ledger is exported by the office and supervisors, one unit's by whoever sees the unit.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.decorators import api_view, content_negotiation_class, parser_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from xuncha import access
from xuncha.api.views import _errors, _IgnoreAccept, _require, _validated
from xuncha.jobs import services as jobs
from xuncha.jobs.models import Job
from xuncha.ledgers.model import COLUMNS, LedgerError
from xuncha.ledgers.read import Overrides
from xuncha.web.views.board import BOARD_ROLES
from xuncha.web.views.ledgers import download
from xuncha.workflow.deadlines import BOARD_SORTS
from xuncha.workflow.services import ServiceError

_OVERRIDES = ("列对应的改正：{工作表名: {字段: 列字母或 null}}，字段为 "
              + "、".join(f"{key}（{label}）" for key, label in COLUMNS.items())
              + "；null 表示不导入该字段")


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(Job.Kind.choices)
    kind_display = serializers.CharField(help_text="类型（中文）")
    status = serializers.ChoiceField(Job.Status.choices, help_text=(
        "to_preview 排队等候预览 · previewing 正在预览 · draft 待确认（预览已完成）· queued 排队 · "
        "running 进行中 · succeeded 已完成 · failed 失败"))
    status_display = serializers.CharField(help_text="状态（中文）")
    finished = serializers.BooleanField()
    round = serializers.IntegerField(allow_null=True,
                                     help_text="巡察轮次 id；逾期督办表导出为 null")
    unit = serializers.IntegerField(allow_null=True, help_text="被巡察单位 id（整轮时为 null）")
    filename = serializers.CharField(help_text="上传的文件名（导入）")
    created_by = serializers.CharField(allow_null=True, help_text="发起人账号")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="0–100")
    message = serializers.CharField(help_text="进度说明（中文）")
    result = serializers.JSONField(help_text=(
        "待确认的导入（draft）：preview（sheets 列对应、dry_run 试导入，同上传预览的回答）或 "
        "preview_error（台账按此列对应无法读取的原因）；导入完成：summary、created、updated、"
        "unchanged、findings（sheet、row、column、reason）；导出：bytes、filename"))
    error = serializers.CharField(help_text="失败原因（中文）；未失败时为空")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download = serializers.CharField(allow_null=True, help_text="导出完成后的下载地址")


def job_data(job: Job) -> dict[str, Any]:
    ready = job.is_export and job.status == Job.Status.SUCCEEDED
    return {
        "id": job.pk, "kind": job.kind, "kind_display": job.get_kind_display(),
        "status": job.status, "status_display": job.get_status_display(),
        "finished": job.finished, "round": job.round_id, "unit": job.unit_id,
        "filename": job.filename,
        "created_by": job.created_by.get_username() if job.created_by else None,
        **job.progress(), "message": job.message, "result": job.result, "error": job.error,
        "created_at": job.created_at, "finished_at": job.finished_at,
        "download": f"/api/jobs/{job.pk}/download" if ready else None,
    }


class PreviewInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="整改台账 .xlsx", error_messages={
        "empty": "上传的文件是空的（0 字节），未导入", "required": "请上传整改台账 .xlsx 文件"})
    overrides = serializers.CharField(required=False, help_text=_OVERRIDES + "（JSON 文本）")
    background = serializers.BooleanField(required=False, default=False, help_text=(
        "true：总在后台预览（回答 202）；不填时小文件当场预览（201），大文件在后台预览（202）"))


class CommitInputSerializer(serializers.Serializer):
    overrides = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_null=True)),
        required=False, help_text=_OVERRIDES + "；不填则用预览时的列对应")


class ExportInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                    help_text="只导出这个被巡察单位（id）；不填为整轮")


class LedgerPreviewSerializer(serializers.Serializer):
    job = JobSerializer()
    sheets = serializers.JSONField(allow_null=True, help_text=(
        "每个工作表：title、header_rows、unit、columns（letter 列字母、header 表头、field "
        "对应字段或空）；在后台预览（202）时为 null，预览完成后见任务的 result.preview.sheets"))
    dry_run = serializers.JSONField(allow_null=True, help_text=(
        "试导入：summary、created、updated、unchanged（条数）、findings（sheet、row、column、"
        "reason）；在后台预览（202）时为 null，完成后见任务的 result.preview.dry_run"))


def _overrides(value: Any) -> Overrides:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            raise ServiceError("overrides 须为 JSON 对象", "overrides") from None
    if not isinstance(value, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str | None) for x in v.values())
        for v in value.values()
    ):
        raise ServiceError("overrides 须为 {工作表名: {字段: 列字母或 null}}", "overrides")
    return value


def preview_body(preview: dict[str, Any]) -> dict[str, Any]:
    """A stored preview (services.preview_data) as the API shows it."""
    sheets = [{"title": sheet["title"], "header_rows": list(sheet["header_rows"]),
               "unit": sheet["unit"],
               "columns": [{k: c[k] for k in ("letter", "header", "field")}
                           for c in sheet["columns"]]}
              for sheet in preview["sheets"]]
    return {"sheets": sheets, "dry_run": preview["dry_run"]}


@extend_schema(
    operation_id="ledger_preview", tags=["整改台账"],
    summary="上传整改台账并预览：每个工作表的列对应和试导入结果（巡察办；不写入）",
    description="小文件（不超过 XUNCHA_LEDGER_INLINE_PREVIEW_KB，默认 256 KB）当场预览，回答 "
    "201 和 sheets、dry_run；大文件或 background=true 时在后台预览，回答 202，sheets 和 "
    "dry_run 为 null：用 GET /api/jobs/{id} 查看进度，status 变为 draft 后任务的 "
    "result.preview 即 {sheets, dry_run}（或 result.preview_error：按所给列对应无法读取的原因）。"
    "返回的 job.id 用于 POST /api/jobs/{id}/commit 确认导入。文件不是可读的台账（不是 .xlsx、"
    "设有密码、空文件、只有公式）时返回 400，什么也不保存（大文件只当场检查前两项，其余由后台"
    "预览的 preview_error 说明）。",
    request={"multipart/form-data": PreviewInputSerializer},
    responses={201: LedgerPreviewSerializer, 202: LedgerPreviewSerializer,
               **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def ledger_preview(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以导入整改台账")
    data = _validated(PreviewInputSerializer(data=request.data))
    overrides = _overrides(data.get("overrides", ""))
    upload = data["file"]
    if (upload.size or 0) > settings.LEDGER_MAX_BYTES:
        raise ServiceError(f"文件超过 {settings.LEDGER_MAX_BYTES // 1048576} MB，未导入", "file")
    content = upload.read()
    try:
        job = jobs.upload_ledger(request.user, round_, upload.name or "", content)
    except LedgerError as error:
        raise ServiceError(f"{error}，未导入", "file") from None
    if overrides:
        jobs.save_overrides(job, overrides)
    if data["background"] or len(content) > settings.LEDGER_INLINE_PREVIEW_BYTES:
        job = jobs.start_preview(job)
        return Response({"job": job_data(job), "sheets": None, "dry_run": None},
                        status=http.HTTP_202_ACCEPTED)
    job = jobs.preview_now(job)
    if "preview_error" in job.result:
        raise ServiceError(job.result["preview_error"], "overrides")
    return Response({"job": job_data(job), **preview_body(job.result["preview"])},
                    status=http.HTTP_201_CREATED)


@extend_schema(
    operation_id="job_commit", tags=["整改台账"],
    summary="确认导入预览过的台账（可附列对应的改正），在后台执行（巡察办）",
    description="返回 202 和任务；用 GET /api/jobs/{id} 查看进度。整个导入是一个事务，"
    "失败时不写入任何内容；重复确认不会重复导入（400）；预览尚未完成时也是 400。"
    "大文件的列对应改正在导入时才检查（无法读取时任务失败并说明原因）。",
    request=CommitInputSerializer,
    responses={202: JobSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def job_commit(request: Request, job_id: int) -> Response:
    job = access.access_job(request.user, job_id)
    _require(access.can_manage_round(request.user), "只有巡察办可以导入整改台账")
    data = _validated(CommitInputSerializer(data=request.data))
    if job.kind != Job.Kind.LEDGER_IMPORT:
        raise ServiceError("这不是台账导入任务", None)
    overrides = _overrides(data["overrides"]) if "overrides" in data else None
    try:
        if overrides is not None and _small(job):
            # Refuse corrections that make the ledger unreadable (a big ledger's import job
            # says so instead: reading it here would take as long as the import).
            jobs.preview(job, overrides)
        job = jobs.confirm_import(request.user, job, overrides)
    except LedgerError as error:
        raise ServiceError(str(error), "overrides") from None
    except jobs.JobError as error:
        raise ServiceError(str(error), None) from None
    return Response(job_data(job), status=http.HTTP_202_ACCEPTED)


@extend_schema(
    operation_id="job_detail", tags=["整改台账"],
    summary="后台任务的进度和结果（发起人；巡察办可看本轮次的全部任务）",
    responses={200: JobSerializer, **_errors(401, 404)},
)
@api_view(["GET"])
def job_detail(request: Request, job_id: int) -> Response:
    job = access.access_job(request.user, job_id)
    jobs.reap_stale(job)
    return Response(job_data(job))


def _small(job: Job) -> bool:
    try:
        return job.upload_path.stat().st_size <= settings.LEDGER_INLINE_PREVIEW_BYTES
    except OSError:
        return True  # gone: preview() says so


@extend_schema(
    operation_id="ledger_export", tags=["整改台账"],
    summary="在后台导出整改台账（整轮：巡察办、监督部门；单个单位：能查看该单位的用户）",
    request=ExportInputSerializer,
    responses={202: JobSerializer, **_errors(400, 401, 403, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def ledger_export(request: Request, round_id: int) -> Response:
    round_ = access.access_round(request.user, round_id)
    # Permission before the body: the unit is fetched through access (an id that is no id is
    # a unit not found), the whole round needs the right role.
    unit = request.data.get("unit") if isinstance(request.data, dict) else None
    if unit is None:
        _require(access.can_export_round_ledger(request.user),
                 "只有巡察办和监督部门可以导出整轮台账")
        _validated(ExportInputSerializer(data=request.data))
        job = jobs.start_export(request.user, round_)
    else:
        inspection = access.access_inspection(request.user, round_.pk, _unit_id(unit))
        job = jobs.start_export(request.user, round_, inspection.unit)
    return Response(job_data(job), status=http.HTTP_202_ACCEPTED)


class BoardExportInputSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["unit", "leader"], default="unit",
                                 help_text="汇总按被巡察单位（unit）或责任领导（leader）")
    sort = serializers.ChoiceField(choices=sorted(BOARD_SORTS), default="overdue",
                                   help_text="汇总表的排序，同逾期督办页")


@extend_schema(
    operation_id="board_export", tags=["逾期督办"],
    summary="在后台导出逾期督办表（汇总 + 明细，范围为本人可见的单位；巡察办、巡察组、监督部门）",
    request=BoardExportInputSerializer,
    responses={202: JobSerializer, **_errors(400, 401, 404)},
)
@api_view(["POST"])
@parser_classes([JSONParser])
def board_export(request: Request) -> Response:
    access.require_role(request.user, *BOARD_ROLES)
    data = _validated(BoardExportInputSerializer(data=request.data))
    job = jobs.start_board_export(request.user, data["by"], data["sort"])
    return Response(job_data(job), status=http.HTTP_202_ACCEPTED)


def _unit_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise Http404
    number = int(value)
    if not 0 < number <= 2**63 - 1:
        raise Http404
    return number


@extend_schema(
    operation_id="job_download", tags=["整改台账"], summary="下载导出完成的整改台账",
    responses={
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
            OpenApiResponse(OpenApiTypes.BINARY, description="台账 .xlsx"),
        **_errors(401, 404),
    },
)
@api_view(["GET"])
@content_negotiation_class(_IgnoreAccept)
def job_download(request: Request, job_id: int) -> FileResponse:
    return download(access.access_job(request.user, job_id))
