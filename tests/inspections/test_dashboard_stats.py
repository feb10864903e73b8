"""The dashboards' deadline levels, late plans, 整改成效, weekly trend and cache."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.workflow.conftest import MEASURE, PDF
from xuncha import access
from xuncha.inspections.models import (
    Inspection,
    Measure,
    PlanState,
    Problem,
    ProgressFigures,
    ProgressReport,
    RectificationStatus,
    Round,
    RuleMade,
)
from xuncha.inspections.stats import LEVELS, cached, committee_stats, round_stats
from xuncha.workflow import services
from xuncha.workflow.models import today as local_today

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 3)  # a Monday


def _measures(seed_round: Round) -> dict[str, Measure]:
    """One open measure per level (and one beyond the notice window, one closed) on unit A's
    first problem, one overdue on unit B's."""
    a = Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委").order_by("order")[0]
    b = Problem.objects.filter(round=seed_round, unit__name="奇台县七户乡党委").order_by("order")[0]
    days = {"overdue": -1, "warning": 10, "notice": 11, "later": 21, "closed": -30}
    made = {}
    for name, offset in days.items():
        made[name] = Measure.objects.create(
            problem=a, content=name, leader="张书记", due_date=TODAY + datetime.timedelta(offset),
            status=(RectificationStatus.SIGNED_OFF if name == "closed"
                    else RectificationStatus.IN_PROGRESS))
    made["b"] = Measure.objects.create(problem=b, content="b", leader="李镇长",
                                       due_date=TODAY - datetime.timedelta(days=100))
    return made


def _row(rows: list[dict[str, Any]], label: str) -> dict[str, Any]:
    [row] = [row for row in rows if row["label"] == label]
    return row


def test_levels_per_unit_leader_and_every_breakdown(people: dict[str, Any],
                                                    seed_round: Round, settings: Any) -> None:
    settings.DEADLINE_WARNING_DAYS, settings.DEADLINE_NOTICE_DAYS = 10, 20
    _measures(seed_round)
    stats = round_stats(access.problems_for(people["office"]), seed_round, TODAY)
    assert stats["totals"]["levels"] == {"overdue": 2, "warning": 1, "notice": 1}
    assert _row(stats["unit"], "木垒县东城镇党委")["levels"] == {
        "overdue": 1, "warning": 1, "notice": 1}
    assert _row(stats["unit"], "奇台县七户乡党委")["levels"] == {
        "overdue": 1, "warning": 0, "notice": 0}
    assert _row(stats["leader"], "张书记")["levels"] == {"overdue": 1, "warning": 1, "notice": 1}
    assert _row(stats["leader"], "李镇长")["levels"]["overdue"] == 1
    for name in ("unit", "county", "group", "category", "leader"):
        for level in LEVELS:
            assert sum(row["levels"][level] for row in stats[name]) == \
                stats["totals"]["levels"][level], (name, level)
    # A day later the warning measure is still a warning, the overdue ones stay overdue.
    later = round_stats(access.problems_for(people["office"]), seed_round,
                        TODAY + datetime.timedelta(days=2))
    assert later["totals"]["levels"] == {"overdue": 2, "warning": 2, "notice": 1}


