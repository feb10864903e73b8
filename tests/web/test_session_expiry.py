"""A form sent after the session expired, and a form with a stale CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, Problem

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def _login(client: Client, username: str, password: str, next_url: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password,
                                          "next": next_url})


def test_an_expired_post_returns_to_the_form_page_after_login(
    people: dict[str, Any], problem_a: Problem
) -> None:
    create_user("clerk", Role.UNIT, unit="木垒县东城镇党委", password="clerk-pw-2026-x")
    page = reverse("problem-detail", args=[problem_a.pk])
    action = reverse("measure-add", args=[problem_a.pk])
    client = Client()  # the session is gone: the browser still shows the form
    response = client.post(action, MEASURE, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page}"
    login_page = client.get(response["Location"]).content.decode()
    assert "登录已过期，请重新登录" in login_page
    assert f'name="next" value="{page}"' in login_page

    back = _login(client, "clerk", "clerk-pw-2026-x", page)
    assert back.status_code == 302 and back["Location"] == page
    html = client.get(page).content.decode()
    assert "登录已过期，刚才提交的内容未保存，请重新提交" in html
    assert "登录已过期" not in client.get(page).content.decode()  # said once
    assert not Measure.objects.exists()


def test_without_a_referer_it_returns_to_the_landing_page(people: dict[str, Any],
                                                          problem_a: Problem) -> None:
    response = Client().post(reverse("plan-submit", args=[problem_a.pk]))
    landing = reverse("todo")
    assert response["Location"] == f"{reverse('login')}?next={landing}"


def test_a_referer_from_another_site_is_not_followed(problem_a: Problem) -> None:
    response = Client().post(reverse("plan-submit", args=[problem_a.pk]),
                             HTTP_REFERER="https://evil.example/phish")
    assert "evil" not in response["Location"]


def test_logging_out_is_not_taken_for_an_expired_session(as_: As) -> None:
    client = as_("unit_a")
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "登录已过期" not in client.get(reverse("login")).content.decode()


def test_opening_an_action_url_says_so_instead_of_a_blank_405(
    as_: As, problem_a: Problem
) -> None:
    page = reverse("problem-detail", args=[problem_a.pk])
    response = as_("unit_a").get(reverse("plan-submit", args=[problem_a.pk]),
                                 HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 405
    html = response.content.decode()
    assert "此地址只接受表单提交" in html and f'href="{page}"' in html


def test_a_stale_csrf_token_gets_a_chinese_page_with_a_way_back(
    people: dict[str, Any], problem_a: Problem
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["unit_a"])
    page = reverse("problem-detail", args=[problem_a.pk])
    response = client.post(reverse("measure-add", args=[problem_a.pk]), MEASURE,
                           HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期，提交未成功" in html and f'href="http://testserver{page}"' in html
    assert "CSRF" not in html
    assert not Measure.objects.exists()
