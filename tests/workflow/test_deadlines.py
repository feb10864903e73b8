from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.deadlines import Level, board, level
from xuncha.workflow.models import Notification

TODAY = datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (None, Level.OK),
        (TODAY + datetime.timedelta(days=21), Level.OK),
        (TODAY + datetime.timedelta(days=20), Level.NOTICE),
        (TODAY + datetime.timedelta(days=11), Level.NOTICE),
        (TODAY + datetime.timedelta(days=10), Level.WARNING),
        (TODAY, Level.WARNING),
        (TODAY - datetime.timedelta(days=1), Level.OVERDUE),
    ],
)
def test_levels_follow_the_default_thresholds(due: datetime.date | None, expected: Level) -> None:
    assert level(due, TODAY) == expected


def test_thresholds_are_settings(settings: Any) -> None:
    settings.DEADLINE_NOTICE_DAYS, settings.DEADLINE_WARNING_DAYS = 40, 30
    assert level(TODAY + datetime.timedelta(days=35), TODAY) == Level.NOTICE
    assert level(TODAY + datetime.timedelta(days=25), TODAY) == Level.WARNING


def _measures(people: dict[str, Any], problem: Problem, dues: list[str], leader: str) -> None:
    for due in dues:
        services.add_measure(
            people["unit_a"], problem, MEASURE | {"due_date": due, "leader": leader}
        )


@pytest.mark.django_db
def test_the_board_counts_per_unit_and_per_leader(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _measures(people, problem_a, ["2024-02-01", "2024-03-05", "2024-03-15", "2024-09-01"], "张书记")
    other = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    for due in ["2024-02-20"]:
        services.add_measure(
            people["unit_b"], other, MEASURE | {"due_date": due, "leader": "李乡长"}
        )
    rows = board(Measure.objects.all(), TODAY)
    assert [(r.key, r.overdue, r.warning, r.notice) for r in rows] == [
        ("木垒县东城镇党委", 1, 1, 1),
        ("奇台县七户乡党委", 1, 0, 0),
    ]
    by_leader = board(Measure.objects.all(), TODAY, by="leader", sort="oldest")
    assert [r.key for r in by_leader] == ["张书记", "李乡长"]
    assert by_leader[0].oldest_due == datetime.date(2024, 2, 1)


@pytest.mark.django_db
def test_remind_sends_one_digest_per_user_per_day(
    people: dict[str, Any], problem_a: Problem, django_capture_on_commit_callbacks: Any
) -> None:
    people["unit_a"].email = "dongcheng@example.com"
    people["unit_a"].save()
    _measures(people, problem_a, ["2024-02-01", "2024-03-05"], "张书记")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-03-01", stdout=out)
    unit_notes = Notification.objects.filter(user=people["unit_a"])
    assert unit_notes.count() == 1
    assert "已逾期1项" in unit_notes.get().subject and "即将到期1项" in unit_notes.get().subject
    # unit B has nothing due; office and group1 see unit A's measures.
    assert not Notification.objects.filter(user=people["unit_b"]).exists()
    assert Notification.objects.filter(user=people["office"]).count() == 1
    assert Notification.objects.filter(user=people["group1"]).count() == 1
    assert not Notification.objects.filter(user=people["group2"]).exists()
    assert [m.to for m in mail.outbox] == [["dongcheng@example.com"]]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-03-01", stdout=out)
    assert Notification.objects.filter(user=people["unit_a"]).count() == 1
    assert len(mail.outbox) == 1
    assert "未重复发送 4 份" in out.getvalue()

    call_command("remind", "--date", "2024-03-02", stdout=io.StringIO())
    assert Notification.objects.filter(user=people["unit_a"]).count() == 2


@pytest.mark.django_db
def test_signed_off_measures_are_not_reminded(people: dict[str, Any], problem_a: Problem) -> None:
    _measures(people, problem_a, ["2024-02-01"], "张书记")
    Measure.objects.update(status="signed_off")
    call_command("remind", "--date", "2024-03-01", stdout=io.StringIO())
    assert not Notification.objects.exists()
