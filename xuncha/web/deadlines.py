"""The words shown beside a coloured due date (the levels are ``xuncha.workflow.deadlines``)."""

from __future__ import annotations

import datetime


def describe(due: datetime.date, today: datetime.date) -> str:
    """"剩余 5 天", "今日到期", "逾期 3 天": the words next to the coloured date."""
    days_left = (due - today).days
    if days_left > 0:
        return f"剩余 {days_left} 天"
    if days_left == 0:
        return "今日到期"
    return f"逾期 {-days_left} 天"
