"""Token authentication: tokens from `xuncha token USER`, everything else is a 401 in JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.api.conftest import bearer, token_for
from xuncha.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_from_the_command_signs_the_user_in(people: dict[str, Any]) -> None:
    token = token_for("unit_b")
    response = bearer(token).get("/api/problems")
    assert response.status_code == 200
    assert {item["unit"]["name"] for item in response.json()["items"]} == {"奇台县七户乡党委"}
    assert ApiToken.objects.get(key_hash=ApiToken.hash(token)).last_used_at is not None


def test_the_database_keeps_only_a_hash_of_the_token(people: dict[str, Any]) -> None:
    token = token_for("office")
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash(token)).exists()


def _unauthorised(response: Any, words: str) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["error"]
    assert response.json()["field"] is None


def test_no_token_is_a_401_that_says_how_to_get_one(people: dict[str, Any]) -> None:
    _unauthorised(APIClient().get("/api/rounds"), "xuncha token")


@pytest.mark.parametrize("header", [
    "Bearer not-a-real-token",
    "Bearer ",
    "Bearer two parts",
    "bearer " + "x" * 43,
])
def test_a_bad_token_is_a_401(people: dict[str, Any], header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/problems")
    assert response.status_code == 401
    assert response.json()["error"]


def test_a_token_that_is_not_bearer_is_no_credential(people: dict[str, Any]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('office')}")
    _unauthorised(client.get("/api/rounds"), "Bearer")


def test_a_deactivated_users_token_stops_working(people: dict[str, Any]) -> None:
    client = bearer(token_for("unit_a"))
    assert client.get("/api/rounds").status_code == 200
    get_user_model().objects.filter(username="unit_a").update(is_active=False)
    _unauthorised(client.get("/api/rounds"), "已停用")


def test_a_web_session_reads_but_cannot_write_without_csrf(
    people: dict[str, Any], problem_a: Any
) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["unit_a"])
    assert client.get(f"/api/problems/{problem_a.pk}").status_code == 200
    response = client.post(f"/api/problems/{problem_a.pk}/plan", {"action": "submit"},
                           format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
