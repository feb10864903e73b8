from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.models import Problem
from xuncha.workflow import services
from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def test_the_whole_cycle_from_plan_to_sign_off(people: dict[str, Any], problem_a: Problem) -> None:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    problem = services.decide_plan(office, problem_a, "return", "请明确完成标准")
    assert problem.plan_state == "returned"
    services.submit_plan(unit, problem)
    assert services.decide_plan(office, problem, "approve").plan_state == "approved"

    services.report_progress(unit, measure, content="已完成第一批培训", status="in_progress")
    services.report_progress(unit, measure, content="全部完成", status="done",
                             files=[("培训签到表.pdf", PDF)])
    measure.refresh_from_db()
    assert measure.status == "pending_review"
    services.review_measure(office, measure, "return", "佐证不足")
    measure.refresh_from_db()
    assert measure.status == "returned"
    services.report_progress(unit, measure, content="补充材料", status="done",
                             files=[("补充.pdf", PDF + b"more")])
    measure = services.review_measure(office, measure, "approve", "同意销号")
    assert measure.status == "signed_off"
    problem.refresh_from_db()
    assert problem.status == "signed_off"
    actions = list(Event.objects.filter(problem=problem).values_list("action", flat=True))
    assert actions[0] == Action.MEASURE_ADDED
    assert actions[-1] == Action.SIGNED_OFF
    assert actions.count(Action.EVIDENCE_ADDED) == 2
    assert list(verify_chain()) == []


def test_done_without_evidence_is_refused(people: dict[str, Any], problem_a: Problem) -> None:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "approve")
    with pytest.raises(services.ServiceError, match="佐证材料") as error:
        services.report_progress(unit, measure, content="完成", status="done")
    assert error.value.field == "evidence"
    measure.refresh_from_db()
    assert measure.status == "not_started"
    assert not measure.progress.exists()


def test_other_units_and_groups_cannot_act(people: dict[str, Any], problem_a: Problem) -> None:
    with pytest.raises(PermissionDenied):
        services.add_measure(people["unit_b"], problem_a, MEASURE)
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    with pytest.raises(PermissionDenied):
        services.decide_plan(people["group2"], problem_a, "approve")
    assert services.decide_plan(people["group1"], problem_a, "approve").plan_state == "approved"


def test_a_broken_chain_is_reported(people: dict[str, Any], problem_a: Problem) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    Event.objects.filter(action=Action.PLAN_SUBMITTED).update(comment="tampered")
    breaks = list(verify_chain())
    assert len(breaks) == 1 and "被修改" in breaks[0].reason
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
