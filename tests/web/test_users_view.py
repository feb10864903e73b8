"""The office's user management page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from xuncha.accounts.models import Role
from xuncha.inspections.models import InspectionGroup, PartyOrganisation

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def test_the_office_lists_users_with_role_and_scope(as_: As) -> None:
    html = as_("office").get(reverse("user-list")).content.decode()
    for text in ["unit_a", "木垒县东城镇党委", "group1", "第一巡察组", "supervisor", "纪委监委"]:
        assert text in html, text
    assert "用户管理" in html  # the office's navigation links here


def test_a_new_unit_user_sees_its_password_once(as_: As) -> None:
    unit = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    response = as_("office").post(reverse("user-create"), {
        "username": "dongcheng2", "full_name": "东城镇 王", "role": "unit", "unit": unit.pk,
    })
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    user = get_user_model().objects.get(username="dongcheng2")
    assert (user.profile.role, user.profile.unit) == (Role.UNIT, unit)  # type: ignore[attr-defined]
    password = html.split('<code id="new-password">')[1].split("</code>")[0]
    assert user.check_password(password)
    assert "密码只显示这一次" in html
    again = as_("office").get(reverse("user-list")).content.decode()
    assert password not in again


def test_a_group_user_gets_the_chosen_group(as_: As) -> None:
    group = InspectionGroup.objects.get(name="第三巡察组")
    response = as_("office").post(reverse("user-create"), {
        "username": "group3", "role": "group", "group": group.pk,
    })
    assert response.status_code == 200
    profile = get_user_model().objects.get(username="group3").profile  # type: ignore[attr-defined]
    assert profile.group == group


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "x1", "role": "unit"}, "请选择被巡察单位"),
        ({"username": "x2", "role": "group"}, "请选择巡察组"),
        ({"username": "x3", "role": "supervisor"}, "请选择所属机关"),
        ({"username": "unit_a", "role": "office"}, "用户名“unit_a”已存在"),
        ({"username": "bad name", "role": "office"}, "用户名只能包含"),
        ({"username": "x4", "role": "admin"}, "角色的选项无效"),
        ({"username": "x5", "role": "unit", "unit": "99999"}, "选择一个有效的选项"),
    ],
    ids=["unit-without-unit", "group-without-group", "supervisor-without-body", "taken",
         "space", "no-such-role", "unit-out-of-scope"],
)
def test_bad_users_are_refused(as_: As, people: Any, data: dict[str, str], message: str) -> None:
    before = get_user_model().objects.count()
    response = as_("office").post(reverse("user-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_user_model().objects.count() == before


def test_only_the_office_manages_users(as_: As) -> None:
    for name in ["group1", "unit_a", "supervisor"]:
        assert as_(name).get(reverse("user-list")).status_code == 404, name
        assert as_(name).post(reverse("user-create"), {"username": "x", "role": "office"}
                              ).status_code == 404, name
        html = as_(name).get(reverse("round-list")).content.decode()
        assert "用户管理" not in html, name
