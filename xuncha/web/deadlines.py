"""How urgent a due date is: the colour levels the office supervises overdue work by.

Pure: the day and the thresholds come in as arguments (the thresholds are settings).
"""

from __future__ import annotations

import datetime
from enum import StrEnum


class Urgency(StrEnum):
    NONE = ""
    NOTICE = "notice"  # 提醒: within the notice period
    WARNING = "warning"  # 预警: within the warning period
    OVERDUE = "overdue"  # 逾期


def urgency(
    due: datetime.date | None, today: datetime.date, *, notice_days: int, warning_days: int
) -> Urgency:
    """The level for a measure due on ``due``; the due day itself still counts as in time."""
    if due is None:
        return Urgency.NONE
    days_left = (due - today).days
    if days_left < 0:
        return Urgency.OVERDUE
    if days_left <= warning_days:
        return Urgency.WARNING
    if days_left <= notice_days:
        return Urgency.NOTICE
    return Urgency.NONE


def describe(due: datetime.date, today: datetime.date) -> str:
    """"剩余 5 天", "今日到期", "逾期 3 天": the words next to the coloured date."""
    days_left = (due - today).days
    if days_left > 0:
        return f"剩余 {days_left} 天"
    if days_left == 0:
        return "今日到期"
    return f"逾期 {-days_left} 天"
