"""The range of values the system takes in, so an edge value is a clear refusal, never a crash.

Pure Python. Dates are computed with (deadlines plus days, reminders N days ahead): a date near
``datetime.date.max`` overflows there, and no inspection deadline lies centuries away.
"""

from __future__ import annotations

import datetime

#: The earliest and latest date any form, API body or command accepts.
EARLIEST_DATE = datetime.date(1950, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def date_out_of_range(day: datetime.date, label: str) -> str | None:
    """The Chinese refusal for ``day`` outside the accepted range, or None when it is inside."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return f"{label}须在 {EARLIEST_DATE.isoformat()} 至 {LATEST_DATE.isoformat()} 之间"
