"""One background job as people see it: a ledger import or export, its progress and result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from xuncha.inspections.models import PartyOrganisation, Round


class Job(models.Model):
    class Kind(models.TextChoices):
        LEDGER_IMPORT = "ledger_import", "导入整改台账"
        LEDGER_EXPORT = "ledger_export", "导出整改台账"
        BOARD_EXPORT = "board_export", "导出逾期督办表"

    class Status(models.TextChoices):
        #: An uploaded ledger whose preview (column mapping + dry run) waits for a worker.
        TO_PREVIEW = "to_preview", "排队等候预览"
        PREVIEWING = "previewing", "正在预览"
        #: An uploaded ledger previewed (result["preview"] or result["preview_error"]); nothing
        #: is imported until it is confirmed.
        DRAFT = "draft", "待确认"
        QUEUED = "queued", "排队等候"
        RUNNING = "running", "正在进行"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人",
                                   on_delete=models.SET_NULL, null=True, related_name="+")
    #: The round a ledger job is about; none for the board, which spans the user's scope.
    round = models.ForeignKey(Round, verbose_name="巡察轮次", on_delete=models.CASCADE,
                              related_name="jobs", null=True, blank=True)
    unit = models.ForeignKey(PartyOrganisation, verbose_name="被巡察单位", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    #: The uploaded ledger's name as the user's computer called it (shown, never a path).
    filename = models.CharField("文件名", max_length=255, blank=True)
    #: Column corrections for the import (sheet -> field -> letter or None), see read_ledger.
    overrides = models.JSONField("列对应调整", default=dict, blank=True)
    #: What an export was asked for (the board: by unit or leader, the order).
    params = models.JSONField("参数", default=dict, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    #: What came of it: the summary line, counts, findings (import) or the file's size (export).
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    #: The django-tasks result id, for the worker's own records.
    task_id = models.CharField(max_length=64, blank=True)
    #: Which worker claimed the job (only one ever does: see services.claim).
    worker = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "status"], name="job_owner_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_export(self) -> bool:
        """A job that ends in a workbook to download."""
        return self.kind in (self.Kind.LEDGER_EXPORT, self.Kind.BOARD_EXPORT)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def working(self) -> bool:
        """Waiting for or in the hands of a worker (a preview or the job itself)."""
        return self.status in WORKING

    @property
    def heartbeat_path(self) -> Path:
        """Touched every few seconds by the worker running the job (services.Heartbeat)."""
        return self.folder / "heartbeat"

    @property
    def folder(self) -> Path:
        """The job's own folder under JOBS_ROOT: the uploaded or the exported workbook."""
        return Path(settings.JOBS_ROOT) / str(self.pk)

    @property
    def upload_path(self) -> Path:
        return self.folder / "upload.xlsx"

    @property
    def output_path(self) -> Path:
        return self.folder / "ledger.xlsx"

    def progress(self) -> dict[str, Any]:
        """done/total as the worker last wrote them (see services.Progress)."""
        done, total = self.done, self.total
        if self.status in (self.Status.RUNNING, self.Status.PREVIEWING):
            done, total = read_progress_file(self.folder, done, total)
        percent = round(100 * done / total) if total else (100 if self.finished else 0)
        return {"done": done, "total": total, "percent": min(percent, 100)}


#: Statuses in which a worker has (or will have) the job.
WORKING = frozenset({Job.Status.TO_PREVIEW, Job.Status.PREVIEWING, Job.Status.QUEUED,
                     Job.Status.RUNNING})

#: For the API schema's enum name (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
JobStatus = Job.Status


def read_progress_file(folder: Path, done: int, total: int) -> tuple[int, int]:
    """The counts a running job wrote beside its files, else the given ones.

    An import writes inside ONE transaction, which on SQLite holds the only write lock: its
    progress cannot go to the database until it commits, so the worker writes it to a small file.
    """
    try:
        text = (folder / "progress").read_text(encoding="ascii")
        new_done, new_total = (int(part) for part in text.split())
    except (OSError, ValueError):
        return done, total
    return new_done, new_total
