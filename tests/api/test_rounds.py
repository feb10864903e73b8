"""GET /api/rounds and /api/rounds/{id}: the round's facts, counted within the user's scope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import PDF, Api, approved_measure
from xuncha.inspections.models import Problem, Round
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


def _get(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_the_office_sees_the_whole_round(api: Api, seed_round: Round) -> None:
    listing = _get(api("office"), "/api/rounds")
    assert listing["count"] == 1
    [item] = listing["items"]
    assert item["id"] == seed_round.pk
    assert item["name"] == "十二届昌吉州党委第五轮巡察"
    assert item["committee"]["name"] == seed_round.committee.name
    assert (item["term"], item["number"]) == ("十二届", 5)
    assert [kind["label"] for kind in item["kinds"]] == ["常规巡察", "基层组织建设专项巡察"]
    assert item["inspection_start"] == "2023-08-29" and item["inspection_end"] == "2023-10-26"
    assert (item["unit_count"], item["problem_count"], item["signed_off_count"]) == (7, 21, 0)
    assert {"plan_due_date", "rectification_due_date", "feedback_display"} <= set(item)


def test_a_unit_sees_its_own_counts_only(api: Api, seed_round: Round) -> None:
    [item] = _get(api("unit_b"), "/api/rounds")["items"]
    assert (item["unit_count"], item["problem_count"]) == (1, 3)
    detail = _get(api("unit_b"), f"/api/rounds/{seed_round.pk}")
    assert [unit["name"] for unit in detail["units"]] == ["奇台县七户乡党委"]
    assert detail["units"][0]["problem_count"] == 3


def test_the_detail_lists_units_groups_and_sign_offs(
    api: Api, people: dict[str, Any], seed_round: Round, problem_a: Problem
) -> None:
    measure = approved_measure(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    services.review_measure(people["office"], measure, "approve")
    services.set_deadlines(people["office"], seed_round, plan_due_date="2024-01-31",
                           rectification_due_date="2024-03-31")
    detail = _get(api("office"), f"/api/rounds/{seed_round.pk}")
    assert detail["group_count"] == 7
    assert (detail["plan_due_date"], detail["rectification_due_date"]) == (
        "2024-01-31", "2024-03-31")
    assert len(detail["units"]) == 7
    unit_a = next(u for u in detail["units"] if u["name"] == "木垒县东城镇党委")
    assert unit_a["id"] == problem_a.unit_id
    assert unit_a["group"] == "第一巡察组"
    assert (unit_a["problem_count"], unit_a["signed_off_count"]) == (3, 1)
    assert detail["signed_off_count"] == 1 and detail["problem_count"] == 21


def test_a_user_without_a_role_sees_no_rounds(seed_round: Round) -> None:
    from django.contrib.auth import get_user_model

    from tests.api.conftest import bearer
    from xuncha.accounts.models import ApiToken

    user = get_user_model().objects.create_user("norole")
    client = bearer(ApiToken.issue(user))
    listing = _get(client, "/api/rounds")
    assert (listing["count"], listing["items"]) == (0, [])
    assert _get(client, "/api/problems")["count"] == 0
    assert client.get(f"/api/rounds/{seed_round.pk}").status_code == 404