def test_late_plans_follow_the_units_own_deadline(people: dict[str, Any],
                                                  seed_round: Round) -> None:
    Round.objects.filter(pk=seed_round.pk).update(plan_due_date=TODAY - datetime.timedelta(1))
    Inspection.objects.filter(round=seed_round, unit__name="奇台县七户乡党委").update(
        plan_due_date=TODAY + datetime.timedelta(days=5))
    a = list(Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委"))
    Problem.objects.filter(pk=a[0].pk).update(plan_state=PlanState.APPROVED)
    stats = round_stats(access.problems_for(people["office"]), seed_round, TODAY)
    b_total = _row(stats["unit"], "奇台县七户乡党委")["total"]
    assert stats["totals"]["late_plans"] == 21 - 1 - b_total
    assert _row(stats["unit"], "木垒县东城镇党委")["late_plans"] == len(a) - 1
    assert _row(stats["unit"], "奇台县七户乡党委")["late_plans"] == 0
    for name in ("unit", "county", "group", "category"):
        assert sum(row["late_plans"] for row in stats[name]) == stats["totals"]["late_plans"]
    committee = committee_stats(access.problems_for(people["office"]),
                                access.rounds_for(people["office"]), today=TODAY)
    assert committee["round"][0]["late_plans"] == stats["totals"]["late_plans"]


def test_completion_breakdown_has_every_status(people: dict[str, Any],
                                               seed_round: Round) -> None:
    problems = list(Problem.objects.filter(round=seed_round).order_by("id"))
    wanted = [RectificationStatus.SIGNED_OFF, RectificationStatus.BASICALLY_DONE,
              RectificationStatus.IN_PROGRESS, RectificationStatus.LONG_TERM]
    for problem, status in zip(problems, wanted, strict=False):
        Problem.objects.filter(pk=problem.pk).update(status=status)
    stats = round_stats(access.problems_for(people["office"]), seed_round, TODAY)
    assert {code: stats["totals"]["statuses"][code] for code in wanted} == dict.fromkeys(
        wanted, 1)
    assert stats["totals"]["statuses"]["not_started"] == 17


def test_trend_counts_sign_offs_against_due_dates(people: dict[str, Any],
                                                  signed_off: Measure) -> None:
    other = Measure.objects.create(problem=signed_off.problem, content="另一项",
                                   due_date=datetime.date(2024, 4, 10))
    now = local_today()
    stats = round_stats(access.problems_for(people["office"]), signed_off.problem.round, now)
    weeks = {row["week"]: row for row in stats["trend"]}
    assert weeks["2024-03-25"]["due"] == 1  # 2024-03-31 is a Sunday: the week of Monday 25th
    assert weeks["2024-04-08"]["due"] == 1
    this_monday = now - datetime.timedelta(now.weekday())
    assert weeks[this_monday.isoformat()]["signed_off"] == 1
    last = stats["trend"][-1]
    assert last["cum_due"] == 2 and last["cum_signed_off"] == 1
    assert [row["week"] for row in stats["trend"]] == sorted(weeks)
    assert other.due_date is not None


def test_trend_is_scoped(people: dict[str, Any], signed_off: Measure) -> None:
    round_ = signed_off.problem.round
    mine = round_stats(access.problems_for(people["unit_b"]), round_)
    assert sum(row["signed_off"] for row in mine["trend"]) == 0
    assert sum(row["due"] for row in mine["trend"]) == 0


def test_figures_per_unit_and_in_all(people: dict[str, Any], signed_off: Measure) -> None:
    report = ProgressReport.objects.filter(measure=signed_off).first()
    assert report is not None
    ProgressFigures.objects.create(report=report, disciplined=2, organisational=1,
                                   recovered=Decimal("12.50"))
    RuleMade.objects.create(report=report, name="村级后备干部管理办法")
    stats = round_stats(access.problems_for(people["office"]), signed_off.problem.round)
    assert stats["figures"] == {"rules": 1, "disciplined": 2, "organisational": 1,
                                "accountable": 3, "recovered": "12.50"}
    assert _row(stats["unit"], "木垒县东城镇党委")["figures"]["accountable"] == 3
    assert _row(stats["unit"], "奇台县七户乡党委")["figures"]["rules"] == 0
    committee = committee_stats(access.problems_for(people["office"]),
                                access.rounds_for(people["office"]))
    assert committee["figures"]["rules"] == 1
    assert committee["round"][0]["figures"]["recovered"] == "12.50"
    assert round_stats(access.problems_for(people["unit_b"]),
                       signed_off.problem.round)["figures"]["rules"] == 0


def test_committee_rows_per_round_and_year(people: dict[str, Any], seed_round: Round) -> None:
    _measures(seed_round)
    office = people["office"]
    stats = committee_stats(access.problems_for(office), access.rounds_for(office), today=TODAY)
    [row] = stats["round"]
    assert row["key"] == seed_round.pk and row["levels"] == stats["totals"]["levels"]
    assert sum(r["total"] for r in stats["county"]) == 21
    assert stats["year"][0]["levels"]["overdue"] == 2


def test_the_supervisor_sees_the_committee_and_a_unit_itself(people: dict[str, Any],
                                                             seed_round: Round) -> None:
    _measures(seed_round)
    supervisor = committee_stats(access.problems_for(people["supervisor"]),
                                 access.rounds_for(people["supervisor"]), today=TODAY)
    assert supervisor["totals"]["total"] == 21 and supervisor["totals"]["levels"]["overdue"] == 2
    unit = round_stats(access.problems_for(people["unit_b"]), seed_round, TODAY)
    assert unit["totals"]["levels"] == {"overdue": 1, "warning": 0, "notice": 0}
    assert [row["label"] for row in unit["leader"]] == ["李镇长"]
    assert [row["label"] for row in unit["county"]] == ["奇台县"]


def test_the_cache_follows_every_write(people: dict[str, Any], problem_a: Problem,
                                       settings: Any) -> None:
    settings.STATS_CACHE_SECONDS = 600
    office = people["office"]

    def figures() -> dict[str, Any]:
        return cached(office.pk, "round", lambda: round_stats(
            access.problems_for(office), problem_a.round), problem_a.round_id)

    first = figures()
    assert first["totals"]["levels"]["overdue"] == 0
    # Even a write behind the history's back moves the data version (xuncha.pagecache) ...
    Problem.objects.filter(pk=problem_a.pk).update(status=RectificationStatus.SIGNED_OFF)
    assert figures()["totals"]["statuses"]["signed_off"] == 1
    Problem.objects.filter(pk=problem_a.pk).update(status=RectificationStatus.NOT_STARTED)
    assert figures()["totals"]["statuses"]["signed_off"] == 0
    # ... and so does everything the services do.
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(office, problem_a, "approve")
    services.report_progress(people["unit_a"], measure, content="全部完成", status="done",
                             files=[("签到表.pdf", PDF)])
    again = figures()
    assert again["totals"]["levels"]["overdue"] == 0
    assert again["leader"][0]["label"] == "张书记"
    # A notice import adds problems without a history entry.
    Problem.objects.create(round=problem_a.round, unit=problem_a.unit, order=99, text="新增")
    assert figures()["totals"]["total"] == again["totals"]["total"] + 1
    settings.STATS_CACHE_SECONDS = 0
    assert figures()["totals"]["total"] == again["totals"]["total"] + 1
