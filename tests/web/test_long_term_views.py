"""长期坚持 on the problem page: the unit asks, a reviewer confirms or returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem, RectificationStatus

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


@pytest.fixture
def measure(people: dict[str, Any], problem_a: Problem) -> Measure:
    from xuncha.workflow import services

    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    return measure


def _ask(client: Client, measure: Measure) -> Any:
    key = f"progress-{measure.pk}"
    return client.post(reverse("progress-report", args=[measure.pk]),
                       {f"{key}-content": "常态化开展", f"{key}-status": "long_term"}, follow=True)


def test_the_unit_asks_and_sees_it_waits(as_: As, measure: Measure) -> None:
    html = _ask(as_("unit_a"), measure).content.decode()
    assert "长期坚持待巡察办或巡察组确认" in html
    assert 'class="status status-long_term_review"' in html and "长期坚持待确认" in html
    assert f'id="progress-{measure.pk}"' not in html  # nothing to report while it waits
    assert f'id="review-{measure.pk}"' not in html


def test_the_group_confirms_with_its_own_buttons(as_: As, measure: Measure) -> None:
    _ask(as_("unit_a"), measure)
    group = as_("group1")
    page = group.get(reverse("problem-detail", args=[measure.problem_id])).content.decode()
    assert "确认长期坚持</button>" in page and "退回申请</button>" in page
    key = f"review-{measure.pk}"
    html = group.post(reverse("measure-review", args=[measure.pk]),
                      {f"{key}-decision": "approve"}, follow=True).content.decode()
    assert "整改措施1已确认长期坚持" in html
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.LONG_TERM
    assert "申请长期坚持" in html and "确认长期坚持" in html  # both in the history


def test_a_returned_request_needs_a_reason(as_: As, measure: Measure) -> None:
    _ask(as_("unit_a"), measure)
    key = f"review-{measure.pk}"
    url = reverse("measure-review", args=[measure.pk])
    office = as_("office")
    assert office.post(url, {f"{key}-decision": "return"}).status_code == 400
    html = office.post(url, {f"{key}-decision": "return", f"{key}-comment": "年底前应完成"},
                       follow=True).content.decode()
    assert "整改措施1已退回整改" in html and "退回长期坚持申请" in html
    measure.refresh_from_db()
    assert measure.status == RectificationStatus.RETURNED
