"""The user's own in-app notifications: event news (grouped) and the daily reminder digests."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.workflow.models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    # login_required has run: the user is a real account.
    mine = Notification.objects.filter(user=cast(User, request.user)).order_by("-updated_at", "-id")
    page = Paginator(mine, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "web/notifications.html", {"page": page})
    # Shown is read: mark after rendering so the page still tells which ones were new.
    shown = [note.pk for note in page.object_list if note.read_at is None]
    Notification.objects.filter(pk__in=shown).update(read_at=timezone.now())
    return response
