"""A province's dashboard from one scan per table (``stats_wide``, PostgreSQL) gives the same
figures as the per-breakdown queries."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db import connection

from xuncha import access
from xuncha.inspections import stats, stats_wide
from xuncha.inspections.models import (
    Inspection,
    Measure,
    PlanState,
    Problem,
    ProblemCategory,
    RectificationStatus,
    Round,
)
from xuncha.workflow.models import today

pytestmark = pytest.mark.django_db


def _scatter(seed_round: Round) -> None:
    """Measures at every deadline level and status, problems in every status and plan state,
    with and without a category, some (round, unit)s with a past plan deadline."""
    rng = random.Random(9)
    day = today()
    categories = [None, *ProblemCategory.objects.all()[:3]]
    statuses = [code for code, _ in RectificationStatus.choices]
    for problem in Problem.objects.filter(round=seed_round):
        Problem.objects.filter(pk=problem.pk).update(
            status=rng.choice(statuses), plan_state=rng.choice(PlanState.values),
            category=rng.choice(categories))
        for n in range(rng.randint(0, 3)):
            offset = rng.choice([None, -400, -30, -1, 0, 3, 10, 11, 15, 20, 21, 90])
            Measure.objects.create(
                problem=problem, order=n, content="措施", leader=rng.choice(["张", "李", ""]),
                status=rng.choice(statuses),
                due_date=None if offset is None else day + datetime.timedelta(days=offset))
    Inspection.objects.filter(round=seed_round, order__lt=3).update(
        plan_due_date=day - datetime.timedelta(days=5))


@pytest.mark.postgres  # GROUPING SETS: the one-scan path runs on PostgreSQL only
@pytest.mark.parametrize("who", ["office", "unit_a", "group1"])
def test_one_scan_gives_the_per_breakdown_figures(
    people: dict[str, Any], seed_round: Round, monkeypatch: pytest.MonkeyPatch, who: str,
) -> None:
    _scatter(seed_round)
    user = people[who]
    monkeypatch.setattr(stats, "WIDE_ROUNDS", 0)
    wide = stats.committee_stats(access.problems_for(user), access.rounds_for(user))
    monkeypatch.setattr(stats_wide, "supported", lambda: False)
    per_breakdown = stats.committee_stats(access.problems_for(user), access.rounds_for(user))
    assert wide == per_breakdown
    assert wide["totals"]["total"] > 0
    assert any(wide["totals"]["levels"].values())


def test_sqlite_keeps_the_per_breakdown_queries() -> None:
    assert stats_wide.supported() == (connection.vendor == "postgresql")


def test_an_empty_scope_counts_nothing(people: dict[str, Any], seed_round: Round) -> None:
    office = people["office"]
    empty = stats.committee_stats(access.problems_for(office), access.rounds_for(office),
                                  year=1999)
    assert empty["totals"]["total"] == 0 and empty["round"] == [] and empty["trend"] == []


def test_a_province_board_counts_the_same_with_hashed_joins(
    people: dict[str, Any], seed_round: Round, monkeypatch: pytest.MonkeyPatch, client: Any,
    settings: Any,
) -> None:
    from xuncha.inspections import queries

    settings.PAGE_CACHE_ENTRIES = 0
    _scatter(seed_round)
    client.force_login(people["office"])
    pages = {}
    for wide in (False, True):
        monkeypatch.setattr(queries, "WIDE_ROUNDS", 0 if wide else 10**6)
        response = client.get("/board/?by=leader")
        assert response.status_code == 200
        pages[wide] = [(r.key, r.overdue, r.warning, r.notice) for r in response.context["rows"]]
    assert pages[True] == pages[False]
    assert pages[True]


def test_week_of_is_truncweek(people: dict[str, Any], problem_a: Problem) -> None:
    from django.db.models.functions import TruncWeek

    start = datetime.date(2023, 12, 20)
    for n in range(20):
        Measure.objects.create(problem=problem_a, order=n, content="措施",
                               due_date=start + datetime.timedelta(days=n))
    rows = Measure.objects.filter(problem=problem_a).annotate(
        mine=stats.week_of("due_date"), django=TruncWeek("due_date"))
    for row in rows:
        django = row.django.date() if isinstance(row.django, datetime.datetime) else row.django
        assert row.mine == django
        assert row.mine.weekday() == 0
