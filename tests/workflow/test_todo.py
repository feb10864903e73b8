"""待办 per role (xuncha.workflow.todo): what waits for whom, with reasons, in few queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.factories import add_units
from tests.workflow.conftest import MEASURE, PDF
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import ClueHandover
from xuncha.workflow.todo import TodoKind, returned_reasons, todo_counts, todo_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 1)


def _kinds(user: Any) -> list[tuple[str, str]]:
    return [(item.kind.value, item.unit) for item in todo_for(user, TODAY)]


@pytest.fixture
def cycle(people: dict[str, Any], problem_a: Problem) -> dict[str, Any]:
    """Unit A: problem 1 submitted; problem 2 returned with a reason; problem 3 approved with
    one measure asking for sign-off, one returned, one overdue and one due soon.
    Unit B: one measure overdue. A clue of unit A for 纪委监委, one for 组织部."""
    unit_a, office = people["unit_a"], people["office"]
    p1, p2, p3 = Problem.objects.filter(round=problem_a.round, unit=problem_a.unit).order_by(
        "order"
    )[:3]
    services.add_measure(unit_a, p1, MEASURE)
    services.submit_plan(unit_a, p1)
    services.add_measure(unit_a, p2, MEASURE)
    services.submit_plan(unit_a, p2)
    services.decide_plan(office, p2, "return", "措施不具体，请细化到村")
    asks = services.add_measure(unit_a, p3, MEASURE | {"due_date": "2024-02-01"})
    back = services.add_measure(unit_a, p3, MEASURE | {"due_date": "2024-02-10"})
    late = services.add_measure(unit_a, p3, MEASURE | {"due_date": "2024-02-20"})
    soon = services.add_measure(unit_a, p3, MEASURE | {"due_date": "2024-03-08"})
    services.submit_plan(unit_a, p3)
    services.decide_plan(office, p3, "approve")
    for measure in (asks, back):
        services.report_progress(unit_a, measure, content="完成", status="done",
                                 files=[("a.pdf", PDF)])
    services.review_measure(office, back, "return", "佐证材料缺少签字")
    p_b = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    services.add_measure(people["unit_b"], p_b, MEASURE | {"due_date": "2024-01-31"})
    services.hand_over_clue(office, p1, receiver="discipline", handed_over_on="2024-01-10")
    services.hand_over_clue(office, p1, receiver="organisation", handed_over_on="2024-01-10")
    return {"p1": p1, "p2": p2, "p3": p3, "asks": asks, "back": back, "late": late,
            "soon": soon}


def test_a_unit_sees_what_was_returned_with_the_reason_and_what_is_due(
    people: dict[str, Any], cycle: dict[str, Any]
) -> None:
    items = todo_for(people["unit_a"], TODAY)
    returned = [i for i in items if i.kind == TodoKind.RETURNED]
    assert [(i.problem_id, i.measure_id, i.reason) for i in returned] == [
        (cycle["p2"].pk, None, "措施不具体，请细化到村"),
        (cycle["p3"].pk, cycle["back"].pk, "佐证材料缺少签字"),
    ]
    assert [i.measure_id for i in items if i.kind == TodoKind.OVERDUE] == [cycle["late"].pk]
    assert [i.measure_id for i in items if i.kind == TodoKind.DUE] == [cycle["soon"].pk]
    assert {i.kind for i in items} == {TodoKind.RETURNED, TodoKind.OVERDUE, TodoKind.DUE}
    assert todo_counts(people["unit_a"], TODAY) == {
        TodoKind.RETURNED: 2, TodoKind.OVERDUE: 1, TodoKind.DUE: 1,
        TodoKind.COMMON_REQUIREMENT: 0,
    }


def test_another_unit_sees_only_its_own(people: dict[str, Any], cycle: dict[str, Any]) -> None:
    assert _kinds(people["unit_b"]) == [("overdue", "奇台县七户乡党委")]


def test_reviewers_see_plans_and_sign_offs_of_their_scope(
    people: dict[str, Any], cycle: dict[str, Any]
) -> None:
    for reviewer in ("office", "group1"):
        items = todo_for(people[reviewer], TODAY)
        assert [i.problem_id for i in items if i.kind == TodoKind.PLAN_REVIEW] == [cycle["p1"].pk]
        assert [i.measure_id for i in items if i.kind == TodoKind.SIGN_OFF_REVIEW] == [
            cycle["asks"].pk
        ]
    office_overdue = {i.unit for i in todo_for(people["office"], TODAY)
                      if i.kind == TodoKind.OVERDUE}
    assert office_overdue == {"木垒县东城镇党委", "奇台县七户乡党委"}
    # 第二巡察组 inspected 奇台县七户乡 only: nothing of unit A.
    assert _kinds(people["group2"]) == [("overdue", "奇台县七户乡党委")]
    # late and back (returned, still open) of unit A, and unit B's.
    assert todo_counts(people["office"], TODAY)[TodoKind.OVERDUE] == 3


def test_a_supervisor_sees_the_clues_handed_to_its_own_body(
    people: dict[str, Any], cycle: dict[str, Any]
) -> None:
    items = todo_for(people["supervisor"], TODAY)  # 纪委监委
    assert [(i.kind, i.due) for i in items] == [(TodoKind.CLUE_DUE, datetime.date(2024, 4, 10))]
    organisation = create_user("zzb", Role.SUPERVISOR, body="组织部").user
    handover = ClueHandover.objects.get(receiver="organisation")
    assert [i.handover_id for i in todo_for(organisation, TODAY)] == [handover.pk]
    services.record_clue_outcome(organisation, handover, outcome="已约谈")
    assert todo_for(organisation, TODAY) == []


def test_a_user_without_a_role_has_nothing_to_do(db: None) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("norole", password="x")
    assert todo_for(user, TODAY) == [] and todo_counts(user, TODAY) == {}


def test_the_reason_shows_only_while_the_item_is_still_returned(
    people: dict[str, Any], cycle: dict[str, Any]
) -> None:
    for problem in (cycle["p2"], cycle["p3"]):
        problem.refresh_from_db()
    assert returned_reasons(cycle["p2"]) == ("措施不具体，请细化到村", {})
    assert returned_reasons(cycle["p3"]) == ("", {cycle["back"].pk: "佐证材料缺少签字"})
    services.submit_plan(people["unit_a"], cycle["p2"])
    cycle["p2"].refresh_from_db()
    assert returned_reasons(cycle["p2"]) == ("", {})
    services.report_progress(people["unit_a"], cycle["back"], content="补签字", status="done")
    assert returned_reasons(cycle["p3"]) == ("", {})


@pytest.mark.parametrize("role", ["office", "group1", "unit_a", "supervisor"])
def test_the_query_count_does_not_grow_with_the_data(
    people: dict[str, Any], cycle: dict[str, Any], role: str
) -> None:
    user = people[role]
    with CaptureQueriesContext(connection) as few:
        todo_for(user, TODAY)
        todo_counts(user, TODAY)
    _more_of_everything(people, cycle)
    with CaptureQueriesContext(connection) as many:
        items = todo_for(user, TODAY)
        todo_counts(user, TODAY)
    assert len(many) == len(few) <= 8
    if role != "supervisor":
        assert len(items) > 4


def _more_of_everything(people: dict[str, Any], cycle: dict[str, Any]) -> None:
    round_, unit = cycle["p1"].round, cycle["p1"].unit
    add_units(round_, 3)
    for order in (101, 102, 103):
        problem = Problem.objects.create(round=round_, unit=unit, order=order, text=f"问题{order}")
        services.add_measure(people["unit_a"], problem, MEASURE | {"due_date": "2024-02-25"})
        services.submit_plan(people["unit_a"], problem)
        services.decide_plan(people["office"], problem, "return", f"退回{order}")
    Measure.objects.filter(problem__unit=unit, due_date="2024-02-25").update(status="returned")
    for _ in range(3):
        services.hand_over_clue(people["office"], cycle["p1"], receiver="discipline")
