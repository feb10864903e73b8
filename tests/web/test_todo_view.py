"""The 待办 page: the landing page, per role, with counts in the header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem
from xuncha.workflow import services

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def test_home_and_login_land_on_the_todo_page(people: dict[str, Any], client: Client) -> None:
    from xuncha.accounts.models import Role
    from xuncha.accounts.services import create_user

    create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password="Zhenggai-2024-plan!")
    response = client.post(reverse("login"), {"username": "dongcheng",
                                              "password": "Zhenggai-2024-plan!"})
    assert response.status_code == 302 and response["Location"] == reverse("todo")
    assert client.get(reverse("home"))["Location"] == reverse("todo")
    html = client.get(reverse("todo")).content.decode()
    assert "<h1>待办</h1>" in html
    assert f'href="{reverse("round-list")}"' in html  # the rounds stay reachable


def test_a_reviewer_sees_submitted_plans_and_the_count_in_the_header(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    # Due far ahead: nothing overdue besides the plan waiting for review.
    services.add_measure(people["unit_a"], problem_a, MEASURE | {"due_date": "2099-12-31"})
    services.submit_plan(people["unit_a"], problem_a)
    html = as_("group1").get(reverse("todo")).content.decode()
    assert 'id="todo-plan_review"' in html
    assert f'href="{reverse("problem-detail", args=[problem_a.pk])}"' in html
    assert '待办 <span class="badge">1</span>' in html
    assert 'title="整改方案待审核 1"' in html
    other = as_("group2").get(reverse("todo")).content.decode()
    assert reverse("problem-detail", args=[problem_a.pk]) not in other
    assert '待办 <span class="badge">' not in other


def test_a_unit_sees_a_returned_plan_with_the_reason(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "return", "请把完成时限细化到月")
    html = as_("unit_a").get(reverse("todo")).content.decode()
    assert 'id="todo-returned"' in html and "请把完成时限细化到月" in html
    assert "请把完成时限细化到月" not in as_("unit_b").get(reverse("todo")).content.decode()


def test_the_supervisor_sees_only_clue_outcomes(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    services.hand_over_clue(people["office"], problem_a, receiver="discipline")
    html = as_("supervisor").get(reverse("todo")).content.decode()
    assert 'id="todo-clue_due"' in html and 'id="todo-plan_review"' not in html
    assert f'{reverse("problem-detail", args=[problem_a.pk])}#clues' in html
