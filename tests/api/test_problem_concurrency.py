"""Twenty problems recorded for one unit at once, through the API, each on its own
connection: every request answers 201, all twenty are stored, with distinct 序号.

PostgreSQL only (see tests/workflow/test_rounds_concurrency.py for why not SQLite)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from tests.api.conftest import bearer, token_for
from xuncha.inspections.models import Inspection, Problem, Round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def test_twenty_problems_at_once_are_all_stored_in_order(
    people: dict[str, Any], seed_round: Round
) -> None:
    inspection = Inspection.objects.get(round=seed_round, unit__name="木垒县东城镇党委")
    before = Problem.objects.filter(round=seed_round, unit=inspection.unit).count()
    url = f"/api/rounds/{seed_round.pk}/units/{inspection.unit_id}/problems"
    tokens = [token_for("office" if n % 2 else "group1") for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def record(n: int) -> None:
        try:
            client = bearer(tokens[n])
            start.wait(timeout=30)
            response = client.post(url, {"text": f"并发录入的问题{n:02d}"}, format="json")
            statuses.append(response.status_code)
        except BaseException as error:  # reported below, a thread cannot fail the test itself
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert statuses == [201] * THREADS
    orders = list(Problem.objects.filter(round=seed_round, unit=inspection.unit)
                  .order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, before + THREADS + 1))
    assert Problem.objects.filter(text__startswith="并发录入的问题").count() == THREADS
