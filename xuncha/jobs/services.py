"""Ledger jobs: start them (from a view or the API) and run them (from a worker, via
``xuncha.tasks``).

An import job goes: uploaded → to_preview → previewing → draft (the preview — column mapping and
dry run — stored in ``result``; changing the mapping queues another preview) → queued → running
→ succeeded or failed. A job is claimed by ONE conditional UPDATE (to_preview -> previewing,
queued -> running): however many workers run, and even if a task were enqueued twice, only the
worker whose UPDATE changed the row does the work. An import is one transaction
(``import_ledger``): a failure writes nothing but the job's error.

A running job's worker touches a heartbeat file beside the job's files every few seconds; a job
whose heartbeat stopped (its worker was killed) is marked failed by ``reap_stale`` — called by
every worker before it starts a job, by `xuncha serve` at startup, and whenever the job's page
or the API looks at a job.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xuncha import access
from xuncha.inspections.ledger import LedgerImport, export_round, import_ledger
from xuncha.inspections.models import Measure, PartyOrganisation, Round
from xuncha.inspections.queries import board_session
from xuncha.jobs.models import Job
from xuncha.ledgers.model import Finding, LedgerError
from xuncha.ledgers.read import Overrides, ReadResult, check_workbook, read_ledger

logger = logging.getLogger(__name__)
User = AbstractBaseUser | AnonymousUser
J = Job.Status
#: Findings kept in a job's result (a ledger full of problems would otherwise bloat the row).
MAX_FINDINGS = 500
#: Drafts (uploaded, never confirmed) older than this are removed with their files.
DRAFT_HOURS = 24


GONE = "上传的台账文件已不在服务器上，请重新上传"
#: What a job whose worker died says (see reap_stale).
INTERRUPTED = "后台任务中断（处理进程已退出），请重新提交"
#: Seconds between a running job's heartbeats, and without one before it counts as dead.
HEARTBEAT_SECONDS = 5.0
#: Items of the dry run listed on the preview page.
PREVIEW_ITEMS = 200


class JobError(Exception):
    """A job that cannot be started or confirmed, with one line in Chinese."""


# --- starting jobs (web and API) ------------------------------------------------------------


def upload_ledger(user: User, round_: Round, filename: str, data: bytes) -> Job:
    """Keep an uploaded ledger as an import job (a draft without a preview yet; see
    start_preview and preview_now) after checking that it reads: wholly for a file up to
    settings.LEDGER_INLINE_PREVIEW_BYTES, else only that it is an xlsx without a password
    (reading a big one takes as long as its preview: its preview job says what is wrong).

    Raises LedgerError (one line in Chinese) for a file that is no readable ledger; nothing is
    kept then.
    """
    from django.conf import settings

    if not access.can_manage_round(user):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    # Refuse a bad file before anything is stored.
    if len(data) <= settings.LEDGER_INLINE_PREVIEW_BYTES:
        read_ledger(data, filename)
    else:
        check_workbook(data, filename)
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
    report = import_ledger(job.created_by, _round(job), result, filename=job.filename,
                           dry_run=True)
    return result, report


def preview_data(result: ReadResult, report: LedgerImport) -> dict[str, Any]:
    """What the preview page and the API show, kept in a draft's ``result["preview"]``."""
    return {"sheets": sheets_of(result), "dry_run": import_result(report),
            "created": report.created[:PREVIEW_ITEMS], "updated": report.updated[:PREVIEW_ITEMS]}


def sheets_of(result: ReadResult) -> list[dict[str, Any]]:
    """Per sheet: each header cell with the field the reader (or the user) gave it."""
    sheets = []
    for index, (title, mapping) in enumerate(result.mappings.items()):
        by_letter = {column.letter: key for key, column in mapping.columns.items()}
        columns = [{"letter": letter, "header": header, "field": by_letter.get(letter, ""),
                    "name": f"map-{index}-{letter}"}
                   for letter, header in mapping.headers.items() if header.strip()]
        sheets.append({"title": title, "index": index, "columns": columns,
                       "header_rows": list(mapping.header_rows), "unit": mapping.unit,
                       "unit_from": mapping.unit_from})
    return sheets


def preview_now(job: Job) -> Job:
    """Preview a draft in this process (a small file, for the API's inline answer) and keep
    the preview on the job as its worker would."""
    try:
        result, report = preview(job)
    except LedgerError as error:
        job.result = {"preview_error": str(error)}
    except OSError:
        job.result = {"preview_error": GONE}
    else:
        job.result = {"preview": preview_data(result, report)}
        job.message = report.summary()
    job.save(update_fields=["result", "message"])
    return job


