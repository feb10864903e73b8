"""The plan in the web UI: the unit drafts measures and submits; the office or group decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, PlanState, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Event

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


def _page(client: Client, problem: Problem) -> str:
    return client.get(reverse("problem-detail", args=[problem.pk])).content.decode()


def _rows() -> tuple[int, int]:
    return Measure.objects.count(), Event.objects.count()


def test_the_unit_drafts_a_measure(as_: As, problem_a: Problem) -> None:
    client = as_("unit_a")
    assert 'id="measure-add"' in _page(client, problem_a)
    response = client.post(reverse("measure-add", args=[problem_a.pk]), MEASURE, follow=True)
    html = response.content.decode()
    assert "已新增整改措施1" in html
    assert "制定村级后备干部培养计划" in html and "每村储备后备干部不少于6名" in html
    measure = problem_a.measures.get()
    assert (measure.leader, str(measure.due_date)) == ("张书记", "2024-03-31")


def test_other_roles_get_no_measure_form(as_: As, problem_a: Problem) -> None:
    for name in ["office", "group1", "supervisor"]:
        assert 'id="measure-add"' not in _page(as_(name), problem_a), name


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due_date", "2024-02-30", "完成时限不是有效日期"),
        ("due_date", "明年三月", "完成时限不是有效日期"),
        ("due_date", "", "请填写完成时限"),
        ("leader", "", "请填写责任领导"),
        ("leader", "张" * 65, "责任领导不能超过 64 字"),
        ("content", "  ", "请填写整改措施"),
    ],
    ids=["no-such-day", "words", "no-date", "no-leader", "long-leader", "blank-content"],
)
def test_a_bad_measure_is_refused_and_nothing_written(
    as_: As, problem_a: Problem, field: str, value: str, message: str
) -> None:
    before = _rows()
    response = as_("unit_a").post(
        reverse("measure-add", args=[problem_a.pk]), MEASURE | {field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _rows() == before


def test_editing_a_measure_records_old_and_new(as_: As, people: Any, problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    client = as_("unit_a")
    form = client.get(reverse("measure-edit", args=[measure.pk])).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(
        reverse("measure-edit", args=[measure.pk]),
        MEASURE | {"leader": "李镇长", "version": 1}, follow=True,
    )
    html = response.content.decode()
    assert "整改措施1已保存" in html
    assert "<del>张书记</del> → 李镇长" in html


def test_a_stale_edit_never_overwrites(as_: As, people: Any, problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    client = as_("unit_a")
    # Someone else saves first...
    services.edit_measure(people["unit_a"], measure, MEASURE | {"leader": "王副书记"}, version=1)
    # ...then this form, loaded at version 1, is sent.
    before = _rows()
    response = client.post(
        reverse("measure-edit", args=[measure.pk]),
        MEASURE | {"leader": "李镇长", "version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "该内容已被他人修改" in html
    assert "王副书记" in html and "李镇长" in html  # the current version, and what was typed
    assert 'name="version" value="2"' in html  # the form now starts from the current version
    measure.refresh_from_db()
    assert (measure.leader, measure.version) == ("王副书记", 2)
    assert _rows() == before


def test_submit_then_return_with_a_reason_then_approve(
    as_: As, people: Any, problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    unit, office = as_("unit_a"), as_("office")
    html = unit.post(reverse("plan-submit", args=[problem_a.pk]), follow=True).content.decode()
    assert "整改方案已报送" in html and 'id="measure-add"' not in html
    assert 'id="plan-decide"' in _page(office, problem_a)

    refused = office.post(reverse("plan-decide", args=[problem_a.pk]), {"decision": "return"})
    assert refused.status_code == 400 and "退回时请填写退回理由" in refused.content.decode()
    problem_a.refresh_from_db()
    assert problem_a.plan_state == PlanState.SUBMITTED

    office.post(reverse("plan-decide", args=[problem_a.pk]),
                {"decision": "return", "comment": "请明确完成标准"})
    problem_a.refresh_from_db()
    assert problem_a.plan_state == PlanState.RETURNED
    assert "请明确完成标准" in _page(unit, problem_a)

    unit.post(reverse("plan-submit", args=[problem_a.pk]))
    html = office.post(reverse("plan-decide", args=[problem_a.pk]), {"decision": "approve"},
                       follow=True).content.decode()
    assert "整改方案已批准" in html
    problem_a.refresh_from_db()
    assert problem_a.plan_state == PlanState.APPROVED


def test_transitions_out_of_order_are_refused_with_the_services_message(
    as_: As, people: Any, problem_a: Problem
) -> None:
    unit, office = as_("unit_a"), as_("office")
    before = _rows()
    response = unit.post(reverse("plan-submit", args=[problem_a.pk]))
    assert response.status_code == 400
    assert "请至少制定一项整改措施后再报送" in response.content.decode()
    response = office.post(reverse("plan-decide", args=[problem_a.pk]), {"decision": "approve"})
    assert response.status_code == 400
    assert "只有已报送的整改方案可以批准（当前状态：草拟中）" in response.content.decode()
    assert _rows() == before

    services.add_measure(people["unit_a"], problem_a, MEASURE)
    unit.post(reverse("plan-submit", args=[problem_a.pk]))
    again = unit.post(reverse("plan-submit", args=[problem_a.pk]))
    assert again.status_code == 400
    assert "不能重复报送" in again.content.decode()
    late = unit.post(reverse("measure-add", args=[problem_a.pk]), MEASURE)
    assert late.status_code == 400 and "不能再增加措施" in late.content.decode()


def test_the_plan_cannot_be_decided_by_another_group(as_: As, problem_a: Problem) -> None:
    assert as_("group2").post(reverse("plan-decide", args=[problem_a.pk]),
                              {"decision": "approve"}).status_code == 404
    assert as_("unit_a").post(reverse("plan-decide", args=[problem_a.pk]),
                              {"decision": "approve"}).status_code == 403


def test_the_unit_submits_and_the_group_approves_all_at_once(
    as_: As, people: Any, seed_round: Any
) -> None:
    problems = list(Problem.objects.filter(
        round=seed_round, unit__name="木垒县东城镇党委").order_by("order"))
    for problem in problems[:2]:
        services.add_measure(people["unit_a"], problem, MEASURE)
    unit_url = [seed_round.pk, problems[0].unit_id]

    unit_page = as_("unit_a").get(reverse("unit-detail", args=unit_url)).content.decode()
    assert 'id="plans-submit"' in unit_page and 'id="plans-approve"' not in unit_page
    html = as_("unit_a").post(reverse("unit-plans-submit", args=unit_url),
                              follow=True).content.decode()
    assert "已报送 2 个问题的整改方案" in html
    states = [p.plan_state for p in Problem.objects.filter(pk__in=[p.pk for p in problems])
              .order_by("order")]
    assert states[:2] == [PlanState.SUBMITTED] * 2 and states[2] == PlanState.DRAFT

    html = as_("group1").post(reverse("unit-plans-approve", args=unit_url),
                              follow=True).content.decode()
    assert "已批准 2 个问题的整改方案" in html
    assert Problem.objects.filter(plan_state=PlanState.APPROVED).count() == 2

    nothing = as_("group1").post(reverse("unit-plans-approve", args=unit_url))
    assert nothing.status_code == 400 and "没有待审核的整改方案" in nothing.content.decode()


def test_a_submitted_plan_cannot_be_edited(as_: As, people: Any, problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    client = as_("unit_a")
    url = reverse("measure-edit", args=[measure.pk])
    page = client.get(url).content.decode()
    assert "整改方案已报送待审核，不能修改措施" in page and 'id="measure-edit"' not in page
    measure_block = _page(client, problem_a).split(f'id="measure-{measure.pk}"')[1]
    assert "修改</a>" not in measure_block.split("</article>")[0]
    before = _rows()
    response = client.post(url, MEASURE | {"leader": "李镇长", "version": 1})
    assert response.status_code == 400
    assert _rows() == before
