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
