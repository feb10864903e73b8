"""GET /api/problems (scoped, filtered, paginated) and GET /api/problems/{id}."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import MEASURE, PDF, Api, approved_measure
from tests.web.factories import add_units
from xuncha.inspections.models import Problem, ProblemCategory, Round
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


def _get(client: Any, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_each_user_lists_only_their_scope(api: Api, seed_round: Round) -> None:
    office = _get(api("office"), "/api/problems")
    assert office["count"] == 21
    unit_b = _get(api("unit_b"), "/api/problems")
    assert unit_b["count"] == 3
    assert {item["unit"]["name"] for item in unit_b["items"]} == {"奇台县七户乡党委"}
    other_group = _get(api("group2"), "/api/problems")
    assert {item["unit"]["name"] for item in other_group["items"]} == {"奇台县七户乡党委"}


def test_an_item_carries_the_contract_fields(api: Api, problem_a: Problem) -> None:
    [item] = _get(api("unit_a"), "/api/problems", q="人才振兴问题突出")["items"]
    assert item["id"] == problem_a.pk
    assert item["unit"] == {"id": problem_a.unit_id, "name": "木垒县东城镇党委"}
    assert item["round"] == problem_a.round_id
    assert item["status"] == "not_started" and item["plan_state"] == "draft"
    assert item["text"] == problem_a.text
    assert item["order"] == 1 and item["immediate"] is False
    assert "category" in item


def test_filters_narrow_the_list(
    api: Api, people: dict[str, Any], seed_round: Round, problem_a: Problem
) -> None:
    office = api("office")
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    pending = _get(office, "/api/problems", status="pending_review")
    assert [item["id"] for item in pending["items"]] == [problem_a.pk]
    approved = _get(office, "/api/problems", plan_state="approved")
    assert [item["id"] for item in approved["items"]] == [problem_a.pk]

    by_unit = _get(office, "/api/problems", unit=problem_a.unit_id, round=seed_round.pk)
    assert by_unit["count"] == 3
    assert _get(office, "/api/problems", round=seed_round.pk + 1000)["count"] == 0

    category = ProblemCategory.objects.get(name="民生与惠民政策")
    expected = Problem.objects.filter(category=category).count()
    assert expected > 0
    by_category = _get(office, "/api/problems", category=category.pk)
    assert by_category["count"] == expected
    assert {item["category"] for item in by_category["items"]} == {"民生与惠民政策"}

    # icontains: "aaa" finds "“一棵树”AAA级景区"
    [found] = _get(office, "/api/problems", q="aaa")["items"]
    assert "AAA级景区" in found["text"]
    assert _get(api("unit_a"), "/api/problems", q="aaa")["count"] == 0
    assert _get(office, "/api/problems", q="")["count"] == 21


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"status": "done"}, "status", "状态“done”无效，可选：not_started、"),
    ({"plan_state": "open"}, "plan_state", "整改方案状态“open”无效"),
    ({"round": "abc"}, "round", "轮次编号须为整数"),
    ({"unit": "1.5"}, "unit", "单位编号须为整数"),
    ({"category": "0"}, "category", "问题类别编号须为 1 到"),
    ({"page": "0"}, "page", "页码须为 1 到 1000000 之间的整数"),
    ({"page_size": "201"}, "page_size", "每页条数须为 1 到 200 之间的整数"),
    ({"q": "查" * 201}, "q", "关键词不能超过 200 字"),
])
def test_bad_filters_are_refused(
    api: Api, seed_round: Round, params: dict[str, str], field: str, words: str
) -> None:
    response = api("office").get("/api/problems", params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert words in response.json()["error"]


def test_pages_cover_the_list_once(api: Api, seed_round: Round) -> None:
    add_units(seed_round, 20)  # 60 more problems: 81 in all
    office = api("office")
    first = _get(office, "/api/problems")
    assert (first["count"], first["page"], first["page_size"]) == (81, 1, 50)
    second = _get(office, "/api/problems", page=2)
    assert len(first["items"]) == 50 and len(second["items"]) == 31
    assert _get(office, "/api/problems", page=3)["items"] == []
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(ids) == sorted(Problem.objects.values_list("pk", flat=True))
    assert len(_get(office, "/api/problems", page_size=200)["items"]) == 81
    small = _get(office, "/api/problems", page_size=7, page=2)
    assert [item["id"] for item in small["items"]] == ids[7:14]


def test_listing_does_not_query_per_row(
    api: Api, seed_round: Round, django_assert_max_num_queries: Any
) -> None:
    add_units(seed_round, 20)
    ProblemCategory.objects.get(name="其他").problems.add(*Problem.objects.all()[:40])
    office = api("office")
    office.get("/api/rounds")  # the token's first use is recorded: one write, once
    office.get("/api/problems")  # the list's total is counted once per data version
    with CaptureQueriesContext(connection) as few:
        assert len(_get(office, "/api/problems", page_size=2)["items"]) == 2
    # +1: the token's user is checked against login lock-outs.
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as many:
        assert len(_get(office, "/api/problems", page_size=200)["items"]) == 81
    assert len(many) == len(few)


def test_the_detail_has_measures_progress_evidence_and_history(
    api: Api, people: dict[str, Any], problem_a: Problem, django_assert_max_num_queries: Any
) -> None:
    services.add_measure(people["unit_a"], problem_a, {**MEASURE, "content": "第二项措施"})
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="推进", status="in_progress")
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("一.pdf", PDF), ("二.pdf", PDF + b"2")])
    client = api("supervisor")
    # +1 for the reports' rules (整改成效), +1 for the lock-out check of the token's user,
    # +1 for the data version (xuncha.pagecache) the token's first use moves, +1 for the
    # quality flags' dismissals (one query, whatever the problem holds), +1 for the band-key
    # lookup of ``related`` (屡查屡犯); none per report or measure.
    with django_assert_max_num_queries(13):
        detail = _get(client, f"/api/problems/{problem_a.pk}")
    assert detail["version"] > 1
    assert detail["published_rectification"] == problem_a.published_rectification
    first, second = detail["measures"]
    assert first["content"] == "第二项措施" and first["progress"] == []
    assert [p["text"] for p in second["progress"]] == ["推进", "完成"]
    assert [p["status"] for p in second["progress"]] == ["in_progress", "pending_review"]
    assert [e["name"] for e in second["evidence"]] == ["一.pdf", "二.pdf"]
    assert second["evidence"][0]["url"].endswith(f"/api/evidence/{second['evidence'][0]['id']}")
    assert second["evidence"][0]["size"] == len(PDF)
    assert set(second) >= {"id", "content", "leader", "department", "due_date", "standard",
                           "status", "version"}
    assert detail["history"][0]["action"] == "measure_added"
    assert detail["history"][0]["action_label"] == "新增整改措施"
    assert detail["history"][-1]["action"] == "sign_off_requested"
    assert {h["actor"] for h in detail["history"]} == {"unit_a", "office"}


def test_problem_detail_carries_quality_flags(api: Any, seed_round: Any) -> None:
    from xuncha.inspections.models import Problem

    problem = Problem.objects.get(round=seed_round, text__contains="郑家庄村")
    body = api("office").get(f"/api/problems/{problem.pk}").json()
    assert body["quality_flags"] == [
        {"code": "unaddressed", "reason": "整改情况未提及问题中的：郑家庄村、柳树庄村"}]
    clean = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    assert api("office").get(f"/api/problems/{clean.pk}").json()["quality_flags"] == []
