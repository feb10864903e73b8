"""Concurrent appends keep one chain and a head that counts them all.

What is under test is PostgreSQL's advisory lock around appends. SQLite serialises writers
itself (IMMEDIATE transactions on a file), but its in-memory test database refuses concurrent
writers outright instead of waiting, so there the same appends run one after another.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from xuncha.inspections.models import Problem, Round
from xuncha.workflow import services
from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import ChainHead, Event


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_chain(people: dict[str, Any], seed_round: Round) -> None:
    problems = list(Problem.objects.filter(round=seed_round).order_by("id")[:10])
    errors: list[BaseException] = []
    start = threading.Barrier(len(problems))  # all threads append at the same moment

    def add(problem: Problem) -> None:
        try:
            start.wait()
            services.edit_problem(people["office"], problem, {"immediate": True}, problem.version)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=add, args=(p,)) for p in problems]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for problem in problems:
            services.edit_problem(people["office"], problem, {"immediate": True}, problem.version)
    assert errors == []
    assert Event.objects.count() == len(problems)
    assert ChainHead.objects.get().count == len(problems)
    assert list(verify_chain()) == []
