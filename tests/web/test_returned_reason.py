"""A returned plan or measure shows the reviewer's reason where the unit works."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.models import Problem
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


def test_the_plan_reason_is_at_the_top_while_the_plan_is_returned(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "return", "措施<b>不具体</b>")
    url = reverse("problem-detail", args=[problem_a.pk])
    html = as_("unit_a").get(url).content.decode()
    top = html.index('id="plan-returned-reason"')
    assert top < html.index('id="measures"')
    assert "措施&lt;b&gt;不具体&lt;/b&gt;" in html
    services.submit_plan(people["unit_a"], problem_a)
    assert 'id="plan-returned-reason"' not in as_("unit_a").get(url).content.decode()


def test_a_returned_measure_shows_its_reason_on_its_block(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    services.review_measure(people["group1"], measure, "return", "签到表缺少日期")
    html = as_("unit_a").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    block = html[html.index(f'id="measure-{measure.pk}"'):]
    assert block.index(f'id="measure-returned-reason-{measure.pk}"') < block.index("整改进展")
    assert "签到表缺少日期" in block