def start_preview(job: Job, overrides: Overrides | None = None) -> Job:
    """Queue the preview of an uploaded ledger (with `overrides`, else the job's own)."""
    from xuncha import tasks

    with transaction.atomic():
        fields: dict[str, Any] = {"status": J.TO_PREVIEW, "message": "排队等候预览",
                                  "result": {}, "done": 0, "total": 0, "error": ""}
        if overrides is not None:
            fields["overrides"] = overrides
        if not Job.objects.filter(pk=job.pk, status=J.DRAFT).update(**fields):
            raise JobError(_not_draft(job))
        queued = tasks.preview_ledger.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


def _not_draft(job: Job) -> str:
    status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    if status in (J.TO_PREVIEW, J.PREVIEWING):
        return "预览尚未完成，请稍候"
    return "该导入已确认过，不会重复导入"


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
            raise JobError(_not_draft(job))
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


def start_board_export(user: User, by: str, sort: str) -> Job:
    """Queue the overdue board's workbook (by unit or by leader) over what `user` sees."""
    from xuncha import tasks

    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.BOARD_EXPORT, status=J.QUEUED,
                                 created_by_id=user.pk, params={"by": by, "sort": sort},
                                 message="排队等候后台处理")
        queued = tasks.export_board.enqueue(job.pk)
        job.task_id = str(queued.id)
        job.save(update_fields=["task_id"])
    return job


def _round(job: Job) -> Round:
    """The round of a ledger job (every ledger job has one; the board's has none)."""
    if job.round is None:
        raise JobError("该任务不属于任何巡察轮次")
    return job.round


def download_name(job: Job) -> str:
    if job.kind == Job.Kind.BOARD_EXPORT:
        return f"逾期督办-{timezone.localtime(job.created_at):%Y%m%d}.xlsx"
    where = f"{_round(job).display_name}{job.unit.name if job.unit else ''}"
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
    exports = (Job.Kind.LEDGER_EXPORT, Job.Kind.BOARD_EXPORT)
    for job in Job.objects.filter(kind__in=exports, finished_at__lt=old):
        shutil.rmtree(job.folder, ignore_errors=True)


# --- running jobs (worker) ------------------------------------------------------------------


def claim(job_id: int, worker: str, *, waiting: str = J.QUEUED, working: str = J.RUNNING,
          message: str = "开始处理") -> bool:
    """Mark a waiting job as worked on by `worker`; False when another worker has it already.
    Jobs whose worker died are reaped first (see reap_stale)."""
    reap_stale()
    claimed = Job.objects.filter(pk=job_id, status=waiting).update(
        status=working, worker=worker[:64], started_at=timezone.now(), message=message)
    if claimed == 1:
        beat(Job(pk=job_id))
    return claimed == 1


def beat(job: Job) -> None:
    """Tell reap_stale the job's worker is alive (the heartbeat file's time). A file, not the
    row: an import on SQLite holds the only write lock until it commits."""
    job.folder.mkdir(parents=True, exist_ok=True)
    job.heartbeat_path.touch()


class Heartbeat:
    """A thread beating for the job while the block runs (reading a big workbook tells no
    progress for many seconds); it dies with the worker process, and the beats stop."""

    def __init__(self, job: Job, every: float | None = None) -> None:
        self.job = job
        self.every = HEARTBEAT_SECONDS if every is None else every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job.pk}",
                                       daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            with contextlib.suppress(OSError):
                beat(self.job)

    def __enter__(self) -> Heartbeat:
        with contextlib.suppress(OSError):
            beat(self.job)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


def last_beat(job: Job) -> datetime.datetime | None:
    """When the job's worker last said it was alive (else when it claimed the job)."""
    try:
        mtime = job.heartbeat_path.stat().st_mtime
    except OSError:
        return job.started_at
    return datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)


def is_stale(job: Job, now: datetime.datetime | None = None) -> bool:
    """A job in a worker's hands whose heartbeat stopped: its worker is gone."""
    from django.conf import settings

    if job.status not in (J.RUNNING, J.PREVIEWING):
        return False
    last = last_beat(job)
    limit = datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    return last is None or (now or timezone.now()) - last > limit


