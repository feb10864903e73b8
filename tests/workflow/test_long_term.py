"""长期坚持 is a request a reviewer confirms or returns, like a sign-off."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def _asking(people: dict[str, Any], problem: Problem) -> Measure:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem, MEASURE)
    services.submit_plan(unit, problem)
    services.decide_plan(office, problem, "approve")
    services.report_progress(unit, measure, content="常态化开展", status="long_term")
    measure.refresh_from_db()
    return measure


def test_a_unit_asks_and_the_office_confirms(people: dict[str, Any], problem_a: Problem) -> None:
    measure = _asking(people, problem_a)
    assert measure.status == "long_term_review"
    problem_a.refresh_from_db()
    assert problem_a.status == "long_term_review"
    asked = Event.objects.filter(measure=measure, action=Action.LONG_TERM_REQUESTED).get()
    assert asked.actor == people["unit_a"]
    assert asked.changes == {"status": ["not_started", "long_term_review"]}

    measure = services.review_measure(people["group1"], measure, "approve", "同意")
    assert measure.status == "long_term"
    problem_a.refresh_from_db()
    assert problem_a.status == "long_term"
    decided = Event.objects.filter(measure=measure).last()
    assert decided is not None and decided.action == Action.LONG_TERM_CONFIRMED
    assert not Event.objects.filter(action=Action.SIGNED_OFF).exists()
    assert list(verify_chain()) == []


def test_a_returned_request_goes_back_to_the_unit_with_the_reason(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure = _asking(people, problem_a)
    with pytest.raises(services.ServiceError, match="请填写意见"):
        services.review_measure(people["office"], measure, "return", "")
    measure = services.review_measure(people["office"], measure, "return", "应于年底前完成")
    assert measure.status == "returned"
    returned = Event.objects.filter(measure=measure).last()
    assert returned is not None and returned.action == Action.LONG_TERM_RETURNED
    assert returned.comment == "应于年底前完成"
    # The unit can report again, and ask again.
    services.report_progress(people["unit_a"], measure, content="再次申请", status="long_term")
    measure.refresh_from_db()
    assert measure.status == "long_term_review"


def test_no_progress_while_the_request_waits(people: dict[str, Any], problem_a: Problem) -> None:
    measure = _asking(people, problem_a)
    with pytest.raises(services.ServiceError, match="长期坚持待确认"):
        services.report_progress(people["unit_a"], measure, content="推进", status="in_progress")


def test_units_and_other_groups_cannot_confirm(people: dict[str, Any], problem_a: Problem) -> None:
    measure = _asking(people, problem_a)
    for name in ("unit_a", "group2", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.review_measure(people[name], measure, "approve")
    measure.refresh_from_db()
    assert measure.status == "long_term_review"


def test_the_requester_cannot_confirm_their_own_request(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure = _asking(people, problem_a)
    # Pretend the office itself asked (an office account acting for the unit).
    Event.objects.filter(action=Action.LONG_TERM_REQUESTED).update(actor=people["office"])
    with pytest.raises(PermissionDenied, match="不能确认自己申请的长期坚持"):
        services.review_measure(people["office"], measure, "approve")
    assert services.review_measure(people["office2"], measure, "approve").status == "long_term"


def test_a_confirmed_measure_reported_again_stays_long_term(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure = _asking(people, problem_a)
    services.review_measure(people["office"], measure, "approve")
    services.report_progress(people["unit_a"], measure, content="持续推进", status="long_term")
    measure.refresh_from_db()
    assert measure.status == "long_term"
    assert Event.objects.filter(action=Action.LONG_TERM_REQUESTED).count() == 1
