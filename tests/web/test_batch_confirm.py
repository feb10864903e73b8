"""Batch buttons ask before they act (data-confirm, handled by static/xuncha/form-aids.js)."""

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


def test_approve_all_asks_first_with_the_count(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    others = Problem.objects.filter(round=problem_a.round, unit=problem_a.unit).order_by("order")
    for problem in others[:2]:
        services.add_measure(people["unit_a"], problem, MEASURE)
        services.submit_plan(people["unit_a"], problem)
    url = reverse("unit-detail", args=[problem_a.round_id, problem_a.unit_id])
    html = as_("office").get(url).content.decode()
    assert 'id="plans-approve" data-confirm="确定批准全部 2 个已报送的整改方案？' in html
    unit = as_("unit_a").get(url).content.decode()
    assert 'id="plans-approve"' not in unit


def test_submit_all_asks_first(as_: As, people: dict[str, Any], problem_a: Problem) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    url = reverse("unit-detail", args=[problem_a.round_id, problem_a.unit_id])
    html = as_("unit_a").get(url).content.decode()
    assert 'id="plans-submit" data-confirm="确定报送全部' in html
