"""The office's user management services and everyone's own password change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xuncha.accounts import services
from xuncha.accounts.models import Profile, Role
from xuncha.inspections.models import InspectionGroup
from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import Action, Event
from xuncha.workflow.services import ServiceError

pytestmark = pytest.mark.django_db

UNIT_A = "木垒县东城镇党委"


def _events(action: Action) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("id"))


def _reload(user: Any) -> Any:
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


def test_the_office_adds_a_unit_user_with_a_password_shown_once(people: dict[str, Any]) -> None:
    new = services.add_user(people["office"], username="dc2", role="unit", unit=UNIT_A,
                            full_name="王五")
    assert new.generated_password and new.user.check_password(new.generated_password)
    assert new.user.profile.unit.name == UNIT_A  # type: ignore[attr-defined]
    [event] = _events(Action.USER_CREATED)
    assert event.comment == "用户：dc2"
    assert event.changes["scope"] == [None, UNIT_A]
    assert new.generated_password not in str(event.changes) + event.comment
    assert new.generated_password not in new.user.password  # only the hash is kept
    assert not list(verify_chain())


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"username": "x", "role": "unit"}, "unit", "须指定被巡察单位"),
        ({"username": "x", "role": "unit", "unit": "不存在镇党委"}, "unit",
         "没有名为“不存在镇党委”"),
        ({"username": "x", "role": "group", "group": "第九巡察组"}, "group",
         "没有名为“第九巡察组”"),
        ({"username": "x", "role": "supervisor"}, "body", "请选择所属机关"),
        ({"username": "x", "role": "supervisor", "body": "宣传部"}, "body", "“宣传部”无效"),
        ({"username": "x", "role": "admin"}, "role", "角色“admin”无效"),
        ({"username": "bad name", "role": "office"}, "username", "用户名只能包含"),
        ({"username": "unit_a", "role": "office"}, "username", "用户名“unit_a”已存在"),
    ],
)
def test_adding_a_user_refuses_what_cannot_be(
    people: dict[str, Any], kwargs: dict[str, Any], field: str, message: str
) -> None:
    before = get_user_model().objects.count()
    with pytest.raises(ServiceError) as caught:
        services.add_user(people["office"], **kwargs)
    assert caught.value.field == field
    assert message in caught.value.message
    assert get_user_model().objects.count() == before
    assert not Event.objects.exists()


def test_only_the_office_manages_users(people: dict[str, Any]) -> None:
    for name in ["group1", "unit_a", "supervisor"]:
        with pytest.raises(PermissionDenied, match="只有巡察办可以管理用户"):
            services.add_user(people[name], username="y", role="office")
        with pytest.raises(PermissionDenied):
            services.reset_password(people[name], people["unit_b"])
        with pytest.raises(PermissionDenied):
            services.set_user_active(people[name], people["unit_b"], False)


def test_deactivate_and_reactivate_are_recorded(people: dict[str, Any]) -> None:
    office, unit_a = people["office"], people["unit_a"]
    services.set_user_active(office, unit_a, False)
    assert not _reload(unit_a).is_active
    services.set_user_active(office, unit_a, False)  # already inactive: nothing to record
    services.set_user_active(office, unit_a, True)
    assert _reload(unit_a).is_active
    [off] = _events(Action.USER_DEACTIVATED)
    [on] = _events(Action.USER_REACTIVATED)
    assert off.changes == {"is_active": [True, False]} and off.comment == "用户：unit_a"
    assert on.changes == {"is_active": [False, True]}
    assert off.actor == office


def test_an_office_user_cannot_deactivate_itself(people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError, match="不能停用自己的账号"):
        services.set_user_active(people["office"], people["office"], False)
    assert _reload(people["office"]).is_active
    assert not Event.objects.exists()


def test_another_office_user_can_deactivate_an_office_user(people: dict[str, Any]) -> None:
    services.set_user_active(people["office2"], people["office"], False)
    assert not _reload(people["office"]).is_active


def test_changing_role_and_scope(people: dict[str, Any]) -> None:
    office, user = people["office"], people["unit_b"]
    group = InspectionGroup.objects.get(name="第一巡察组")
    profile = services.change_role(office, user, Role.GROUP, group=group.pk)
    assert (profile.role, profile.group, profile.unit) == (Role.GROUP, group, None)
    assert profile.committee == group.round.committee
    [event] = _events(Action.USER_ROLE_CHANGED)
    assert event.changes["role"] == ["被巡察单位", "巡察组"]
    assert event.changes["scope"][0] == "奇台县七户乡党委"
    profile = services.change_role(office, user, "纪委监委/组织部", body="组织部")
    assert (profile.role, profile.body, profile.group) == (Role.SUPERVISOR, "组织部", None)
    services.change_role(office, user, Role.SUPERVISOR, body="组织部")  # no change, no entry
    assert len(_events(Action.USER_ROLE_CHANGED)) == 2


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.UNIT, {"unit": 999999}, "没有名为“999999”的被巡察单位"),
        (Role.GROUP, {}, "须指定巡察组"),
        (Role.GROUP, {"group": 999999}, "没有编号为 999999 的巡察组"),
        (Role.SUPERVISOR, {"body": ""}, "请选择所属机关"),
    ],
)
def test_a_role_change_needs_an_existing_scope(
    people: dict[str, Any], role: Role, scope: dict[str, Any], message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        services.change_role(people["office"], people["unit_b"], role, **scope)
    assert Profile.objects.get(user=people["unit_b"]).role == Role.UNIT


def test_an_office_user_cannot_change_its_own_role(people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError, match="不能修改自己的角色"):
        services.change_role(people["office"], people["office"], Role.UNIT, unit=UNIT_A)


def test_reset_password_returns_a_new_one_once_and_stores_only_its_hash(
    people: dict[str, Any],
) -> None:
    user = people["unit_a"]
    password = services.reset_password(people["office"], user)
    stored = _reload(user)
    assert stored.check_password(password)
    assert password not in stored.password
    [event] = _events(Action.PASSWORD_RESET)
    assert password not in str(event.changes) + event.comment
    assert event.comment == "用户：unit_a"
    assert services.reset_password(people["office"], user) != password


def test_the_office_resets_its_own_password_on_the_password_page(people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError, match="修改密码"):
        services.reset_password(people["office"], people["office"])


def test_renaming_is_recorded(people: dict[str, Any]) -> None:
    services.rename_user(people["office"], people["unit_a"], "李四")
    assert _reload(people["unit_a"]).first_name == "李四"
    assert _events(Action.USER_EDITED)[0].changes == {"full_name": ["", "李四"]}


@pytest.mark.parametrize("name", ["office", "group1", "unit_a", "supervisor"])
def test_every_role_changes_its_own_password(people: dict[str, Any], name: str) -> None:
    user = people[name]
    user.set_password("Old-pass-2024!")
    user.save()
    services.change_own_password(user, old_password="Old-pass-2024!",
                                 new_password="Fresh-pass-2025!")
    assert _reload(user).check_password("Fresh-pass-2025!")
    [event] = _events(Action.PASSWORD_CHANGED)
    assert event.actor == user and "Fresh-pass" not in str(event.changes) + event.comment


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("wrong", "Fresh-pass-2025!", "old_password", "原密码不正确"),
        ("Old-pass-2024!", "Old-pass-2024!", "new_password", "不能与原密码相同"),
        ("Old-pass-2024!", "123", "new_password", "新密码不符合要求"),
        ("Old-pass-2024!", "", "new_password", "请填写新密码"),
    ],
)
def test_own_password_change_refusals(
    people: dict[str, Any], old: str, new: str, field: str, message: str
) -> None:
    user = people["unit_a"]
    user.set_password("Old-pass-2024!")
    user.save()
    with pytest.raises(ServiceError) as caught:
        services.change_own_password(user, old_password=old, new_password=new)
    assert (caught.value.field, message in caught.value.message) == (field, True)
    assert _reload(user).check_password("Old-pass-2024!")
    assert not Event.objects.exists()


def test_an_office_outside_the_committee_cannot_fetch_users(people: dict[str, Any]) -> None:
    from xuncha import access

    with pytest.raises(Http404):
        access.access_user(people["unit_a"], people["unit_b"].pk)
    assert access.access_user(people["office"], people["unit_b"].pk) == people["unit_b"]
