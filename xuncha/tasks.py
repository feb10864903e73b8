"""Every background task xuncha has, in one place (django-tasks; see docs/ledgers.md).

Tasks take a job id and nothing else: the ``xuncha.jobs.models.Job`` row holds who started the
job, on what, and how far it got, and is what the pages and the API show. The work itself is in
``xuncha.jobs.services``. `xuncha serve` starts the worker (`xuncha db_worker`) that runs them.
"""

from __future__ import annotations

from django_tasks import TaskContext, task

from xuncha.jobs import services


@task(takes_context=True)
def preview_ledger(context: TaskContext, job_id: int) -> str:
    """Read an uploaded 整改台账 and dry-run its import: the preview page's column mapping and
    what would be created, updated and left unchanged."""
    return services.run_preview(job_id, worker=str(context.task_result.id))


@task(takes_context=True)
def import_ledger(context: TaskContext, job_id: int) -> str:
    """Import an uploaded 整改台账 the office previewed and confirmed (one transaction)."""
    return services.run_import(job_id, worker=str(context.task_result.id))


@task(takes_context=True)
def export_board(context: TaskContext, job_id: int) -> str:
    """Write the overdue board (督办) workbook over the job's creator's scope."""
    return services.run_board_export(job_id, worker=str(context.task_result.id))


@task(takes_context=True)
def export_ledger(context: TaskContext, job_id: int) -> str:
    """Write a round's (or one unit's) 整改台账 workbook for download."""
    return services.run_export(job_id, worker=str(context.task_result.id))
