"""The words beside a due date and the history's wording: pure functions, no database."""

from __future__ import annotations

import datetime

from xuncha.web.deadlines import describe
from xuncha.web.history import Change
from xuncha.web.history import describe as describe_changes

TODAY = datetime.date(2024, 3, 1)


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
        Change("完成时限", "2024年3月31日", "2024年4月30日"),
        Change("接收单位", "", "纪委监委"),
        Change("mystery", "1", "2"),
    ]
