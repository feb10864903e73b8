from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.workflow.models import Notification

pytestmark = pytest.mark.django_db


def test_users_read_only_their_own_notifications_and_they_become_read(
    as_: Callable[[str], Client], people: dict[str, Any]
) -> None:
    Notification.objects.create(
        user=people["unit_a"], subject="巡察整改提醒：已逾期1项", body="<b>x</b>"
    )
    Notification.objects.create(user=people["unit_b"], subject="别人的提醒", body="y")
    client = as_("unit_a")
    assert "通知（1）" in client.get(reverse("round-list")).content.decode()
    html = client.get(reverse("notification-list")).content.decode()
    assert "巡察整改提醒：已逾期1项" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "别人的提醒" not in html
    assert not Notification.objects.filter(user=people["unit_a"], read_at__isnull=True).exists()
    assert "通知（1）" not in client.get(reverse("round-list")).content.decode()


def test_the_list_is_newest_first_paginated_and_links_to_each_item(
    as_: Callable[[str], Client], people: dict[str, Any], settings: Any
) -> None:
    import datetime

    from django.utils import timezone

    settings.PAGE_SIZE = 2
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(3):
        Notification.objects.create(
            user=people["unit_a"], subject=f"通知{n}", body="b", link=f"/problems/{n + 1}/",
            kind=Notification.Kind.PLAN_RETURNED, created_at=start,
            updated_at=start + datetime.timedelta(minutes=n),
        )
    client = as_("unit_a")
    first = client.get(reverse("notification-list")).content.decode()
    assert first.index("通知2") < first.index("通知1") and "通知0" not in first
    assert '<a href="/problems/3/">通知2</a>' in first and "整改方案被退回" in first
    # Only what was shown is marked read: the second page is still unread.
    assert Notification.objects.filter(user=people["unit_a"], read_at__isnull=True).count() == 1
    second = client.get(reverse("notification-list") + "?page=2").content.decode()
    assert "通知0" in second and "第 2 / 2 页" in second
    assert not Notification.objects.filter(user=people["unit_a"], read_at__isnull=True).exists()
