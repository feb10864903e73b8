"""Every user changes their own password from the header's 修改密码 link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
OLD, NEW = "Old-pass-2024!", "Fresh-pass-2025!"


def _signed_in(name: str, people: dict[str, Any]) -> Client:
    user = people[name]
    user.set_password(OLD)
    user.save()
    client = Client()
    assert _login(client, name, OLD)
    return client


def _login(client: Client, name: str, password: str) -> bool:
    """Through the login page, as a person does (django-axes wants the request)."""
    response = client.post(reverse("login"), {"username": name, "password": password})
    return response.status_code == 302


@pytest.mark.parametrize("name", ["office", "group1", "unit_a", "supervisor"])
def test_each_role_changes_its_password_and_stays_signed_in(
    people: dict[str, Any], name: str
) -> None:
    client = _signed_in(name, people)
    assert "修改密码" in client.get(reverse("round-list")).content.decode()
    response = client.post(reverse("password-change"), {
        "old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert client.get(reverse("round-list")).status_code == 200  # this session goes on
    assert get_user_model().objects.get(username=name).check_password(NEW)
    assert _login(Client(), name, NEW)
    assert not _login(Client(), name, OLD)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "nope", "new_password1": NEW, "new_password2": NEW}, "原密码不正确"),
        ({"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"},
         "两次输入的新密码不一致"),
        ({"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"},
         "新密码不符合要求"),
        ({"old_password": OLD}, "请填写新密码"),
    ],
)
def test_refusals_are_in_chinese(people: dict[str, Any], data: dict[str, str],
                                 message: str) -> None:
    client = _signed_in("unit_a", people)
    response = client.post(reverse("password-change"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_user_model().objects.get(username="unit_a").check_password(OLD)
