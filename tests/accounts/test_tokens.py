"""API tokens: listed and revoked (page, office, command), expiring, refused for a deactivated
or locked-out user, all revoked by a password change or reset; bad tokens throttled per address."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.conftest import bearer, token_for
from xuncha.accounts import services
from xuncha.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _works(token: str) -> bool:
    return bearer(token).get("/api/rounds").status_code == 200


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_token_expires_after_the_configured_days(
    people: dict[str, Any], settings: Any
) -> None:
    settings.TOKEN_DAYS = 30
    token = token_for("unit_a")
    stored = ApiToken.objects.get(key_hash=ApiToken.hash(token))
    assert stored.expires_at is not None
    left = stored.expires_at - timezone.now()
    assert datetime.timedelta(days=29) < left <= datetime.timedelta(days=30)
    assert _works(token)
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now())
    response = bearer(token).get("/api/rounds")
    assert response.status_code == 401
    assert "已过期" in response.json()["error"]


def test_a_deactivated_users_token_stops_working(people: dict[str, Any]) -> None:
    token = token_for("unit_a")
    services.set_user_active(people["office"], people["unit_a"], False)
    response = bearer(token).get("/api/rounds")
    assert response.status_code == 401
    assert "停用" in response.json()["error"]


def test_a_locked_out_users_token_stops_working(people: dict[str, Any], settings: Any) -> None:
    token = token_for("unit_a")
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "unit_a", "password": "wrong"})
    response = bearer(token).get("/api/rounds")
    assert response.status_code == 401
    assert "锁定" in response.json()["error"]
    services.unlock_user(people["office"], people["unit_a"])
    assert _works(token)


def test_a_password_change_revokes_every_token(people: dict[str, Any]) -> None:
    user = people["unit_a"]
    user.set_password("old-Passw0rd!x")
    user.save()
    tokens = [token_for("unit_a"), token_for("unit_a")]
    services.change_own_password(user, old_password="old-Passw0rd!x",
                                 new_password="New-Passw0rd!y")
    assert not any(_works(token) for token in tokens)
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_a_password_reset_revokes_every_token(people: dict[str, Any]) -> None:
    token = token_for("unit_a")
    services.reset_password(people["office"], people["unit_a"])
    assert not _works(token)


def test_the_command_lists_and_revokes_all_of_a_users_tokens(people: dict[str, Any]) -> None:
    first, second = token_for("unit_a"), token_for("unit_a")
    other = token_for("unit_b")
    listing = StringIO()
    call_command("token", "unit_a", "--list", stdout=listing)
    lines = listing.getvalue().strip().splitlines()
    assert len(lines) == 2 and all("有效" in line for line in lines)
    assert first not in listing.getvalue()  # only a prefix of the hash, never the key
    out = StringIO()
    call_command("token", "unit_a", "--revoke", stdout=out)
    assert "2 个令牌" in out.getvalue()
    assert not _works(first) and not _works(second)
    assert _works(other)
    listing = StringIO()
    call_command("token", "unit_a", "--list", stdout=listing)
    assert listing.getvalue().count("已撤销") == 2


def test_the_owner_lists_and_revokes_one_token_on_their_page(people: dict[str, Any]) -> None:
    keep, drop = token_for("unit_a"), token_for("unit_a")
    client = _logged_in(people["unit_a"])
    page = client.get(reverse("own-tokens"))
    assert page.status_code == 200
    html = page.content.decode()
    dropped = ApiToken.objects.get(key_hash=ApiToken.hash(drop))
    assert dropped.prefix in html and drop not in html
    response = client.post(reverse("own-tokens"), {"token": dropped.pk})
    assert response.status_code == 302
    assert _works(keep) and not _works(drop)


def test_a_user_cannot_revoke_another_users_token_by_id(people: dict[str, Any]) -> None:
    other = token_for("unit_b")
    stored = ApiToken.objects.get(key_hash=ApiToken.hash(other))
    response = _logged_in(people["unit_a"]).post(reverse("own-tokens"), {"token": stored.pk})
    assert response.status_code == 400
    assert _works(other)


def test_the_office_revokes_a_users_tokens_from_the_user_row(people: dict[str, Any]) -> None:
    token = token_for("unit_b")
    office = _logged_in(people["office"])
    assert reverse("user-tokens", args=[people["unit_b"].pk]) in office.get(
        reverse("user-list")).content.decode()
    response = office.post(reverse("user-tokens", args=[people["unit_b"].pk]), {"token": "all"})
    assert response.status_code == 302
    assert not _works(token)


def test_others_cannot_open_a_users_token_page(people: dict[str, Any]) -> None:
    url = reverse("user-tokens", args=[people["unit_b"].pk])
    assert _logged_in(people["unit_a"]).get(url).status_code == 404
    assert _logged_in(people["unit_a"]).post(url, {"token": "all"}).status_code == 404


def test_repeated_bad_tokens_from_one_address_get_429(
    people: dict[str, Any], settings: Any
) -> None:
    settings.API_TOKEN_FAILURE_LIMIT = 3
    client = APIClient(REMOTE_ADDR="10.0.0.7")
    client.credentials(HTTP_AUTHORIZATION="Bearer guessed")
    statuses = [client.get("/api/rounds").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.get("/api/rounds")
    assert response.status_code == 429
    assert "过多" in response.json()["error"]
    # Even the right token waits out the window from that address; others are not affected.
    good = token_for("unit_a")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert client.get("/api/rounds").status_code == 429
    assert _works(good)
