"""Setting up a live round through the API: rounds, groups, units, problems, the register."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import PartyOrganisation, Problem, ProblemCategory, Round
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db

NEW_ROUND = {"committee": "昌吉州党委", "term": 12, "number": 6, "kinds": ["常规"],
             "inspection_start": "2026-03-01", "inspection_end": "2026-04-30"}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_a_round_from_nothing(api: Api, people: dict[str, Any], seed_round: Round) -> None:
    office = api("office")
    created = _ok(office.post("/api/rounds", NEW_ROUND, format="json"), 201)
    round_id = created["id"]
    assert created["name"] == "十二届昌吉州党委第六轮巡察"
    assert [k["label"] for k in created["kinds"]] == ["常规巡察"]
    assert created["inspection_end"] == "2026-04-30"

    create_user("wang", Role.GROUP, group="第一巡察组", full_name="王组长")
    create_user("li", Role.GROUP, group="第一巡察组")
    group = _ok(office.post(f"/api/rounds/{round_id}/groups",
                            {"name": "第一巡察组", "leader": "wang", "members": ["li"]},
                            format="json"), 201)
    assert (group["number"], group["leader"], group["leader_user"]) == (1, "王组长", "wang")
    assert group["members"] == ["wang", "li"]

    unit = _ok(office.post(f"/api/rounds/{round_id}/units",
                           {"unit": "木垒县东城镇党委", "group": group["id"],
                            "feedback_date": "2026-05-20"}, format="json"), 201)
    assert unit["unit_id"] == PartyOrganisation.objects.get(name="木垒县东城镇党委").pk
    assert unit["group"] == {"id": group["id"], "name": "第一巡察组"}
    new = _ok(office.post(f"/api/rounds/{round_id}/units",
                          {"unit": "木垒县雀仁乡党委", "region": "木垒县"}, format="json"), 201)
    region = PartyOrganisation.objects.get(pk=new["unit_id"]).region
    assert (region.name, region.parent.name) == ("雀仁乡", "木垒县")

    problems = _ok(office.post(
        f"/api/rounds/{round_id}/units/{unit['unit_id']}/problems",
        {"block": "一、学习不到位。\n二、三会一课不规范。"}, format="json"), 201)
    assert [(p["order"], p["text"]) for p in problems["items"]] == [
        (1, "学习不到位。"), (2, "三会一课不规范。")]
    one = _ok(office.post(f"/api/rounds/{round_id}/units/{unit['unit_id']}/problems",
                          {"text": "资金管理混乱", "immediate": True}, format="json"), 201)
    assert (one["items"][0]["order"], one["items"][0]["immediate"]) == (3, True)

    listing = _ok(api("wang").get(f"/api/rounds/{round_id}/units"))
    assert [u["name"] for u in listing["items"]] == ["木垒县东城镇党委"]
    assert listing["items"][0]["problem_count"] == 3
    assert _ok(api("wang").get(f"/api/problems?round={round_id}"))["count"] == 3


def test_a_duplicate_round_is_refused_with_the_field(api: Api, seed_round: Round) -> None:
    body = _ok(api("office").post("/api/rounds", NEW_ROUND | {"number": 5}, format="json"), 400)
    assert body == {"error": "昌吉州党委十二届第五轮巡察已存在，请检查届次和轮次",
                    "field": "number"}
    body = _ok(api("office").post("/api/rounds", NEW_ROUND | {"kinds": ["巡逻"]},
                                  format="json"), 400)
    assert body["field"] == "kinds" and "巡逻" in body["error"]
    body = _ok(api("office").post("/api/rounds", {"term": 12}, format="json"), 400)
    assert body["field"] == "committee"


def test_patch_changes_only_what_is_sent_and_records_it(api: Api, seed_round: Round) -> None:
    body = _ok(api("office").patch(f"/api/rounds/{seed_round.pk}",
                                   {"kinds": ["专项"], "special_subject": "乡村振兴"},
                                   format="json"))
    assert [k["label"] for k in body["kinds"]] == ["乡村振兴专项巡察"]
    assert body["inspection_start"] == "2023-08-29"
    event = Event.objects.get(action=Action.ROUND_EDITED)
    assert event.changes["kinds"][1] == "乡村振兴专项巡察"
    assert _ok(api("unit_a").patch(f"/api/rounds/{seed_round.pk}", {"title": "x"},
                                   format="json"), 403)["error"]


def test_rounds_are_paginated(api: Api, people: dict[str, Any], seed_round: Round) -> None:
    office = api("office")
    _ok(office.post("/api/rounds", NEW_ROUND, format="json"), 201)
    page = _ok(office.get("/api/rounds", {"page": 2, "page_size": 1}))
    assert (page["count"], page["page"], page["page_size"], len(page["items"])) == (2, 2, 1, 1)
    assert page["next"] is None and page["previous"].endswith("/api/rounds?page=1&page_size=1")
    first = _ok(office.get(page["previous"]))
    assert first["previous"] is None and first["next"].endswith("page=2&page_size=1")
    assert {first["items"][0]["id"], page["items"][0]["id"]} == set(
        Round.objects.values_list("pk", flat=True))
    assert _ok(office.get("/api/rounds", {"page_size": 0}), 400)["field"] == "page_size"


def test_unit_deadlines_override_the_rounds(
    api: Api, seed_round: Round, problem_a: Problem
) -> None:
    url = f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}"
    body = _ok(api("office").patch(url, {"plan_due_date": "2024-02-05",
                                         "rectification_due_date": "2024-04-05"},
                                   format="json"))
    assert body["effective_plan_due_date"] == "2024-02-05"
    body = _ok(api("office").patch(url, {"plan_due_date": None}, format="json"))
    assert body["plan_due_date"] is None and body["effective_plan_due_date"] is None


def test_a_block_preview_saves_nothing(api: Api, seed_round: Round, problem_a: Problem) -> None:
    ProblemCategory.objects.update_or_create(
        code="3", defaults={"name": "基层党组织建设", "keywords": "三会一课"})
    url = f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}/problems"
    body = _ok(api("group1").post(url, {"block": "1.三会一课不规范\n2.其他", "preview": True},
                                  format="json"))
    assert [(i["text"], i["category_name"]) for i in body["items"]] == [
        ("三会一课不规范", "基层党组织建设"), ("其他", None)]
    assert Problem.objects.filter(unit_id=problem_a.unit_id, round=seed_round).count() == 3
    assert _ok(api("office").post(url, {"text": "a", "block": "b"}, format="json"),
               400)["field"] == "text"
    assert _ok(api("unit_a").post(url, {"block": "1.a", "preview": True}, format="json"), 403)


def test_the_register_lists_searches_and_merges(
    api: Api, people: dict[str, Any], seed_round: Round
) -> None:
    office = api("office")
    listing = _ok(office.get("/api/units", {"q": "木垒", "page_size": 5}))
    assert [u["name"] for u in listing["items"]] == ["木垒县东城镇党委"]
    assert listing["items"][0]["region"]["path"] == "昌吉州 › 木垒县 › 东城镇"
    assert listing["items"][0]["inspection_count"] == 1
    assert _ok(api("unit_b").get("/api/units"))["count"] == 1
    spare = _ok(office.post("/api/units", {"name": "东城镇党委", "region": "木垒县东城镇"},
                            format="json"), 201)
    assert spare["region"]["name"] == "东城镇" and spare["form"] == "committee"
    a = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    b = PartyOrganisation.objects.get(name="奇台县七户乡党委")
    refused = _ok(office.post(f"/api/units/{a.pk}/merge", {"into": b.pk}, format="json"), 400)
    assert "不能合并" in refused["error"] and refused["field"] == "into"
    merged = _ok(office.post(f"/api/units/{spare['id']}/merge", {"into": a.pk}, format="json"))
    assert merged["id"] == a.pk
    renamed = _ok(office.patch(f"/api/units/{a.pk}", {"name": "木垒县东城镇委员会"},
                               format="json"))
    assert renamed["name"] == "木垒县东城镇委员会"
