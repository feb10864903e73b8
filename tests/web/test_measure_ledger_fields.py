"""The measure page and form with the ledger's fields: 完成时限 as written, 长期坚持, 备注."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def test_a_month_deadline_shows_as_written_with_notes(as_: As, problem_a: Problem) -> None:
    client = as_("unit_a")
    response = client.post(reverse("measure-add", args=[problem_a.pk]), {
        **MEASURE, "due_precision": "month", "notes": "与组织部共同推进"}, follow=True)
    html = response.content.decode()
    assert "2024年3月底" in html  # the deadline as written, not a made-up day
    assert "与组织部共同推进" in html
    measure = problem_a.measures.get()
    edit = client.get(reverse("measure-edit", args=[measure.pk])).content.decode()
    assert 'value="month" selected' in edit and "与组织部共同推进" in edit


def test_long_term_without_a_date(as_: As, problem_a: Problem) -> None:
    client = as_("unit_a")
    response = client.post(reverse("measure-add", args=[problem_a.pk]), {
        **MEASURE, "due_date": "", "due_long_term": "on"}, follow=True)
    assert response.status_code == 200
    measure = problem_a.measures.get()
    assert measure.due_date is None and measure.due_long_term
    assert "长期坚持" in response.content.decode()
    refused = client.post(reverse("measure-add", args=[problem_a.pk]), {**MEASURE, "due_date": ""})
    assert refused.status_code == 400 and "请填写完成时限" in refused.content.decode()
