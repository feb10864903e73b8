from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_measures(
    people: dict[str, Any], problem_a: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xuncha.web.views.board.today", lambda: datetime.date(2024, 3, 1))
    for due, leader in [
        ("2024-02-01", "张书记"),
        ("2024-03-05", "王镇长"),
        ("2024-09-01", "张书记"),
    ]:
        services.add_measure(
            people["unit_a"], problem_a, MEASURE | {"due_date": due, "leader": leader}
        )
    other = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    services.add_measure(
        people["unit_b"], other, MEASURE | {"due_date": "2024-01-10", "leader": "李乡长"}
    )


def test_the_board_lists_units_with_their_counts(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    html = as_("office").get(reverse("overdue-board")).content.decode()
    assert "已逾期 2 项，即将到期 1 项" in html
    assert html.index("奇台县七户乡党委") > 0 and html.index("木垒县东城镇党委") > 0


def test_a_group_sees_only_its_units(as_: Callable[[str], Client], due_measures: None) -> None:
    html = as_("group1").get(reverse("overdue-board")).content.decode()
    assert "木垒县东城镇党委" in html
    assert "奇台县七户乡党委" not in html


def test_the_board_by_leader_exports_to_xlsx(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    response = as_("office").get(reverse("overdue-board") + "?by=leader&sort=oldest&export=xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary = [row for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "责任领导"
    assert [row[0] for row in summary[1:]] == ["李乡长", "张书记", "王镇长"]
    assert summary[2][2] == 1  # 张书记: one overdue, the September one is not yet due soon
    detail = list(book["明细"].iter_rows(values_only=True))
    assert len(detail) == 1 + 3
