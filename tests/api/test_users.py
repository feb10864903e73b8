"""/api/users: the office lists, creates and changes accounts; passwords answered once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.api.conftest import Api
from xuncha.accounts.models import Role
from xuncha.inspections.models import InspectionGroup, PartyOrganisation
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db


def _stored(name: str) -> Any:
    return get_user_model().objects.select_related("profile").get(username=name)


def test_the_list_is_filtered_and_paginated(api: Api, people: dict[str, Any]) -> None:
    client = api("office")
    body = client.get("/api/users", {"role": "unit"}).json()
    assert body["count"] == 2
    assert {item["username"] for item in body["items"]} == {"unit_a", "unit_b"}
    unit_a = next(item for item in body["items"] if item["username"] == "unit_a")
    assert unit_a["role"] == "unit" and unit_a["scope"] == "木垒县东城镇党委"
    assert unit_a["unit"]["name"] == "木垒县东城镇党委" and unit_a["locked"] is False
    unit = PartyOrganisation.objects.get(name="奇台县七户乡党委")
    only_b = client.get("/api/users", {"unit": unit.pk}).json()
    assert [item["username"] for item in only_b["items"]] == ["unit_b"]
    page = client.get("/api/users", {"page_size": 3, "page": 2}).json()
    assert (page["count"], len(page["items"]), page["page"]) == (7, 3, 2)
    get_user_model().objects.filter(username="unit_b").update(is_active=False)
    inactive = client.get("/api/users", {"active": "false"}).json()
    assert [item["username"] for item in inactive["items"]] == ["unit_b"]


def test_bad_filters_are_explained(api: Api, people: dict[str, Any]) -> None:
    response = api("office").get("/api/users", {"role": "admin"})
    assert response.status_code == 400
    assert response.json()["field"] == "role" and "角色“admin”无效" in response.json()["error"]


def test_creating_a_user_answers_the_password_once(api: Api, people: dict[str, Any]) -> None:
    client = api("office")
    response = client.post("/api/users", {"username": "dc3", "role": "unit",
                                          "unit": "木垒县东城镇党委", "full_name": "孙八"},
                           format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "dc3" and body["full_name"] == "孙八"
    assert _stored("dc3").check_password(body["password"])
    listed = client.get("/api/users").content.decode()
    assert body["password"] not in listed
    assert Event.objects.filter(action=Action.USER_CREATED, comment="用户：dc3").exists()


def test_creating_a_group_user_by_group_id(api: Api, people: dict[str, Any]) -> None:
    group = InspectionGroup.objects.get(name="第二巡察组")
    response = api("office").post("/api/users", {"username": "g2b", "role": "group",
                                                 "group": group.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["group"] == {"id": group.pk, "name": "第二巡察组"}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"username": "x", "role": "unit"}, "unit", "须指定被巡察单位"),
        ({"username": "x", "role": "unit", "unit": True}, "unit", "须为编号（整数）或名称"),
        ({"username": "x", "role": "supervisor", "body": "宣传部"}, "body", "无效"),
        ({"username": "unit_a", "role": "office"}, "username", "已存在"),
        ({"role": "office"}, "username", "请填写用户名"),
    ],
)
def test_creating_refuses_with_the_field(
    api: Api, people: dict[str, Any], body: dict[str, Any], field: str, message: str
) -> None:
    before = get_user_model().objects.count()
    response = api("office").post("/api/users", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field and message in response.json()["error"]
    assert get_user_model().objects.count() == before


def test_patch_changes_role_name_and_state(api: Api, people: dict[str, Any]) -> None:
    client, target = api("office"), people["unit_b"]
    response = client.patch(f"/api/users/{target.pk}", {
        "role": "supervisor", "body": "纪委监委", "full_name": "周九", "is_active": False,
    }, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["role"], body["body"], body["full_name"], body["is_active"]) == (
        "supervisor", "纪委监委", "周九", False)
    assert body["password"] is None
    stored = _stored("unit_b")
    assert (stored.profile.role, stored.is_active) == (Role.SUPERVISOR, False)
    actions = set(Event.objects.values_list("action", flat=True))
    assert {Action.USER_ROLE_CHANGED, Action.USER_EDITED, Action.USER_DEACTIVATED} <= actions


def test_patch_resets_the_password_once(api: Api, people: dict[str, Any]) -> None:
    response = api("office").patch(f"/api/users/{people['unit_a'].pk}",
                                   {"reset_password": True}, format="json")
    password = response.json()["password"]
    assert password and _stored("unit_a").check_password(password)
    assert Event.objects.filter(action=Action.PASSWORD_RESET).count() == 1


def test_the_office_cannot_deactivate_itself_through_the_api(
    api: Api, people: dict[str, Any]
) -> None:
    response = api("office").patch(f"/api/users/{people['office'].pk}", {"is_active": False},
                                   format="json")
    assert response.status_code == 400
    assert response.json() == {"error": "不能停用自己的账号", "field": "is_active"}
    assert _stored("office").is_active


def test_others_are_told_only_the_office_manages_users(api: Api, people: dict[str, Any]) -> None:
    response = api("unit_a").get("/api/users")
    assert response.status_code == 403
    assert response.json()["error"] == "只有巡察办可以管理用户"


def test_the_schema_documents_the_users_endpoints(api: Api, people: dict[str, Any]) -> None:
    schema = api("unit_a").get("/api/openapi.json").json()
    assert set(schema["paths"]["/api/users"]) == {"get", "post"}
    assert set(schema["paths"]["/api/users/{user_id}"]) == {"patch"}
