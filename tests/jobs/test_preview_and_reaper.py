"""The preview is a job (upload → to_preview → previewing → draft with the preview in its
result; a big file's bad sheets are told by its preview), and jobs whose worker died stop
'running': their heartbeat stops, and reap_stale marks them failed with one Chinese line."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import Workbook

from tests.jobs.ledger import LEADER_COLUMN, leader_override, office_ledger
from tests.ledgers import offices
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Round
from xuncha.jobs import services
from xuncha.jobs.models import Job

pytestmark = pytest.mark.django_db
J = Job.Status


@pytest.fixture
def office(db: None) -> User:
    return create_user("office", Role.OFFICE).user  # type: ignore[return-value]


def test_a_preview_job_ends_as_a_draft_holding_the_mapping_and_the_dry_run(
    seed_round: Round, office: User
) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    job = services.start_preview(job)
    assert job.status == J.TO_PREVIEW and job.working
    with pytest.raises(services.JobError, match="预览尚未完成"):
        services.confirm_import(office, job)

    assert services.run_preview(job.pk, "w1").endswith("（试运行，未写入）")
    assert services.run_preview(job.pk, "w2") == "已由其他后台进程处理"  # claimed once
    job.refresh_from_db()
    assert job.status == J.DRAFT and not job.working
    [sheet] = job.result["preview"]["sheets"]
    fields = {c["letter"]: c["field"] for c in sheet["columns"]}
    assert fields[LEADER_COLUMN] == "" and fields["C"] == "measure"
    assert job.result["preview"]["dry_run"]["created"] == 5
    assert not Measure.objects.filter(problem__round=seed_round).exists()
    assert not job.heartbeat_path.exists()

    services.start_preview(job, leader_override())
    services.run_preview(job.pk, "w1")
    job.refresh_from_db()
    [sheet] = job.result["preview"]["sheets"]
    assert {c["letter"]: c["field"] for c in sheet["columns"]}[LEADER_COLUMN] == "leader"


def test_a_big_file_is_checked_by_its_preview(seed_round: Round, office: User,
                                              settings) -> None:  # type: ignore[no-untyped-def]
    """Over the inline limit the upload only checks the package; formulas-only sheets are
    what the preview job then reports, and the draft keeps that line."""
    settings.LEDGER_INLINE_PREVIEW_BYTES = 10
    book = Workbook()
    book.active.append(["=A2", "=B2"])
    data = offices.save(book)
    with pytest.raises(services.LedgerError):
        services.upload_ledger(office, seed_round, "x.xlsx", b"not, a workbook")
    job = services.start_preview(services.upload_ledger(office, seed_round, "x.xlsx", data))
    services.run_preview(job.pk, "w1")
    job.refresh_from_db()
    assert job.status == J.DRAFT and "只有公式" in job.result["preview_error"]


def _running(office: User, round_: Round, status: str = J.RUNNING) -> Job:
    job = Job.objects.create(kind=Job.Kind.LEDGER_IMPORT, status=status, created_by=office,
                             round=round_, worker="w-dead", started_at=timezone.now())
    services.beat(job)
    return job


def _age(job: Job, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(job.heartbeat_path, (then, then))


def test_a_job_whose_worker_stopped_beating_is_marked_failed(
    seed_round: Round, office: User, settings  # type: ignore[no-untyped-def]
) -> None:
    settings.JOB_STALE_SECONDS = 60
    alive, dead = _running(office, seed_round), _running(office, seed_round)
    _age(alive, 10)
    _age(dead, 61)

    assert services.reap_stale() == 1
    alive.refresh_from_db()
    dead.refresh_from_db()
    assert alive.status == J.RUNNING
    assert (dead.status, dead.error) == (J.FAILED, services.INTERRUPTED)
    assert dead.message == "后台任务中断（处理进程已退出），请重新提交"
    assert dead.finished and dead.finished_at is not None
    assert services.reap_stale() == 0


def test_a_preview_whose_worker_died_goes_back_to_its_draft_with_the_message(
    seed_round: Round, office: User
) -> None:
    job = _running(office, seed_round, J.PREVIEWING)
    _age(job, 3600)
    assert services.reap_stale(job) == 1
    assert job.status == J.DRAFT and job.result == {"preview_error": services.INTERRUPTED}


def test_a_job_without_a_heartbeat_counts_from_its_start(seed_round: Round,
                                                         office: User) -> None:
    job = _running(office, seed_round)
    job.heartbeat_path.unlink()
    Job.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1))
    job.refresh_from_db()
    assert services.is_stale(job)


def test_the_heartbeat_thread_beats_while_the_work_runs(seed_round: Round,
                                                        office: User) -> None:
    job = _running(office, seed_round)
    _age(job, 3600)
    with services.Heartbeat(job, every=0.05) as heart:
        time.sleep(0.3)
        assert not services.is_stale(job)
        _age(job, 3600)
        time.sleep(0.3)
        assert not services.is_stale(job)  # beaten again meanwhile
    assert not heart.thread.is_alive()


def test_the_job_page_and_the_api_reap_the_job_they_show(
    seed_round: Round, office: User, client  # type: ignore[no-untyped-def]
) -> None:
    job = _running(office, seed_round)
    _age(job, 3600)
    client.force_login(office)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败" in page and services.INTERRUPTED in page
    other = _running(office, seed_round)
    _age(other, 3600)
    data = client.get(f"/api/jobs/{other.pk}").json()
    assert (data["status"], data["finished"]) == ("failed", True)


def test_a_worker_reaps_dead_jobs_before_it_claims_one(seed_round: Round,
                                                       office: User) -> None:
    dead = _running(office, seed_round)
    _age(dead, 3600)
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job)
    services.run_import(job.pk, "w1")
    dead.refresh_from_db()
    assert dead.status == J.FAILED
