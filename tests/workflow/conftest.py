from __future__ import annotations

from typing import Any

import pytest

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.demo import _assign_groups
from xuncha.inspections.models import Measure, Problem, Round
from xuncha.workflow import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(seed_round: Round) -> dict[str, Any]:
    """office, group1 (inspected unit A), group2 (did not), unit_a, unit_b, supervisor."""
    _assign_groups(seed_round)
    specs = {
        "office": (Role.OFFICE, {}),
        "office2": (Role.OFFICE, {}),
        "group1": (Role.GROUP, {"group": "第一巡察组"}),
        "group2": (Role.GROUP, {"group": "第二巡察组"}),
        "unit_a": (Role.UNIT, {"unit": "木垒县东城镇党委"}),
        "unit_b": (Role.UNIT, {"unit": "奇台县七户乡党委"}),
        "supervisor": (Role.SUPERVISOR, {"body": "纪委监委"}),
    }
    return {
        name: create_user(name, role, **scope).user  # type: ignore[arg-type]
        for name, (role, scope) in specs.items()
    }


@pytest.fixture
def problem_a(seed_round: Round) -> Problem:
    return Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)


MEASURE = {
    "content": "制定村级后备干部培养计划",
    "leader": "张书记",
    "department": "镇党建办",
    "due_date": "2024-03-31",
    "standard": "每村储备后备干部不少于6名",
}


# --- audit: items taken through the cycle, to tamper with ---


@pytest.fixture
def signed_off(people: dict[str, Any], problem_a: Problem) -> Measure:
    """A measure taken through the whole cycle to 销号."""
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "approve")
    services.report_progress(unit, measure, content="全部完成", status="done",
                             files=[("签到表.pdf", PDF)])
    return services.review_measure(office, measure, "approve", "同意销号")


@pytest.fixture
def open_measure(people: dict[str, Any], problem_a: Problem) -> Measure:
    """A measure of an approved plan, still in progress."""
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "approve")
    services.report_progress(unit, measure, content="推进中", status="in_progress")
    measure.refresh_from_db()
    return measure
