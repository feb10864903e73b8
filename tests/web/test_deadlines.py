"""The due-date colour levels and the history's wording: pure functions, no database."""

from __future__ import annotations

import datetime

import pytest

from xuncha.web.deadlines import Urgency, describe, urgency
from xuncha.web.history import Change
from xuncha.web.history import describe as describe_changes

TODAY = datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [
        (30, Urgency.NONE),
        (21, Urgency.NONE),
        (20, Urgency.NOTICE),
        (11, Urgency.NOTICE),
        (10, Urgency.WARNING),
        (0, Urgency.WARNING),
        (-1, Urgency.OVERDUE),
        (-100, Urgency.OVERDUE),
    ],
)
def test_levels_follow_the_notice_and_warning_days(days_left: int, level: Urgency) -> None:
    due = TODAY + datetime.timedelta(days=days_left)
    assert urgency(due, TODAY, notice_days=20, warning_days=10) == level


def test_the_levels_are_settings_not_constants() -> None:
    due = TODAY + datetime.timedelta(days=15)
    assert urgency(due, TODAY, notice_days=20, warning_days=10) == Urgency.NOTICE
    assert urgency(due, TODAY, notice_days=30, warning_days=15) == Urgency.WARNING
    assert urgency(due, TODAY, notice_days=10, warning_days=5) == Urgency.NONE


def test_no_due_date_has_no_level() -> None:
    assert urgency(None, TODAY, notice_days=20, warning_days=10) == Urgency.NONE


def test_the_words_beside_the_date() -> None:
    assert describe(TODAY + datetime.timedelta(days=5), TODAY) == "剩余 5 天"
    assert describe(TODAY, TODAY) == "今日到期"
    assert describe(TODAY - datetime.timedelta(days=3), TODAY) == "逾期 3 天"


def test_history_changes_read_in_chinese() -> None:
    rows = describe_changes({
        "status": ["pending_review", "signed_off"],
        "plan_state": ["submitted", "returned"],
        "immediate": [None, True],
        "due_date": ["2024-03-31", "2024-04-30"],
        "receiver": [None, "discipline"],
        "mystery": [1, 2],
    })
    assert rows == [
        Change("状态", "已完成待验收", "已销号"),
        Change("整改方案", "已报送待审核", "已退回修改"),
        Change("立行立改", "", "是"),
        Change("完成时限", "2024-03-31", "2024-04-30"),
        Change("接收单位", "", "纪委监委"),
        Change("mystery", "1", "2"),
    ]
