"""Deadlines, recording and editing problems, clue handovers and their outcomes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Problem, ProblemCategory, Round
from xuncha.workflow import services
from xuncha.workflow.models import ClueHandover, Event

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def test_the_office_sets_the_rounds_deadlines(as_: As, seed_round: Round) -> None:
    client = as_("office")
    url = reverse("round-deadlines", args=[seed_round.pk])
    page = client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    assert 'id="deadlines"' in page
    html = client.post(url, {"plan_due_date": "2024-01-20", "rectification_due_date": "2024-03-31"},
                       follow=True).content.decode()
    assert "整改时限已保存" in html and "2024年3月31日" in html
    seed_round.refresh_from_db()
    assert seed_round.rectification_due_date == datetime.date(2024, 3, 31)
    assert Event.objects.filter(round=seed_round, action="deadlines_changed").count() == 1


def test_only_the_office_sees_the_deadlines_form(as_: As, seed_round: Round) -> None:
    for name in ["group1", "unit_a", "supervisor"]:
        html = as_(name).get(reverse("round-detail", args=[seed_round.pk])).content.decode()
        assert 'id="deadlines"' not in html, name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"plan_due_date": "2024-02-31", "rectification_due_date": "2024-03-31"},
         "整改方案报送时限不是有效日期"),
        ({"plan_due_date": "2024-04-01", "rectification_due_date": "2024-03-31"},
         "集中整改期截止日不能早于整改方案报送时限"),
        ({"plan_due_date": "2024-01-20"}, "请填写集中整改期截止"),
    ],
    ids=["no-such-day", "end-before-plan", "missing"],
)
def test_bad_deadlines_are_refused(
    as_: As, seed_round: Round, data: dict[str, str], message: str
) -> None:
    response = as_("office").post(reverse("round-deadlines", args=[seed_round.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    seed_round.refresh_from_db()
    assert seed_round.plan_due_date is None and seed_round.rectification_due_date is None
    assert not Event.objects.exists()


def _unit_a(seed_round: Round) -> list[int]:
    problem = Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委").first()
    assert problem is not None
    return [seed_round.pk, problem.unit_id]


def test_the_office_and_the_units_group_record_problems(as_: As, seed_round: Round) -> None:
    category = ProblemCategory.objects.get(name="基层党组织建设")
    url = reverse("problem-add", args=_unit_a(seed_round))
    for n, name in enumerate(["office", "group1"], start=4):
        response = as_(name).post(url, {"text": f"三会一课制度落实不到位{n}",
                                        "category": category.pk, "immediate": "on"})
        assert response.status_code == 302, name
        problem = Problem.objects.get(text=f"三会一课制度落实不到位{n}")
        assert (problem.order, problem.category, problem.immediate) == (n, category, True)
    html = as_("unit_a").get(reverse("unit-detail", args=_unit_a(seed_round))).content.decode()
    assert "三会一课制度落实不到位4" in html and 'id="problem-add"' not in html


def test_a_problem_needs_text_and_a_real_category(as_: As, seed_round: Round) -> None:
    url = reverse("problem-add", args=_unit_a(seed_round))
    before = Problem.objects.count()
    for data, message in [({"text": " "}, "请填写反馈问题"),
                          ({"text": "问题", "category": "999"}, "选择一个有效的选项")]:
        response = as_("office").post(url, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Problem.objects.count() == before


def test_a_stale_problem_edit_shows_the_current_text(
    as_: As, people: Any, seed_round: Round
) -> None:
    problem = Problem.objects.filter(round=seed_round, unit__name="木垒县东城镇党委").first()
    assert problem is not None
    url = reverse("problem-edit", args=[problem.pk])
    assert 'name="version" value="1"' in as_("office").get(url).content.decode()
    services.edit_problem(people["office2"], problem, {"text": "他人改过的问题"}, version=1)
    response = as_("office").post(url, {"text": "我改的问题", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "该内容已被他人修改" in html and "他人改过的问题" in html and "我改的问题" in html
    problem.refresh_from_db()
    assert problem.text == "他人改过的问题"
    done = as_("office").post(url, {"text": "我改的问题", "version": 2, "immediate": "on"})
    assert done.status_code == 302
    problem.refresh_from_db()
    assert (problem.text, problem.immediate) == ("我改的问题", True)


def test_a_clue_is_handed_over_with_a_three_month_follow_up(
    as_: As, problem_a: Problem
) -> None:
    url = reverse("clue-handover", args=[problem_a.pk])
    html = as_("office").post(url, {"receiver": "organisation", "handed_over_on": "2024-01-31",
                                    "note": "涉及选人用人"}, follow=True).content.decode()
    assert "已移交组织部，请于 2024年4月30日 前反馈办理结果" in html
    handover = ClueHandover.objects.get()
    assert handover.follow_up_due == datetime.date(2024, 4, 30)
    bad = as_("office").post(url, {"receiver": "police", "handed_over_on": "2024-01-31"})
    assert bad.status_code == 400 and "接收单位的选项无效" in bad.content.decode()
    assert ClueHandover.objects.count() == 1


def test_the_supervisor_records_the_outcome(as_: As, people: Any, problem_a: Problem) -> None:
    handover = services.hand_over_clue(people["office"], problem_a, receiver="discipline")
    key = f"outcome-{handover.pk}"
    url = reverse("clue-outcome", args=[handover.pk])
    page = as_("supervisor").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert f'id="{key}"' in page
    refused = as_("supervisor").post(url, {f"{key}-outcome": ""})
    assert refused.status_code == 400 and "请填写办理结果" in refused.content.decode()
    html = as_("supervisor").post(url, {f"{key}-outcome": "已立案审查", f"{key}-outcome_on":
                                        "2024-03-01"}, follow=True).content.decode()
    assert "线索办理结果已记录" in html and "已立案审查" in html
    assert as_("office").post(url, {f"{key}-outcome": "x"}).status_code == 403


def test_the_unit_does_not_see_clues(as_: As, people: Any, problem_a: Problem) -> None:
    handover = services.hand_over_clue(people["office"], problem_a, receiver="discipline",
                                       note="线索说明")
    html = as_("unit_a").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert 'id="clues"' not in html and "移交问题线索" not in html and "线索说明" not in html
    office = as_("office").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert "移交问题线索" in office and "线索说明" in office
    url = reverse("clue-outcome", args=[handover.pk])
    assert as_("unit_a").post(url, {}).status_code == 404


def test_the_deadlines_form_offers_the_default_plan_due_date(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    html = as_("office").get(reverse("round-detail", args=[problem_a.round_id])).content.decode()
    assert 'value="2023-12-31"' in html
