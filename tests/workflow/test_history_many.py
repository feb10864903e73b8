"""record_many: a batch of history events is the same chain record() would write."""

from __future__ import annotations

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

    batch = record_many(None, [
        {"action": Action.MEASURE_EDITED, "measure": measure, "changes": {"leader": ("", "王")}},
        {"action": Action.PROBLEM_EDITED, "problem": problem, "comment": "由整改台账导入"},
    ])

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
    assert record_many(None, []) == []
    assert Event.objects.count() == 4 + Event.objects.filter(id__lt=single.id).count()
