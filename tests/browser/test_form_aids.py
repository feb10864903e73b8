"""The static form aids in a real browser: the character counter, the confirmation before a
batch approval, and a form sent after the session expired."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from tests.workflow.conftest import MEASURE
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Measure, PlanState, Problem, Round
from xuncha.workflow import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zhenggai-2024-aids!"


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".site-user")


@pytest.fixture
def unit_problem(seed_round: Round) -> Problem:
    create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password=PASSWORD)
    return Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)


def test_the_counter_counts_and_stops_at_the_limit(
    live_server: Any, page: Any, shot: Any, unit_problem: Problem
) -> None:
    _log_in(page, live_server.url, "dongcheng")
    page.goto(f"{live_server.url}/problems/{unit_problem.pk}/")
    counter = page.locator("#measure-add .field:has(#id_content) .char-counter")
    assert counter.inner_text() == "已输入 0 / 4000 字"
    page.fill("#id_content", "制定计划\n建立台账")
    assert counter.inner_text() == "已输入 9 / 4000 字"
    page.fill("#id_content", "甲" * 4000)
    assert counter.inner_text() == "已达到 4000 字上限，不能再输入"
    page.locator("#id_content").press("End")
    page.keyboard.type("乙")  # the browser stops at maxlength: nothing is added
    assert len(page.input_value("#id_content")) == 4000
    shot("at-limit")


def test_a_paste_that_does_not_fit_is_refused_with_a_message(
    live_server: Any, page: Any, unit_problem: Problem
) -> None:
    _log_in(page, live_server.url, "dongcheng")
    page.goto(f"{live_server.url}/problems/{unit_problem.pk}/")
    page.fill("#id_standard", "甲" * 3990)
    page.evaluate("""() => {
        const area = document.querySelector('#id_standard');
        area.focus();
        area.setSelectionRange(area.value.length, area.value.length);
        const data = new DataTransfer();
        data.setData('text', '乙'.repeat(20));
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                        cancelable: true}));
    }""")
    counter = page.locator("#measure-add .field:has(#id_standard) .char-counter")
    assert "粘贴的内容有 20 字" in counter.inner_text() and "未粘贴" in counter.inner_text()
    assert len(page.input_value("#id_standard")) == 3990


def test_approve_all_asks_first_and_a_no_changes_nothing(
    live_server: Any, page: Any, shot: Any, unit_problem: Problem
) -> None:
    unit = unit_problem.unit
    create_user("office", Role.OFFICE, password=PASSWORD)
    problems = Problem.objects.filter(round=unit_problem.round, unit=unit).order_by("order")[:2]
    clerk = get_user_model().objects.get(username="dongcheng")
    for problem in problems:
        services.add_measure(clerk, problem, MEASURE)
        services.submit_plan(clerk, problem)
    _log_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/rounds/{unit_problem.round_id}/units/{unit.pk}/")
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("#plans-approve button")
    page.wait_for_timeout(300)
    assert asked == ["确定批准全部 2 个已报送的整改方案？批准后被巡察单位即按方案整改。"]
    assert Problem.objects.filter(plan_state=PlanState.APPROVED).count() == 0

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.click("#plans-approve button")
    page.wait_for_selector(".messages li.success:has-text('已批准 2 个问题的整改方案')")
    assert Problem.objects.filter(plan_state=PlanState.APPROVED).count() == 2
    shot("approved")


def test_a_form_sent_after_the_session_expired_comes_back_to_its_page(
    live_server: Any, page: Any, shot: Any, unit_problem: Problem
) -> None:
    _log_in(page, live_server.url, "dongcheng")
    problem_url = f"{live_server.url}/problems/{unit_problem.pk}/"
    page.goto(problem_url)
    page.fill("#id_content", "制定村级后备干部培养计划")
    page.fill("#id_leader", "张书记")
    page.fill("#id_department", "镇党建办")
    page.fill("#id_due_date", "2099-03-31")
    Session.objects.all().delete()  # the session expires while the clerk types
    page.click("#measure-add button[type=submit]")

    page.wait_for_selector("#id_username")
    assert "登录已过期，请重新登录" in page.inner_text(".messages")
    shot("login")
    page.fill("#id_username", "dongcheng")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".messages li:has-text('登录已过期，刚才提交的内容未保存，请重新提交')")
    assert page.url == problem_url
    assert page.is_visible("#measure-add")
    assert not Measure.objects.exists()
    shot("back-on-the-page")
