"""The real django-tasks database worker runs the jobs; on PostgreSQL several workers at once
never import one ledger twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.jobs.ledger import UNIT, leader_override, office_ledger
from xuncha import tasks
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Round
from xuncha.jobs import services
from xuncha.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def worker(name: str) -> Worker:
    """The loop `xuncha db_worker` runs, until the queue is empty."""
    return Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id=name, excluded_queue_names=[])


@pytest.fixture
def office(db: None) -> User:
    return create_user("office", Role.OFFICE).user  # type: ignore[return-value]


def _measures(round_: Round) -> int:
    return Measure.objects.filter(problem__round=round_, problem__unit__name=UNIT).count()


def test_the_database_worker_runs_an_import_and_an_export(seed_round: Round, office: User) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job, leader_override())
    export = services.start_export(office, seed_round)

    worker("w1").run()

    job.refresh_from_db()
    export.refresh_from_db()
    assert (job.status, job.result["created"]) == (Job.Status.SUCCEEDED, 5)
    assert export.status == Job.Status.SUCCEEDED and export.output_path.stat().st_size > 5000
    assert _measures(seed_round) == 5
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL"}


def test_a_failed_task_is_recorded_by_the_worker_and_on_the_job(
    seed_round: Round, office: User
) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job)
    job.upload_path.unlink()  # the file went missing before the worker got to it
    worker("w1").run()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "上传的台账文件已不在服务器上，请重新上传"
    assert DBTaskResult.objects.get().status == "FAILED"
    assert _measures(seed_round) == 0


def _together(count: int, target: Callable[[int], None]) -> None:
    """Run `target(i)` in `count` threads released at once; each closes its connection."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            target(number)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


@pytest.mark.postgres
def test_racing_claims_give_a_job_to_exactly_one_worker(seed_round: Round, office: User) -> None:
    job = services.start_export(office, seed_round)
    won: list[int] = []
    _together(8, lambda n: won.append(n) if services.claim(job.pk, f"w{n}") else None)
    assert len(won) == 1
    job.refresh_from_db()
    assert job.worker == f"w{won[0]}"


@pytest.mark.postgres
def test_two_workers_never_import_one_ledger_twice(seed_round: Round, office: User) -> None:
    job = services.upload_ledger(office, seed_round, "台账.xlsx", office_ledger(seed_round))
    services.confirm_import(office, job, leader_override())
    for _ in range(3):  # the same job queued again, as a double submit or a retry would
        tasks.import_ledger.enqueue(job.pk)
    for _ in range(4):
        services.start_export(office, seed_round)

    _together(2, lambda n: worker(f"w{n}").run())

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 5
    assert _measures(seed_round) == 5
    results = list(DBTaskResult.objects.all())
    assert len(results) == 8 and {r.status for r in results} == {"SUCCESSFUL"}
    ran_import = [r for r in results if r.task_path.endswith("import_ledger")]
    assert sorted(r.return_value for r in ran_import).count("已由其他后台进程处理") == 3
    assert {w for r in results for w in r.worker_ids} == {"w0", "w1"}
