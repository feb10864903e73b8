"""The reminder digest summarises, and `xuncha remind` asks the database a fixed number of
times however many users and due items there are."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow.models import ClueHandover, Notification
from xuncha.workflow.reminders import URGENT_ITEMS

pytestmark = pytest.mark.django_db
TODAY = "2024-03-01"


def _due(problem: Problem, count: int, start: datetime.date) -> None:
    Measure.objects.bulk_create(
        Measure(problem=problem, order=i, content=f"第{i}项措施", leader="张书记",
                due_date=start + datetime.timedelta(days=i))
        for i in range(count)
    )


def _remind(day: str = TODAY) -> int:
    with CaptureQueriesContext(connection) as queries:
        call_command("remind", "--date", day, stdout=io.StringIO())
    return len(queries)


def test_a_digest_counts_per_unit_and_lists_only_the_most_urgent(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _due(problem_a, 15, datetime.date(2024, 2, 1))  # 15 overdue … due 2024-02-15
    other = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    _due(other, 2, datetime.date(2024, 3, 5))  # due soon
    _remind()
    office = Notification.objects.get(user=people["office"]).body
    assert "木垒县东城镇党委：已逾期15项" in office
    assert "奇台县七户乡党委：即将到期2项" in office
    listed = [line for line in office.splitlines() if line.startswith("[")]
    assert len(listed) == URGENT_ITEMS
    # The most overdue first: due 2024-02-01 is item 0.
    assert "第0项措施" in listed[0] and "2024-02-01" in listed[0]
    assert "共 17 项" in office and "/board/" in office
    unit_b = Notification.objects.get(user=people["unit_b"])
    assert "即将到期2项" in unit_b.subject and "已逾期" not in unit_b.subject
    assert "木垒县东城镇党委" not in unit_b.body  # only its own unit
    group2 = Notification.objects.get(user=people["group2"]).body  # inspected unit B only
    assert "奇台县七户乡党委" in group2 and "木垒县东城镇党委" not in group2


def test_supervisors_get_their_clues_not_measures(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _due(problem_a, 3, datetime.date(2024, 2, 1))
    ClueHandover.objects.create(
        problem=problem_a, receiver=ClueHandover.Receiver.DISCIPLINE,
        handed_over_on=datetime.date(2024, 1, 1), follow_up_due=datetime.date(2024, 3, 3),
    )
    _remind()
    note = Notification.objects.get(user=people["supervisor"])
    assert "[线索反馈]" in note.body and "第0项措施" not in note.body


def test_remind_queries_do_not_grow_with_users_or_items(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _due(problem_a, 3, datetime.date(2024, 2, 1))
    small = _remind("2024-03-01")
    for i in range(8):
        create_user(f"more{i}", Role.UNIT, unit="奇台县七户乡党委")
    for problem in Problem.objects.filter(round=problem_a.round)[:6]:
        _due(problem, 5, datetime.date(2024, 2, 10))
    large = _remind("2024-03-02")
    assert Notification.objects.filter(user__username__startswith="more").count() == 8
    assert large == small
