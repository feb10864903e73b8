"""Login lock-outs (django-axes): who is locked out now, until when, and how long one lasts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone


def cool_off() -> datetime.timedelta | None:
    """How long a lock-out lasts (settings.AXES_COOLOFF_TIME); None: until an office unlocks it."""
    return get_cool_off()


def cool_off_label() -> str:
    """The lock-out's length in words: "15 分钟", "1 小时 30 分钟"."""
    delta = cool_off()
    if delta is None:
        return ""
    return duration_label(delta)


def duration_label(delta: datetime.timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))  # round up: "1 分钟", never "0 分钟"
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} 小时" if hours else "", f"{minutes} 分钟" if minutes else ""]
    return " ".join(part for part in parts if part)


def locked_until(usernames: Iterable[str]) -> dict[str, datetime.datetime | None]:
    """User name -> when its lock-out ends (None: until unlocked), for those locked out now.

    A lock-out is per user name and address; any address at the limit counts, since the person
    cannot tell one from the other.
    """
    names = list(usernames)
    if not names or not settings.AXES_ENABLED:
        return {}
    attempts = AccessAttempt.objects.filter(
        username__in=names, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    delta = cool_off()
    now = timezone.now()
    if delta is not None:
        attempts = attempts.filter(attempt_time__gt=now - delta)
    locked: dict[str, datetime.datetime | None] = {}
    for username, last in attempts.values_list("username", "attempt_time"):
        until = last + delta if delta is not None else None
        previous = locked.get(username, now)
        locked[username] = None if until is None or previous is None else max(until, previous)
    return locked


def unlock(username: str) -> int:
    """Forget the failed logins of ``username`` from every address; how many records went."""
    return reset(username=username)
