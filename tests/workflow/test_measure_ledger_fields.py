"""A measure's ledger fields through the services: 完成时限 precision, 长期坚持, 备注, 销号日期."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.history import verify_chain, verify_states
from xuncha.workflow.models import Action, Event, today

pytestmark = pytest.mark.django_db


def test_a_month_deadline_and_notes_are_kept_with_history(people: dict[str, Any],
                                                          problem_a: Problem) -> None:
    unit = people["unit_a"]
    measure = services.add_measure(unit, problem_a, {**MEASURE, "due_precision": "month",
                                                     "notes": "与组织部共同推进"})
    assert (measure.due_date, measure.due_precision, measure.notes) == (
        datetime.date(2024, 3, 31), "month", "与组织部共同推进")
    assert measure.deadline_display() == "2024年3月底"

    services.edit_measure(unit, measure, {**MEASURE, "due_date": "2024-12-31",
                                          "due_precision": "year", "notes": ""},
                          measure.version)
    measure.refresh_from_db()
    assert measure.deadline_display() == "2024年底"
    edited = Event.objects.get(measure=measure, action=Action.MEASURE_EDITED)
    assert edited.changes == {"due_date": ["2024-03-31", "2024-12-31"],
                              "due_precision": ["month", "year"],
                              "notes": ["与组织部共同推进", ""]}


def test_long_term_needs_no_date_but_others_do(people: dict[str, Any],
                                               problem_a: Problem) -> None:
    unit = people["unit_a"]
    measure = services.add_measure(unit, problem_a, {**MEASURE, "due_date": "",
                                                     "due_long_term": "on"})
    assert measure.due_date is None and measure.due_long_term
    assert measure.deadline_display() == "长期坚持"
    with pytest.raises(services.ServiceError) as error:
        services.add_measure(unit, problem_a, {**MEASURE, "due_date": ""})
    assert error.value.field == "due_date"
    with pytest.raises(services.ServiceError) as error:
        services.add_measure(unit, problem_a, {**MEASURE, "due_precision": "week"})
    assert error.value.field == "due_precision"


def test_sign_off_stores_its_day_in_the_measure_and_the_entry(signed_off: Measure) -> None:
    signed_off.refresh_from_db()
    assert signed_off.signed_off_on == today()
    entry = Event.objects.get(measure=signed_off, action=Action.SIGNED_OFF)
    assert entry.changes["signed_off_on"] == [None, today().isoformat()]
    assert timezone.localdate(entry.at) == signed_off.signed_off_on
    assert list(verify_chain()) == [] and verify_states() == []


def test_a_returned_request_has_no_sign_off_day(people: dict[str, Any],
                                                problem_a: Problem) -> None:
    from tests.workflow.conftest import PDF

    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "approve")
    services.report_progress(unit, measure, content="完成", status="done",
                             files=[("表.pdf", PDF)])
    measure = services.review_measure(office, measure, "return", "佐证不足")
    assert measure.signed_off_on is None
    entry = Event.objects.get(measure=measure, action=Action.REVIEW_RETURNED)
    assert "signed_off_on" not in entry.changes
