"""Ledger jobs: start them (from a view or the API) and run them (from a worker, via
``xuncha.tasks``).

A job is claimed by ONE conditional UPDATE (queued -> running): however many workers run, and
even if a task were enqueued twice, only the worker whose UPDATE changed the row does the work.
An import is one transaction (``import_ledger``): a failure writes nothing but the job's error.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xuncha import access
from xuncha.inspections.ledger import LedgerImport, export_round, import_ledger
from xuncha.inspections.models import PartyOrganisation, Round
from xuncha.jobs.models import Job
from xuncha.ledgers.model import Finding, LedgerError
from xuncha.ledgers.read import Overrides, ReadResult, read_ledger

logger = logging.getLogger(__name__)
User = AbstractBaseUser | AnonymousUser
J = Job.Status
#: Findings kept in a job's result (a ledger full of problems would otherwise bloat the row).
MAX_FINDINGS = 500
#: Drafts (uploaded, never confirmed) older than this are removed with their files.
DRAFT_HOURS = 24


GONE = "上传的台账文件已不在服务器上，请重新上传"


class JobError(Exception):
    """A job that cannot be started or confirmed, with one line in Chinese."""


# --- starting jobs (web and API) ------------------------------------------------------------


def upload_ledger(user: User, round_: Round, filename: str, data: bytes) -> Job:
    """Keep an uploaded ledger as a draft import job after checking that it reads.

    Raises LedgerError (one line in Chinese) for a file that is no readable ledger; nothing is
    kept then.
    """
    if not access.can_manage_round(user):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    read_ledger(data, filename)  # refuse a bad file before anything is stored
    _prune_drafts()
    job = Job.objects.create(kind=Job.Kind.LEDGER_IMPORT, created_by_id=user.pk, round=round_,
                             filename=Path(filename or "台账.xlsx").name[:255])
    job.folder.mkdir(parents=True, exist_ok=True)
    job.upload_path.write_bytes(data)
    return job


def preview(job: Job, overrides: Overrides | None = None) -> tuple[ReadResult, LedgerImport]:
    """The draft's column mapping and a dry run of its import with `overrides` (else the job's).

    Raises LedgerError when the overrides make the ledger unreadable (e.g. no problem column).
    """
    data = job.upload_path.read_bytes()
    result = read_ledger(data, job.filename, overrides=job.overrides if overrides is None
                         else overrides)
    report = import_ledger(job.created_by, job.round, result, filename=job.filename,
                           dry_run=True)
    return result, report


def save_overrides(job: Job, overrides: Overrides) -> None:
    if job.status != J.DRAFT:
        raise JobError("该导入已确认，不能再修改列对应")
    job.overrides = overrides
    job.save(update_fields=["overrides"])


def confirm_import(user: User, job: Job, overrides: Overrides | None = None) -> Job:
    """Queue a previewed import (once: confirming twice queues it once)."""
    from xuncha import tasks

    if not access.can_manage_round(user):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    with transaction.atomic():
        fields: dict[str, Any] = {"status": J.QUEUED, "message": "排队等候后台处理"}
        if overrides is not None:
            fields["overrides"] = overrides
        if not Job.objects.filter(pk=job.pk, status=J.DRAFT).update(**fields):
            raise JobError("该导入已确认过，不会重复导入")
        # The task row is written in the same transaction as the job's new status.
        queued = tasks.import_ledger.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


def start_export(user: User, round_: Round, unit: PartyOrganisation | None = None) -> Job:
    """Queue the export of a round's (or one unit's) ledger; the caller checked access."""
    from xuncha import tasks

    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.LEDGER_EXPORT, status=J.QUEUED,
                                 created_by_id=user.pk, round=round_, unit=unit,
                                 message="排队等候后台处理")
        queued = tasks.export_ledger.enqueue(job.pk)
        job.task_id = str(queued.id)
        job.save(update_fields=["task_id"])
    return job


def download_name(job: Job) -> str:
    where = f"{job.round.display_name}{job.unit.name if job.unit else ''}"
    return f"{where}整改台账.xlsx"


def _prune_drafts() -> None:
    """Drafts nobody confirmed, and exported files past their keeping time, go."""
    from django.conf import settings

    now = timezone.now()
    stale = list(Job.objects.filter(status=J.DRAFT,
                                    created_at__lt=now - datetime.timedelta(hours=DRAFT_HOURS)))
    for job in stale:
        shutil.rmtree(job.folder, ignore_errors=True)
    Job.objects.filter(pk__in=[job.pk for job in stale]).delete()
    old = now - datetime.timedelta(days=settings.JOB_FILE_DAYS)
    for job in Job.objects.filter(kind=Job.Kind.LEDGER_EXPORT, finished_at__lt=old):
        shutil.rmtree(job.folder, ignore_errors=True)


# --- running jobs (worker) ------------------------------------------------------------------


def claim(job_id: int, worker: str) -> bool:
    """Mark a queued job running for `worker`; False when another worker has it already."""
    claimed = Job.objects.filter(pk=job_id, status=J.QUEUED).update(
        status=J.RUNNING, worker=worker[:64], started_at=timezone.now(), message="开始处理")
    return claimed == 1


class Progress:
    """The (done, total) callback the ledger functions call, kept in the job's folder.

    Written at most every `every` seconds (and always at the end) by replacing a small file,
    so a reader never sees half a write; see models.read_progress_file for why not the row.
    """

    def __init__(self, job: Job, every: float = 0.3) -> None:
        self.folder = job.folder
        self.every = every
        self.last = 0.0
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every:
            return
        self.last = now
        temporary = self.folder / "progress.tmp"
        temporary.write_text(f"{done} {total}", encoding="ascii")
        os.replace(temporary, self.folder / "progress")


def _stage(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(message=message)


def _finish(job: Job, status: str, *, message: str, result: dict[str, Any] | None = None,
            error: str = "") -> None:
    from xuncha.jobs.models import read_progress_file

    done, total = read_progress_file(job.folder, job.done, job.total)
    if status == J.SUCCEEDED:
        done = total = max(total, 1)
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, result=result or {}, error=error, done=done,
        total=total, finished_at=timezone.now())
    with contextlib.suppress(OSError):
        (job.folder / "progress").unlink()


def run_import(job_id: int, worker: str) -> str:
    """Import a confirmed ledger (a worker runs this). Returns the summary line."""
    if not claim(job_id, worker):
        return "已由其他后台进程处理"
    job = Job.objects.select_related("round", "created_by").get(pk=job_id)
    try:
        _stage(job_id, "正在读取台账")
        result = read_ledger(job.upload_path.read_bytes(), job.filename,
                             overrides=job.overrides)
        _stage(job_id, "正在写入数据库")
        report = import_ledger(job.created_by, job.round, result, filename=job.filename,
                               progress=Progress(job))
    except Exception as error:  # the job says what went wrong; the import wrote nothing
        _finish(job, J.FAILED, message="导入失败，未写入任何内容", error=_explain(error))
        raise
    finally:
        with contextlib.suppress(OSError):
            job.upload_path.unlink()
    summary = report.summary()
    _finish(job, J.SUCCEEDED, message=summary, result=import_result(report))
    return summary


def run_export(job_id: int, worker: str) -> str:
    """Write a round's (or unit's) ledger to the job's folder (a worker runs this)."""
    if not claim(job_id, worker):
        return "已由其他后台进程处理"
    job = Job.objects.select_related("round__committee", "unit").get(pk=job_id)
    try:
        _stage(job_id, "正在生成台账")
        data = export_round(job.round, job.unit, progress=Progress(job))
        temporary = job.folder / "ledger.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, job.output_path)
    except Exception as error:
        _finish(job, J.FAILED, message="导出失败", error=_explain(error))
        raise
    message = f"已生成{download_name(job)}（{len(data) / 1024:.0f} KB）"
    _finish(job, J.SUCCEEDED, message=message, result={"bytes": len(data),
                                                       "filename": download_name(job)})
    return message


def import_result(report: LedgerImport) -> dict[str, Any]:
    """What the job page and the API show of an import (or a dry run)."""
    return {
        "summary": report.summary(),
        "changed": report.changed,
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "findings": [finding_data(f) for f in report.findings[:MAX_FINDINGS]],
        "findings_total": len(report.findings),
    }


def finding_data(finding: Finding) -> dict[str, Any]:
    return {"sheet": finding.sheet, "row": finding.row, "column": finding.column,
            "reason": finding.reason}


def _explain(error: BaseException) -> str:
    if isinstance(error, LedgerError | PermissionDenied | JobError):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return GONE
    logger.exception("ledger job failed")
    return f"内部错误（{type(error).__name__}），请联系系统管理员查看日志"