def reap_stale(job: Job | None = None) -> int:
    """Mark jobs whose worker died as failed (a preview: back to its mapping, with the
    message), so their pages stop waiting and the user can submit again. Only `job` if given,
    else every job in a worker's hands. Returns how many were reaped."""
    candidates = [job] if job is not None else list(
        Job.objects.filter(status__in=(J.RUNNING, J.PREVIEWING)))
    now = timezone.now()
    reaped = 0
    for stale in candidates:
        if not is_stale(stale, now):
            continue
        # Conditional: the same worker still has it (it did not finish meanwhile).
        same = Job.objects.filter(pk=stale.pk, status=stale.status, worker=stale.worker)
        if stale.status == J.PREVIEWING:
            changed = same.update(status=J.DRAFT, message=INTERRUPTED,
                                  result={"preview_error": INTERRUPTED})
        else:
            changed = same.update(status=J.FAILED, message=INTERRUPTED, error=INTERRUPTED,
                                  finished_at=now)
        if changed:
            logger.warning("job %s: worker %s stopped beating; marked %s", stale.pk,
                           stale.worker, "draft" if stale.status == J.PREVIEWING else "failed")
            with contextlib.suppress(OSError):
                stale.heartbeat_path.unlink()
            reaped += changed
    if job is not None and reaped:
        job.refresh_from_db()
    return reaped


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
    for name in ("progress", "heartbeat"):
        with contextlib.suppress(OSError):
            (job.folder / name).unlink()


def run_preview(job_id: int, worker: str) -> str:
    """Read an uploaded ledger and dry-run its import (a worker runs this); the job goes back
    to draft with the preview (or what makes the ledger unreadable) in its result."""
    if not claim(job_id, worker, waiting=J.TO_PREVIEW, working=J.PREVIEWING,
                 message="正在读取台账"):
        return "已由其他后台进程处理"
    job = Job.objects.select_related("round", "created_by").get(pk=job_id)
    outcome: dict[str, Any]
    try:
        with Heartbeat(job):
            data = job.upload_path.read_bytes()
            result = read_ledger(data, job.filename, overrides=job.overrides)
            _stage(job_id, "正在试导入（不写入）")
            report = import_ledger(job.created_by, _round(job), result, filename=job.filename,
                                   dry_run=True, progress=Progress(job))
    except Exception as error:  # shown on the preview page, which offers to reset the mapping
        outcome, message = {"preview_error": _explain(error)}, "预览失败"
        if not isinstance(error, LedgerError | FileNotFoundError):
            _end_preview(job, message, outcome)
            raise
    else:
        outcome, message = {"preview": preview_data(result, report)}, report.summary()
    _end_preview(job, message, outcome)
    return message


def _end_preview(job: Job, message: str, outcome: dict[str, Any]) -> None:
    Job.objects.filter(pk=job.pk, status=J.PREVIEWING).update(
        status=J.DRAFT, message=message, result=outcome, done=0, total=0)
    for name in ("progress", "heartbeat"):
        with contextlib.suppress(OSError):
            (job.folder / name).unlink()


def run_import(job_id: int, worker: str) -> str:
    """Import a confirmed ledger (a worker runs this). Returns the summary line."""
    if not claim(job_id, worker):
        return "已由其他后台进程处理"
    job = Job.objects.select_related("round", "created_by").get(pk=job_id)
    try:
        with Heartbeat(job):
            _stage(job_id, "正在读取台账")
            result = read_ledger(job.upload_path.read_bytes(), job.filename,
                                 overrides=job.overrides)
            _stage(job_id, "正在写入数据库")
            report = import_ledger(job.created_by, _round(job), result, filename=job.filename,
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

    def write() -> bytes:
        _stage(job_id, "正在生成台账")
        return export_round(_round(job), job.unit, progress=Progress(job))

    return _export(job, write)


def _export(job: Job, write: Callable[[], bytes]) -> str:
    """Run an export's `write` under the job's heartbeat, keep its workbook for download and
    finish the job (failed, with the reason, if `write` raises)."""
    try:
        with Heartbeat(job):
            data = write()
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


def run_board_export(job_id: int, worker: str) -> str:
    """Write the overdue board's workbook over the job's creator's scope (a worker runs this).

    The scope is the creator's as it is when the job runs, through the access module, like
    the board page itself."""
    from xuncha.workflow.deadlines import board, due_soon
    from xuncha.workflow.exports import board_xlsx
    from xuncha.workflow.models import today

    if not claim(job_id, worker):
        return "已由其他后台进程处理"
    job = Job.objects.select_related("created_by").get(pk=job_id)

    def write() -> bytes:
        user = job.created_by
        if user is None or not user.is_active:
            raise PermissionDenied("发起人的账号已停用")
        _stage(job_id, "正在统计")
        day = today()
        by = job.params.get("by", "unit")
        problems = access.problems_for(user)
        measures = Measure.objects.filter(problem__in=problems)
        with board_session(user):
            rows = board(measures, day, by=by, sort=job.params.get("sort", "overdue"),
                         problems=problems)
            detail = due_soon(measures, day).select_related("problem__unit").order_by(
                "problem__unit__name", "due_date", "id")
            _stage(job_id, "正在生成工作簿")
            return board_xlsx(rows, detail, day, by=by, progress=Progress(job),
                              total=sum(row.total for row in rows))

    return _export(job, write)


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
