"""整改成效 through the API: figures on a progress report, totals on round and unit detail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem, Round
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure_id(people: dict[str, Any], problem_a: Problem) -> int:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    return measure.pk


def test_progress_with_figures_and_the_totals(api, measure_id, problem_a, seed_round: Round):
    response = api("unit_a").post(f"/api/measures/{measure_id}/progress", {
        "content": "追回违规资金", "status": "in_progress", "disciplined": "1",
        "organisational": "2", "recovered": "3.5",
        "rules": ["东城镇三资管理办法,2024-03-01", "东城镇财务制度"]}, format="multipart")
    assert response.status_code == 201, response.json()
    figures = response.json()["figures"]
    assert figures["recovered"] == "3.50" and figures["organisational"] == 2
    assert figures["rules"] == [{"name": "东城镇三资管理办法", "adopted_on": "2024-03-01"},
                                {"name": "东城镇财务制度", "adopted_on": None}]
    unit = api("unit_a").get(f"/api/rounds/{seed_round.pk}/units/{problem_a.unit_id}").json()
    assert (unit["figures"]["rules"], unit["figures"]["accountable"]) == (2, 3)
    assert unit["figures"]["recovered"] == "3.50"
    whole = api("office").get(f"/api/rounds/{seed_round.pk}").json()["figures"]
    assert (whole["problems"], whole["rules"]) == (21, 2)
    # A unit user's round totals cover only what it may see.
    other = api("unit_b").get(f"/api/rounds/{seed_round.pk}").json()["figures"]
    assert other["rules"] == 0 and other["problems"] < 21


def test_bad_figures_are_refused_naming_the_field(api, measure_id) -> None:
    response = api("unit_a").post(f"/api/measures/{measure_id}/progress", {
        "content": "推进", "status": "in_progress", "recovered": "很多"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["field"] == "recovered" and "不是数字" in response.json()["error"]
