"""Password spraying: many user names from one address lock that address out, besides the
per-name rule; other addresses are not affected."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _try(client: Client, username: str, password: str = "Spring2024!") -> int:  # noqa: S107
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_many_names_from_one_address_lock_the_address(
    people: dict[str, Any], settings: Any
) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    user = people["unit_b"]
    user.set_password("Right-pass-2024!")
    user.save()
    sprayer = Client(REMOTE_ADDR="10.9.9.9")
    # One guess per name: the per-name rule (5 failures) never fires.
    statuses = [_try(sprayer, f"guess{n}") for n in range(6)]
    assert 429 not in statuses[:5]
    # The address is now locked out, even for a real user with the right password.
    response = sprayer.post(reverse("login"), {"username": "unit_b",
                                               "password": "Right-pass-2024!"})
    assert response.status_code == 429
    assert "分钟" in response.content.decode()
    # Another address logs in as usual.
    elsewhere = Client(REMOTE_ADDR="10.1.1.1")
    assert _try(elsewhere, "unit_b", "Right-pass-2024!") == 302


def test_the_per_name_rule_still_applies_below_the_address_limit(
    people: dict[str, Any], settings: Any
) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 100
    client = Client(REMOTE_ADDR="10.2.2.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "unit_a")
    assert _try(client, "unit_a") == 429
    assert _try(client, "someone_else") != 429
