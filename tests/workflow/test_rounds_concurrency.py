"""Two clerks recording a unit's problems at the same moment get consecutive, distinct 序号:
the inspection row is locked while the next number is taken.

PostgreSQL only: SQLite's IMMEDIATE transactions queue writers in production, but the test
suite's shared-cache in-memory database answers "table is locked" instead of waiting."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from xuncha.inspections.models import Inspection, Problem, Round
from xuncha.workflow import rounds

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_pastes_number_on_without_collisions(
    people: dict[str, Any], seed_round: Round
) -> None:
    inspection = Inspection.objects.get(round=seed_round, unit__name="木垒县东城镇党委")
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def paste(actor: Any, label: str) -> None:
        try:
            start.wait(timeout=10)
            rounds.add_problems(actor, inspection,
                                [rounds.NewProblem(f"{label}{n}") for n in range(5)])
        except BaseException as error:  # reported below, a thread cannot fail the test itself
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=paste, args=(people[name], name))
               for name in ("office", "group1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    orders = list(Problem.objects.filter(round=seed_round, unit=inspection.unit)
                  .order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, 14))
    # Each paste is one block: its five problems are numbered one after another.
    for name in ("office", "group1"):
        mine = list(Problem.objects.filter(round=seed_round, text__startswith=name)
                    .order_by("order").values_list("order", flat=True))
        assert mine == list(range(mine[0], mine[0] + 5))
