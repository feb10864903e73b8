"""Password spraying: many user names tried from one address.

django-axes locks a user name from an address after XUNCHA_LOGIN_FAILURE_LIMIT failures
(AXES_LOCKOUT_PARAMETERS). That alone lets one address try a few passwords on every account.
This handler adds a second rule: XUNCHA_LOGIN_IP_FAILURE_LIMIT failures from one address,
whatever the names, within the cool-off time lock that address out too. Both rules apply.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from xuncha.accounts import lockout


def address_failures(ip_address: str | None) -> int:
    """Failed logins from ``ip_address`` across all user names within the cool-off time."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    delta = lockout.cool_off()
    if delta is not None:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - delta)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SprayAwareHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes's database handler, with the per-address rule on top."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        if address_failures(ip_address) >= settings.LOGIN_IP_FAILURE_LIMIT:
            # Reported at the lock-out limit: axes then refuses this address for any name.
            return max(failures, get_failure_limit(request, credentials))
        return failures
