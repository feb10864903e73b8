"""Raising a 共性问题 整改要求 (举一反三) from a group to every unit of a round."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem
from xuncha.similar.models import CommonRequirement
from xuncha.similar.queries import common_groups
from xuncha.similar.services import HEADING, raise_requirement
from xuncha.workflow import services
from xuncha.workflow.models import Action, Event
from xuncha.workflow.todo import TodoKind, todo_counts, todo_for

TEXT = "请各单位对照村级后备力量不足问题举一反三、自查自纠。"


def test_each_unit_gets_an_item_with_history_and_a_todo(seed_round: Any, alice: Any) -> None:
    before = Problem.objects.filter(round=seed_round).count()
    requirement = raise_requirement(alice, seed_round, TEXT, [1, 2], ["后备力量"])
    items = list(Problem.objects.filter(common_requirement_item__requirement=requirement))
    units = set(seed_round.inspections.values_list("unit_id", flat=True))
    assert {p.unit_id for p in items} == units and len(items) == 7
    assert Problem.objects.filter(round=seed_round).count() == before + 7
    for item in items:
        assert item.heading == HEADING and item.text == TEXT
        last = Problem.objects.filter(round=seed_round, unit=item.unit).order_by("-order")[0]
        assert last.pk == item.pk  # numbered on after the unit's own problems
        event = Event.objects.get(problem=item)
        assert event.action == Action.PROBLEM_CREATED and HEADING in event.comment
    unit_user = create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委").user
    today = datetime.date(2024, 1, 10)
    assert todo_counts(unit_user, today)[TodoKind.COMMON_REQUIREMENT] == 1
    [todo] = [t for t in todo_for(unit_user, today) if t.kind == TodoKind.COMMON_REQUIREMENT]
    mine = next(p for p in items if p.unit.name == "木垒县东城镇党委")
    assert todo.problem_id == mine.pk
    # Answered through the normal workflow: once the plan is submitted it leaves the list.
    services.add_measure(unit_user, mine, {
        "content": "开展后备力量专项排查", "leader": "张三", "department": "组织办",
        "due_date": datetime.date(2024, 6, 30),
    })
    services.submit_plan(unit_user, mine)
    assert todo_counts(unit_user, today)[TodoKind.COMMON_REQUIREMENT] == 0


def test_items_do_not_form_a_common_group_of_their_own(seed_round: Any, alice: Any) -> None:
    before = common_groups(seed_round, Problem.objects.all())
    raise_requirement(alice, seed_round, TEXT, [], [])
    assert common_groups(seed_round, Problem.objects.all()) == before


def test_only_the_office_raises_and_never_twice(seed_round: Any, alice: Any) -> None:
    unit_user = create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委").user
    with pytest.raises(PermissionDenied):
        raise_requirement(unit_user, seed_round, TEXT, [], [])
    raise_requirement(alice, seed_round, TEXT, [], [])
    with pytest.raises(services.ServiceError):
        raise_requirement(alice, seed_round, TEXT, [], [])
    with pytest.raises(services.ServiceError):
        raise_requirement(alice, seed_round, "  ", [], [])
    assert CommonRequirement.objects.count() == 1
