"""GET /api/todo, /api/clues, /api/notifications."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.api.conftest import MEASURE, Api
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem
from xuncha.workflow import services
from xuncha.workflow.models import Notification

pytestmark = pytest.mark.django_db


def test_todo_lists_items_by_kind_with_ids_and_titles(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE | {"due_date": "2099-01-01"})
    services.submit_plan(people["unit_a"], problem_a)
    body = api("group1").get("/api/todo").json()
    assert body["count"] == 1 and body["counts"]["plan_review"] == 1
    [item] = body["items"]
    assert item["kind"] == "plan_review" and item["problem_id"] == problem_a.pk
    assert item["title"].startswith("问题1：") and item["unit"] == "木垒县东城镇党委"
    services.decide_plan(people["office"], problem_a, "return", "请补充责任部门")
    [returned] = api("unit_a").get("/api/todo").json()["items"]
    assert returned["kind"] == "returned" and returned["reason"] == "请补充责任部门"
    assert api("unit_b").get("/api/todo").json() == {
        "count": 0, "counts": {"returned": 0, "overdue": 0, "due": 0, "common_requirement": 0},
        "items": []
    }


def test_clues_filter_by_receiver_and_status(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    services.hand_over_clue(people["office"], problem_a, receiver="discipline",
                            handed_over_on="2024-01-10")
    services.hand_over_clue(people["office"], problem_a, receiver="organisation",
                            follow_up_due=datetime.date(2099, 1, 1))
    client = api("supervisor")
    everything = client.get("/api/clues").json()
    assert everything["count"] == 2
    assert {(c["receiver"], c["status"], c["can_record_outcome"]) for c in everything["items"]} == {
        ("discipline", "overdue", True), ("organisation", "pending", False),
    }
    assert client.get("/api/clues?receiver=organisation").json()["count"] == 1
    assert client.get("/api/clues?status=answered").json()["count"] == 0
    bad = client.get("/api/clues?status=late")
    assert bad.status_code == 400 and bad.json()["field"] == "status"
    assert api("unit_a").get("/api/clues").status_code == 404


def test_notifications_are_the_callers_own_paginated_with_an_unread_filter(
    api: Api, people: dict[str, Any], problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    Notification.objects.create(user=people["office"], subject="旧通知", body="b",
                                created_at="2024-01-01T00:00Z", updated_at="2024-01-01T00:00Z",
                                read_at="2024-01-01T00:00Z")
    client = api("office")
    body = client.get("/api/notifications?page_size=1").json()
    assert body["count"] == 2 and body["unread"] == 1 and len(body["items"]) == 1
    assert body["items"][0]["kind"] == "plan_submitted"
    assert body["items"][0]["link"] == f"/problems/{problem_a.pk}/"
    unread = client.get("/api/notifications?unread=true").json()
    assert [n["subject"] for n in unread["items"]] == ["木垒县东城镇党委报送了1个整改方案，待审核"]
    assert client.get("/api/notifications?unread=false").json()["count"] == 1
    assert client.get("/api/notifications?unread=maybe").status_code == 400
    other = create_user("nobody", Role.OFFICE).user
    assert not Notification.objects.filter(user_id=other.pk).exists()
    assert api("unit_b").get("/api/notifications").json()["count"] == 0


def test_the_schema_lists_the_new_endpoints(api: Api) -> None:
    paths = api("office").get("/api/openapi.json").json()["paths"]
    for path in ("/api/todo", "/api/clues", "/api/notifications"):
        assert "get" in paths[path], path
