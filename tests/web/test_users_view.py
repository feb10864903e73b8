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
    from xuncha.workflow.models import Action, Event

    [event] = Event.objects.filter(action=Action.USER_CREATED)
    assert event.comment == "用户：dongcheng2" and password not in str(event.changes)
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


# --- per-user actions, filters, pages -------------------------------------------------------


def _user(name: str) -> Any:
    return get_user_model().objects.select_related("profile").get(username=name)


def test_the_list_is_filtered_by_role_and_paginated(
    as_: As, people: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 2
    client = as_("office")
    units = client.get(reverse("user-list"), {"role": "unit"}).content.decode()
    assert "unit_a" in units and "unit_b" in units and "group1" not in units
    first = client.get(reverse("user-list")).content.decode()
    assert "第 1 页，共" in first and "page=2" in first
    rows = first.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr id=") == 2
    last = client.get(reverse("user-list"), {"page": 4}).content.decode()  # 7 users, 2 a page
    assert last.split("<tbody>")[1].split("</tbody>")[0].count("<tr id=") == 1
    assert "上一页" in last and "下一页" not in last
    assert "page=2" not in units  # two unit users fit on one page


def test_deactivate_and_reactivate_from_the_list(as_: As, people: Any) -> None:
    client, target = as_("office"), people["unit_a"]
    response = client.post(reverse("user-active", args=[target.pk]),
                           {"active": "0", "next_query": "role=unit&evil=1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("user-list") + "?role=unit"
    assert not _user("unit_a").is_active
    assert as_("unit_a").get(reverse("round-list")).status_code == 302  # signed out
    html = client.get(reverse("user-list")).content.decode()
    assert "已停用用户“unit_a”" in html
    client.post(reverse("user-active", args=[target.pk]), {"active": "1"})
    assert _user("unit_a").is_active


def test_the_office_cannot_deactivate_itself(as_: As, people: Any) -> None:
    office = people["office"]
    response = as_("office").post(reverse("user-active", args=[office.pk]), {"active": "0"})
    assert response.status_code == 400
    assert "不能停用自己的账号" in response.content.decode()
    assert _user("office").is_active


def test_reset_password_shows_the_new_one_once(as_: As, people: Any) -> None:
    client, target = as_("office"), people["unit_b"]
    response = client.post(reverse("user-password-reset", args=[target.pk]), {"confirm": "1"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    password = html.split('<code id="new-password">')[1].split("</code>")[0]
    assert _user("unit_b").check_password(password)
    assert password not in client.get(reverse("user-list")).content.decode()


def test_changing_role_and_scope_on_the_edit_page(as_: As, people: Any) -> None:
    client, target = as_("office"), people["unit_b"]
    page = client.get(reverse("user-edit", args=[target.pk])).content.decode()
    assert "修改角色与范围：unit_b" in page
    response = client.post(reverse("user-edit", args=[target.pk]),
                           {"role": "supervisor", "body": "组织部", "full_name": "孙八"})
    assert response.status_code == 302
    profile = _user("unit_b").profile
    assert (profile.role, profile.body, profile.unit) == (Role.SUPERVISOR, "组织部", None)
    assert _user("unit_b").first_name == "孙八"


def test_the_edit_page_refuses_a_missing_scope_in_chinese(as_: As, people: Any) -> None:
    response = as_("office").post(reverse("user-edit", args=[people["unit_b"].pk]),
                                  {"role": "group"})
    assert response.status_code == 400
    assert "请选择巡察组" in response.content.decode()
    assert _user("unit_b").profile.role == Role.UNIT


def test_an_office_user_may_rename_but_not_demote_itself(as_: As, people: Any) -> None:
    client, office = as_("office"), people["office"]
    response = client.post(reverse("user-edit", args=[office.pk]),
                           {"role": "unit", "unit": PartyOrganisation.objects.get(
                               name="木垒县东城镇党委").pk})
    assert response.status_code == 400
    assert "不能修改自己的角色与范围" in response.content.decode()
    response = client.post(reverse("user-edit", args=[office.pk]),
                           {"role": "office", "full_name": "新名字"})
    assert response.status_code == 302
    assert _user("office").first_name == "新名字"


def test_a_locked_out_user_is_shown_with_time_left_and_unlocked(
    as_: As, people: Any, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "unit_a", "password": "wrong"})
    client = as_("office")
    html = client.get(reverse("user-list")).content.decode()
    row = html.split(f'id="user-{people["unit_a"].pk}"')[1].split("</tr>")[0]
    assert "已锁定（剩余 15 分钟）" in row and "解除锁定" in row
    other = html.split(f'id="user-{people["unit_b"].pk}"')[1].split("</tr>")[0]
    assert "解除锁定" not in other
    response = client.post(reverse("user-unlock", args=[people["unit_a"].pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert "已锁定" not in client.get(reverse("user-list")).content.decode()
    again = client.post(reverse("user-unlock", args=[people["unit_a"].pk]), {"confirm": "1"})
    assert again.status_code == 400 and "当前没有被锁定" in again.content.decode()


def test_users_outside_the_office_scope_are_not_found(as_: As, people: Any) -> None:
    from xuncha.accounts.services import create_user
    from xuncha.inspections.models import Committee

    other = Committee.objects.create(name="某某县委")
    stranger = create_user("stranger", Role.OFFICE, committee=other.name).user
    client = as_("office")
    assert client.get(reverse("user-edit", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("user-active", args=[stranger.pk]),
                       {"active": "0"}).status_code == 404
    assert "stranger" not in client.get(reverse("user-list")).content.decode()


# --- a province's units and groups: bounded pickers ---


def test_units_are_typed_by_name_when_too_many_to_list(
    as_: As, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xuncha.web.forms.PICKER_LIMIT", 2)
    office = as_("office")
    html = office.get(reverse("user-list")).content.decode()
    assert '<input type="text" name="unit"' in html and ">木垒县东城镇党委</option>" not in html
    created = office.post(reverse("user-create"), {
        "username": "qihu2", "role": "unit", "unit": " 奇台县七户乡党委 "})
    assert created.status_code == 200
    profile = get_user_model().objects.get(username="qihu2").profile  # type: ignore[attr-defined]
    assert profile.unit.name == "奇台县七户乡党委"
    refused = office.post(reverse("user-create"), {
        "username": "nobody", "role": "unit", "unit": "不存在的单位"})
    assert refused.status_code == 400
    assert "没有名为“不存在的单位”的被巡察单位" in refused.content.decode()
    edit = office.get(reverse("user-edit", args=[profile.user_id])).content.decode()
    assert 'value="奇台县七户乡党委"' in edit  # the edit page shows the name, not a number


def test_the_group_picker_lists_the_newest_groups_yet_accepts_any_in_scope(
    as_: As, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xuncha.web.forms.PICKER_LIMIT", 1)
    office = as_("office")
    html = office.get(reverse("user-list")).content.decode()
    listed = [group for group in InspectionGroup.objects.all() if f'value="{group.pk}"' in html]
    assert len(listed) == 1 and "列出最近的 1 个巡察组" in html
    other = InspectionGroup.objects.exclude(pk=listed[0].pk).first()
    assert other is not None
    response = office.post(reverse("user-create"), {
        "username": "older-group", "role": "group", "group": other.pk})
    assert response.status_code == 200
    account: Any = get_user_model().objects.get(username="older-group")
    assert account.profile.group == other
