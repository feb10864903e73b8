"""A ledger written the way an office writes one, imported through the web in real Chromium:
upload, watch the preview job's progress page lead on to the preview, correct a column the
reader did not know (another preview job), confirm, and watch the progress bar while a REAL
django-tasks database worker (the loop `xuncha db_worker` runs) does the preview and the import
while the page polls."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from tests.browser.test_csp import refusals
from tests.jobs.ledger import LEADER_COLUMN, LEADER_HEADER, UNIT, office_ledger
from xuncha.inspections.models import Measure, Round
from xuncha.jobs.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_worker() -> None:
    """The loop `xuncha db_worker` runs, on the database backend, until the queue is empty.

    It runs in the test's thread: the browser tests' SQLite database lives in memory, shared
    with the live server through this thread's connection; a connection of another thread
    would see the tables locked.
    """
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="browser-test",
           excluded_queue_names=[]).run()


def _preview_job(page: Any, shot: Any, name: str | None) -> None:
    """The preview runs as a job: its progress page waits for the worker, then (polling)
    leads on to the preview page with the mapping selects."""
    page.wait_for_selector("#job-progress")
    assert page.inner_text("#job-status") == "排队等候预览"
    assert page.query_selector("#ledger-mapping") is None
    if name:
        shot(name)
    run_worker()
    page.wait_for_selector("#ledger-mapping", timeout=60_000)


def _upload_and_correct(page: Any, url: str, round_: Round, data: bytes, shot: Any,
                        step: str) -> None:
    page.goto(f"{url}/rounds/{round_.pk}/")
    page.click("#ledger-import")
    page.set_input_files("#ledger-upload input[type=file]", files=[
        {"name": "东城镇整改台账.xlsx", "mimeType": XLSX, "buffer": data}])
    page.click("#ledger-upload button[type=submit]")
    _preview_job(page, shot, f"{step}-preview-queued")
    select = f"select[name=map-0-{LEADER_COLUMN}]"
    row = page.locator("tr", has=page.locator(select))
    assert LEADER_HEADER in row.inner_text()
    assert page.eval_on_selector(select, "s => s.value") == ""  # the reader left it unmapped
    shot(f"{step}-preview")
    page.select_option(select, "leader")
    page.click("#re-preview")
    _preview_job(page, shot, None)
    assert page.eval_on_selector(select, "s => s.value") == "leader"
    shot(f"{step}-corrected")


def test_an_office_ledger_is_previewed_corrected_and_imported_in_the_background(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any,
) -> None:
    refused = refusals(page)  # the strict CSP holds: the bar's script is a static file
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".site-user")
    ledger = office_ledger(seed_round)

    _upload_and_correct(page, live_server.url, seed_round, ledger, shot, "1")
    assert page.inner_text("#count-created") == "5"
    assert page.inner_text("#count-unchanged") == "2"  # the two problems are the round's
    page.click("#commit")

    # The job waits for a worker; the page polls, and follows it once the worker is running.
    page.wait_for_selector("#job-progress")
    assert page.inner_text("#job-status") == "排队等候"
    assert page.get_attribute("#job-progress", "value") is None  # nothing done yet
    assert not Measure.objects.filter(problem__round=seed_round).exists()
    shot("2-queued")
    run_worker()
    page.wait_for_selector("#job-status:has-text('已完成')", timeout=60_000)
    assert page.get_attribute("#job-progress", "value") == "100"
    assert "新建5项" in page.inner_text("#job-message")
    shot("3-done")

    job = Job.objects.get(status=Job.Status.SUCCEEDED)
    assert job.worker and job.result["created"] == 5 and job.created_by == alice
    assert not job.upload_path.exists()  # the uploaded file is removed once imported
    measures = Measure.objects.filter(problem__round=seed_round, problem__unit__name=UNIT)
    assert sorted(measures.values_list("leader", flat=True)) == sorted(
        ["王书记", "王书记", "李镇长", "张副镇长", "张副镇长"])
    assert measures.get(content="每月开展专题研讨").status == "long_term_review"
    assert measures.get(content="制定年度理论学习计划").due_date.isoformat() == "2024-03-31"

    # The same ledger again: the job says nothing changed, and nothing does.
    _upload_and_correct(page, live_server.url, seed_round, ledger, shot, "4")
    assert page.inner_text("#count-created") == "0"
    page.click("#commit")
    page.wait_for_selector("#job-progress")
    run_worker()
    page.wait_for_selector("#job-status:has-text('已完成')", timeout=60_000)
    assert "未作任何更改" in page.inner_text("#job-message")
    shot("5-again")
    assert measures.count() == 5
    assert refused == []
