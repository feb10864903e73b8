"""Ledger jobs run by a worker: the import writes once (one transaction, claimed once), a failed
one writes nothing but its error, and the export leaves a file to download."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from tests.jobs.ledger import LEADER_COLUMN, UNIT, leader_override, office_ledger, unit_problems
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem, Round
from xuncha.jobs import services
from xuncha.jobs.models import Job
from xuncha.workflow.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db: None) -> User:
    return create_user("office", Role.OFFICE).user  # type: ignore[return-value]


def _measures(round_: Round) -> list[Measure]:
    return list(Measure.objects.filter(problem__round=round_, problem__unit__name=UNIT)
                .order_by("problem__order", "order"))


def test_the_preview_maps_columns_and_a_correction_maps_the_unknown_one(
    seed_round: Round, office: User
) -> None:
    job = services.upload_ledger(office, seed_round, "东城镇台账.xlsx", office_ledger(seed_round))
    result, report = services.preview(job)
    [mapping] = result.mappings.values()
    assert {k: c.letter for k, c in mapping.columns.items()} == {
        "number": "A", "problem": "B", "measure": "C", "deadline": "E", "status": "F"}
    assert len(report.created) == 5 and not report.updated  # five new measures, nothing written
    assert not Measure.objects.filter(problem__round=seed_round).exists()

    assert any(f.column == LEADER_COLUMN and "未识别" in f.reason for f in report.findings)

    result, report = services.preview(job, leader_override())
    assert next(iter(result.mappings.values())).columns["leader"].letter == LEADER_COLUMN
    assert all(f.column != LEADER_COLUMN for f in report.findings)  # no longer "ignored"


def test_a_confirmed_import_runs_once_with_the_corrections_and_again_changes_nothing(
    seed_round: Round, office: User
) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job, leader_override())
    with pytest.raises(services.JobError):
        services.confirm_import(office, job)  # a second click queues nothing

    assert services.run_import(job.pk, "w1").startswith("台账.xlsx：")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.worker == "w1"
    assert job.result["created"] == 5 and (job.done, job.total) == (5, 5)  # measure rows
    assert job.finished_at is not None and not job.upload_path.exists()
    measures = _measures(seed_round)
    assert [m.leader for m in measures] == ["王书记", "王书记", "李镇长", "张副镇长", "张副镇长"]
    assert services.run_import(job.pk, "w2") == "已由其他后台进程处理"  # claimed once only
    assert len(_measures(seed_round)) == 5

    again = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, again, leader_override())
    services.run_import(again.pk, "w1")
    again.refresh_from_db()
    assert again.result["changed"] is False and "未作任何更改" in again.message
    assert again.result["unchanged"] == 7


def test_a_failing_import_writes_nothing_and_says_why(
    seed_round: Round, office: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job)
    events = Event.objects.count()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    # After the rows are inserted, before the history is appended: all of it must roll back.
    monkeypatch.setattr("xuncha.inspections.ledger.record_many", broken)
    with pytest.raises(RuntimeError):
        services.run_import(job.pk, "w1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "内部错误（RuntimeError），请联系系统管理员查看日志"
    assert not Measure.objects.filter(problem__round=seed_round).exists()
    assert Event.objects.count() == events
    assert not job.upload_path.exists()


def test_an_import_by_someone_no_longer_office_fails_in_chinese(
    seed_round: Round, office: User
) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job)
    office.profile.role, office.profile.body = Role.SUPERVISOR, "纪委监委"  # type: ignore[attr-defined]
    office.profile.save()  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="只有巡察办"):
        services.run_import(job.pk, "w1")
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "只有巡察办可以导入整改台账")


def test_an_export_job_leaves_the_workbook_for_download(seed_round: Round, office: User) -> None:
    unit = unit_problems(seed_round)[0].unit
    job = services.start_export(office, seed_round, unit)
    assert job.status == Job.Status.QUEUED and job.task_id
    services.run_export(job.pk, "w1")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress()["percent"] == 100
    book = load_workbook(io.BytesIO(job.output_path.read_bytes()), read_only=True)
    assert "木垒县东城镇党委" in str(list(book.worksheets[0].values)[:5])
    assert job.result["filename"] == f"{seed_round.display_name}{UNIT}整改台账.xlsx"
    assert Problem.objects.filter(round=seed_round).count() == 21
