from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def test_a_clue_is_handed_over_with_a_three_month_follow_up(
    people: dict[str, Any], problem_a: Problem
) -> None:
    handover = services.hand_over_clue(
        people["office"], problem_a, receiver="discipline", handed_over_on="2024-01-31"
    )
    assert handover.follow_up_due == datetime.date(2024, 4, 30)
    with pytest.raises(PermissionDenied):
        services.record_clue_outcome(people["office"], handover, outcome="已立案")
    done = services.record_clue_outcome(people["supervisor"], handover, outcome="已立案审查 1 人")
    assert done.outcome_on is not None
    assert list(Event.objects.filter(problem=problem_a).values_list("action", flat=True)) == [
        Action.CLUE_HANDED_OVER, Action.CLUE_OUTCOME,
    ]


def test_an_unknown_receiver_is_refused(people: dict[str, Any], problem_a: Problem) -> None:
    with pytest.raises(services.ServiceError) as error:
        services.hand_over_clue(people["office"], problem_a, receiver="police")
    assert error.value.field == "receiver"


def test_deadlines_are_set_by_the_office_and_recorded(
    people: dict[str, Any], problem_a: Problem
) -> None:
    round_ = problem_a.round
    with pytest.raises(PermissionDenied):
        services.set_deadlines(people["unit_a"], round_, plan_due_date="2024-01-15",
                               rectification_due_date="2024-03-31")
    services.set_deadlines(people["office"], round_, plan_due_date="2024-01-15",
                           rectification_due_date="2024-03-31")
    round_.refresh_from_db()
    assert round_.rectification_due_date == datetime.date(2024, 3, 31)
    event = Event.objects.get(action=Action.DEADLINES_CHANGED)
    assert event.changes["plan_due_date"] == [None, "2024-01-15"]
    with pytest.raises(services.ServiceError, match="不能早于"):
        services.set_deadlines(people["office"], round_, plan_due_date="2024-05-01",
                               rectification_due_date="2024-03-31")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "2024-02-30"}, "due_date"),
        ({"due_date": "明年"}, "due_date"),
        ({"content": "  "}, "content"),
        ({"leader": "x" * 65}, "leader"),
    ],
)
def test_bad_measure_input_names_the_field_and_writes_nothing(
    people: dict[str, Any], problem_a: Problem, change: dict[str, str], field: str
) -> None:
    with pytest.raises(services.ServiceError) as error:
        services.add_measure(people["unit_a"], problem_a, MEASURE | change)
    assert error.value.field == field
    assert not Measure.objects.exists() and not Event.objects.exists()


def test_a_stale_edit_does_not_overwrite(people: dict[str, Any], problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.edit_measure(people["unit_a"], measure, MEASURE | {"leader": "王镇长"}, version=1)
    with pytest.raises(services.StaleEdit) as error:
        services.edit_measure(people["unit_a"], measure, MEASURE | {"leader": "赵"}, version=1)
    assert error.value.current.leader == "王镇长"
    measure.refresh_from_db()
    assert (measure.leader, measure.version) == ("王镇长", 2)


def test_the_requester_cannot_sign_off_their_own_item(
    people: dict[str, Any], problem_a: Problem
) -> None:
    from tests.workflow.conftest import PDF

    office = people["office"]
    # An office user who also reports for the unit is the edge case: give the office user's
    # request to the unit account, then let a second office user act on it.
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(office, problem_a, "approve")
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    Event.objects.filter(action=Action.SIGN_OFF_REQUESTED).update(actor=office)
    with pytest.raises(PermissionDenied, match="不能审核自己"):
        services.review_measure(office, measure, "approve")
    assert services.review_measure(people["office2"], measure, "approve").status == "signed_off"


def test_out_of_order_transitions_are_refused(people: dict[str, Any], problem_a: Problem) -> None:
    unit, office = people["unit_a"], people["office"]
    with pytest.raises(services.ServiceError, match="至少制定一项"):
        services.submit_plan(unit, problem_a)
    measure = services.add_measure(unit, problem_a, MEASURE)
    with pytest.raises(services.ServiceError, match="只有已报送的整改方案"):
        services.decide_plan(office, problem_a, "approve")
    services.submit_plan(unit, problem_a)
    with pytest.raises(services.ServiceError, match="批准后才能报告"):
        services.report_progress(unit, measure, content="x", status="in_progress")
    with pytest.raises(services.ServiceError, match="只有“已完成待验收”"):
        services.review_measure(office, measure, "approve")
    with pytest.raises(services.ServiceError, match="不能再增加措施"):
        services.add_measure(unit, problem_a, MEASURE)
    with pytest.raises(services.ServiceError, match="请填写意见"):
        services.decide_plan(office, problem_a, "return", "")
