"""record_many: a batch of history events is the same chain record() would write."""

from __future__ import annotations

import datetime

import pytest

from xuncha.inspections.models import Measure, Problem, Round
from xuncha.workflow.history import record, record_many, verify_chain
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def test_a_batch_links_like_single_records(seed_round: Round) -> None:
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    measure = Measure.objects.create(problem=problem, content="措施")
    single = record(None, Action.MEASURE_ADDED, measure=measure,
                    changes={"content": (None, "措施")})

    count = record_many(None, [
        {"action": Action.MEASURE_EDITED, "measure": measure, "changes": {"leader": ("", "王")}},
        {"action": Action.PROBLEM_EDITED, "problem": problem, "comment": "由整改台账导入"},
    ])
    batch = list(Event.objects.filter(id__gt=single.id).order_by("id"))
    assert count == len(batch) == 2

    assert [e.prev_hash for e in batch] == [single.hash, batch[0].hash]
    assert (batch[0].round_id, batch[0].problem_id, batch[0].measure_id) == (
        single.round_id, single.problem_id, single.measure_id)
    assert (batch[1].round_id, batch[1].problem_id) == (seed_round.pk, problem.pk)
    assert batch[0].changes == {"leader": ["", "王"]}
    assert list(verify_chain()) == []
    # The batch moved the signed head: the next single entry links to the batch's last one.
    after = record(None, Action.PROBLEM_EDITED, problem=problem)
    assert after.prev_hash == batch[1].hash
    assert list(verify_chain()) == []
    assert record_many(None, []) == 0
    assert Event.objects.count() == 4 + Event.objects.filter(id__lt=single.id).count()


def test_a_batch_may_name_rows_by_id(seed_round: Round) -> None:
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    measure = Measure.objects.create(problem=problem, content="措施")

    record_many(None, [{"action": Action.MEASURE_ADDED, "measure_id": measure.pk,
                        "problem_id": problem.pk, "round_id": seed_round.pk,
                        "changes": {"due_date": (None, datetime.date(2024, 3, 31))}}])

    event = Event.objects.get(measure=measure)
    assert (event.round_id, event.problem_id, event.changes) == (
        seed_round.pk, problem.pk, {"due_date": [None, "2024-03-31"]})
    assert event.actor_name == "系统" and event.key_id
    assert list(verify_chain()) == []
