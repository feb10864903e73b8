"""Statistics on the database in use: counts, rates, scope, constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflow.conftest import MEASURE
from xuncha import access
from xuncha.inspections.models import Measure, Problem, RectificationStatus, Round
from xuncha.inspections.stats import committee_stats, round_stats

pytestmark = pytest.mark.django_db


def _set(problem: Problem, status: str) -> None:
    Problem.objects.filter(pk=problem.pk).update(status=status)


def test_round_counts_and_completion_rate(people: dict[str, Any], seed_round: Round) -> None:
    a1, a2, a3 = Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委")
    _set(a1, RectificationStatus.SIGNED_OFF)
    _set(a2, RectificationStatus.LONG_TERM)
    _set(a3, RectificationStatus.IN_PROGRESS)
    stats = round_stats(access.problems_for(people["office"]), seed_round)
    assert stats["totals"]["total"] == 21
    assert stats["totals"]["completion_rate"] == round(2 / 21, 4)
    assert stats["totals"]["signed_off_rate"] == round(1 / 21, 4)
    [unit_a] = [row for row in stats["unit"] if row["label"] == "木垒县东城镇党委"]
    assert unit_a["total"] == 3
    assert unit_a["statuses"]["signed_off"] == unit_a["statuses"]["long_term"] == 1
    assert unit_a["completion_rate"] == round(2 / 3, 4)
    assert sum(row["total"] for row in stats["unit"]) == 21
    assert sum(row["total"] for row in stats["county"]) == 21
    assert sum(row["total"] for row in stats["group"]) == 21
    assert sum(row["total"] for row in stats["category"]) == 21
    assert {row["label"] for row in stats["county"]} >= {"木垒县", "奇台县"}
    assert {row["label"] for row in stats["group"]} >= {"第一巡察组"}


def test_leaders_are_counted_over_measures(people: dict[str, Any], problem_a: Problem) -> None:
    from xuncha.workflow import services

    services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.add_measure(people["unit_a"], problem_a, MEASURE | {"leader": "李镇长"})
    stats = round_stats(access.problems_for(people["office"]), problem_a.round)
    assert {(row["label"], row["total"]) for row in stats["leader"]} == {("张书记", 1),
                                                                          ("李镇长", 1)}


def test_a_unit_sees_only_its_own_figures(people: dict[str, Any], seed_round: Round) -> None:
    stats = round_stats(access.problems_for(people["unit_a"]), seed_round)
    assert [row["label"] for row in stats["unit"]] == ["木垒县东城镇党委"]
    assert stats["totals"]["total"] == 3
    mine = committee_stats(access.problems_for(people["unit_a"]),
                           access.rounds_for(people["unit_a"]))
    assert mine["totals"]["total"] == 3


def test_committee_stats_by_round_year_and_filters(people: dict[str, Any],
                                                  seed_round: Round) -> None:
    office = people["office"]
    stats = committee_stats(access.problems_for(office), access.rounds_for(office))
    assert [(row["label"], row["total"]) for row in stats["round"]] == [
        ("十二届昌吉州党委第五轮巡察", 21)]
    year = seed_round.inspection_start.year  # type: ignore[union-attr]
    assert [(row["label"], row["total"]) for row in stats["year"]] == [(f"{year}年", 21)]
    other = committee_stats(access.problems_for(office), access.rounds_for(office), year=1999)
    assert other["totals"]["total"] == 0 and other["round"] == []
    same = committee_stats(access.problems_for(office), access.rounds_for(office),
                           committee=seed_round.committee_id, year=year)
    assert same["totals"]["total"] == 21


def test_query_counts_stay_constant_as_data_grows(people: dict[str, Any],
                                                  seed_round: Round) -> None:
    office = people["office"]
    round_stats(access.problems_for(office), seed_round)
    with CaptureQueriesContext(connection) as before:
        round_stats(access.problems_for(office), seed_round)
        committee_stats(access.problems_for(office), access.rounds_for(office))
    unit = seed_round.problems.first().unit  # type: ignore[union-attr]
    for order in range(100, 160):
        problem = Problem.objects.create(round=seed_round, unit=unit, order=order, text="新问题",
                                         status=RectificationStatus.SIGNED_OFF)
        Measure.objects.create(problem=problem, content="措施", leader=f"领导{order}")
    with CaptureQueriesContext(connection) as after:
        round_stats(access.problems_for(office), seed_round)
        committee_stats(access.problems_for(office), access.rounds_for(office))
    assert len(before) == len(after)
