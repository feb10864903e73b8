"""record_many: a batch of history events is the same chain record() would write."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from xuncha.inspections.models import Measure, Problem, Round
from xuncha.workflow.history import keys as verify_keys
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


def test_bulk_payloads_are_the_models_own(seed_round: Round) -> None:
    """record_many writes each signed payload directly; it must be byte for byte what the
    stored event's ``signed_payload`` gives, or verification would fail — for awkward text,
    missing links, non-text values and fields given out of sorted order."""
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    measure = Measure.objects.create(problem=problem, content="措施")
    awkward = '引号"反斜杠\\换行\n制表\t\u2028 emoji 😀 ＡＢＣ'
    record_many(None, [
        {"action": Action.MEASURE_EDITED, "measure": measure, "comment": awkward,
         "changes": {"status": ("not_started", "in_progress"), "leader": (None, awkward),
                     "due_long_term": (False, True), "order": (1, 2),
                     "due_date": (datetime.date(2024, 1, 1), None), "category": (None, problem)}},
        {"action": Action.PROBLEM_EDITED, "round_id": seed_round.pk, "problem_id": problem.pk},
        {"action": Action.ROUND_EDITED, "round_id": seed_round.pk, "comment": "", "changes": {}},
    ])
    events = list(Event.objects.order_by("-id")[:3])[::-1]
    for event in events:
        assert event.hash == list(verify_keys().values())[-1].sign(event.signed_payload())
    assert events[0].comment == awkward
    if connection.vendor == "sqlite":  # PostgreSQL's jsonb keeps no key order
        # Shown in the order given, not the signed (sorted) order.
        assert list(events[0].changes) == ["status", "leader", "due_long_term", "order",
                                           "due_date", "category"]
    assert events[0].changes["category"] == [None, str(problem)]
    assert events[1].measure_id is None and events[1].changes == {}
    assert list(verify_chain()) == []
