"""Refusing actions by role in the web views (fetching goes through ``xuncha.access``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool, message: str) -> None:
    """Refuse (403 with ``message``) an action the user sees but may not take."""
    if not allowed:
        raise PermissionDenied(message)
