"""The user's own in-app notifications (the daily reminder digests land here)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.workflow.models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(Notification.objects.filter(user=request.user)[:100])
    response = render(request, "web/notifications.html", {"notifications": notifications})
    # Shown is read: mark after rendering so the page still tells which ones were new.
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return response
