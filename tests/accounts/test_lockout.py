"""Login lock-outs (django-axes) and the office lifting one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts import lockout, services
from xuncha.workflow.models import Action, Event
from xuncha.workflow.services import ServiceError

pytestmark = pytest.mark.django_db


def _fail_logins(settings: Any, username: str) -> Client:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong-guess"})
    return client


def test_repeated_failures_lock_out_and_the_page_says_for_how_long(
    people: dict[str, Any], settings: Any
) -> None:
    client = _fail_logins(settings, "unit_a")
    until = lockout.locked_until(["unit_a", "unit_b"])
    assert set(until) == {"unit_a"}
    remaining = until["unit_a"] - timezone.now()  # type: ignore[operator]
    assert datetime.timedelta(minutes=14) < remaining <= datetime.timedelta(minutes=15)
    response = client.post(reverse("login"), {"username": "unit_a", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "15 分钟" in html and "巡察办" in html and "解除锁定" in html


def test_the_office_unlocks_a_locked_out_user(people: dict[str, Any], settings: Any) -> None:
    user = people["unit_a"]
    user.set_password("Right-pass-2024!")
    user.save()
    client = _fail_logins(settings, "unit_a")
    services.unlock_user(people["office"], user)
    assert lockout.locked_until(["unit_a"]) == {}
    [event] = Event.objects.filter(action=Action.USER_UNLOCKED)
    assert event.comment == "用户：unit_a" and event.actor == people["office"]
    response = client.post(reverse("login"), {"username": "unit_a",
                                              "password": "Right-pass-2024!"})
    assert response.status_code == 302


def test_unlocking_a_user_who_is_not_locked_is_refused(people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError, match="当前没有被锁定"):
        services.unlock_user(people["office"], people["unit_a"])
    assert not Event.objects.exists()


def test_a_lockout_ends_after_the_cool_off(people: dict[str, Any], settings: Any) -> None:
    from axes.models import AccessAttempt

    _fail_logins(settings, "unit_a")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert lockout.locked_until(["unit_a"]) == {}


def test_duration_labels() -> None:
    assert lockout.duration_label(datetime.timedelta(minutes=15)) == "15 分钟"
    assert lockout.duration_label(datetime.timedelta(minutes=90)) == "1 小时 30 分钟"
    assert lockout.duration_label(datetime.timedelta(seconds=20)) == "1 分钟"
