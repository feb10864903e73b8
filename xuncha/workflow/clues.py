"""The clue register's filters: handed-over clues by receiver and by status."""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.db.models import Q, QuerySet

from xuncha.workflow.models import ClueHandover


class ClueStatus(StrEnum):
    PENDING = "pending"  # no outcome yet, follow-up not yet due
    OVERDUE = "overdue"  # no outcome, follow-up date passed
    ANSWERED = "answered"  # outcome recorded

    @property
    def label(self) -> str:
        return {"pending": "待反馈", "overdue": "逾期未反馈", "answered": "已反馈"}[self.value]


def status_of(handover: ClueHandover, today: datetime.date) -> ClueStatus:
    if handover.outcome:
        return ClueStatus.ANSWERED
    return ClueStatus.OVERDUE if handover.follow_up_due < today else ClueStatus.PENDING


def filter_clues(
    handovers: QuerySet[ClueHandover], today: datetime.date, *,
    receiver: str | None = None, status: str | None = None,
) -> QuerySet[ClueHandover]:
    """``handovers`` (already scoped through access) narrowed by receiver and status codes.

    Unknown codes raise ValueError, so a caller can answer 400 rather than ignore them.
    """
    if receiver:
        handovers = handovers.filter(receiver=ClueHandover.Receiver(receiver))
    if status:
        handovers = handovers.filter({
            ClueStatus.PENDING: Q(outcome="", follow_up_due__gte=today),
            ClueStatus.OVERDUE: Q(outcome="", follow_up_due__lt=today),
            ClueStatus.ANSWERED: ~Q(outcome=""),
        }[ClueStatus(status)])
    return handovers
