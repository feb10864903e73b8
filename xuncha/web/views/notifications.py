"""The user's own in-app notifications (the daily reminder digests land here)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.workflow.models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    # login_required has run: the user is a real account.
    mine = Notification.objects.filter(user=cast(User, request.user))
    notifications = list(mine[:100])
    response = render(request, "web/notifications.html", {"notifications": notifications})
    # Shown is read: mark after rendering so the page still tells which ones were new.
    mine.filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return response
