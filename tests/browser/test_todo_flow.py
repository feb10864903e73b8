"""待办 and notifications in real headless Chromium, on the seed round.

The unit submits a plan; the group and the office find it in their 待办 and get a notification;
the office returns it with a reason, which the unit sees in its 待办 and at the top of the
problem page; the unit resubmits, the office approves; the unit reports 已完成 with evidence;
the group signs it off from the board's batch list (confirming the dialog); the unit is told.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_cycle import OFFICE_PASSWORD, UNIT_PASSWORD, Session
from tests.documents import real_pdf
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.demo import _assign_groups
from xuncha.inspections.models import Problem, Round
from xuncha.workflow.models import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP_PASSWORD = "Xuncha-group-2024!"


def test_todo_and_notifications_follow_a_problem_through_the_cycle(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any, settings: Any,
    tmp_path: Path,
) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    _assign_groups(seed_round)
    create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password=UNIT_PASSWORD,
                full_name="东城镇 王")
    create_user("group1", Role.GROUP, group="第一巡察组", password=GROUP_PASSWORD,
                full_name="第一巡察组 李")
    problem = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    evidence = tmp_path / "培训签到表.pdf"
    evidence.write_bytes(real_pdf("training sign-in sheet"))
    s = Session(page, live_server.url, shot)
    due = today() + datetime.timedelta(days=40)  # not yet due: the 待办 stays about reviews

    # 1. The unit lands on its 待办 (empty), drafts a measure and submits the plan.
    s.log_in("dongcheng", UNIT_PASSWORD)
    assert page.url.endswith("/todo/")
    assert page.inner_text("h1") == "待办"
    s.open_problem(problem)
    page.fill("#id_content", "建立村级后备干部人才库")
    page.fill("#id_leader", "张书记")
    page.fill("#id_department", "镇党建办")
    page.fill("#id_due_date", f"{due:%Y-%m-%d}")
    page.click("#measure-add button[type=submit]")
    s.says("已新增整改措施1")
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    shot("01-unit-submits")
    s.log_out()

    # 2. The group sees it in 待办, with a count in the header and a notification.
    s.log_in("group1", GROUP_PASSWORD)
    assert page.inner_text("#nav-todo .badge") == "1"
    assert "问题1" in page.inner_text("#todo-plan_review")
    assert page.inner_text(".site-user a:has-text('通知')") == "通知（1）"
    page.click(".site-user a:has-text('通知')")
    page.wait_for_selector(".notification.unread")
    assert "木垒县东城镇党委报送了1个整改方案，待审核" in page.inner_text(".notification")
    shot("02-group-todo-and-notification")
    s.log_out()

    # 3. The office sees it too, follows the 待办 link and returns the plan with a reason.
    s.log_in("alice", OFFICE_PASSWORD)
    assert page.inner_text(".site-user a:has-text('通知')") == "通知（1）"
    page.click("#todo-plan_review a:has-text('问题1')")
    page.wait_for_selector("#plan-decide")
    page.fill("#plan-decide textarea", "请把完成时限细化到季度")
    page.click("#plan-decide button[value=return]")
    s.says("整改方案已退回修改")
    s.log_out()

    # 4. The unit sees the reason in its 待办 and at the top of the problem page.
    s.log_in("dongcheng", UNIT_PASSWORD)
    assert "请把完成时限细化到季度" in page.inner_text("#todo-returned")
    assert page.inner_text(".site-user a:has-text('通知')") == "通知（1）"
    page.click("#todo-returned a")
    page.wait_for_selector("#plan-returned-reason")
    assert "请把完成时限细化到季度" in page.inner_text("#plan-returned-reason")
    shot("04-unit-sees-reason")
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    assert page.locator("#plan-returned-reason").count() == 0
    s.log_out()

    # 5. The office approves; the unit reports 已完成 with evidence.
    s.log_in("alice", OFFICE_PASSWORD)
    s.open_problem(problem)
    page.click("#plan-decide button[value=approve]")
    s.says("整改方案已批准")
    s.log_out()
    s.log_in("dongcheng", UNIT_PASSWORD)
    s.open_problem(problem)
    m = problem.measures.get().pk
    page.fill(f"#id_progress-{m}-content", "已建立人才库，首批 24 人")
    page.select_option(f"#id_progress-{m}-status", "done")
    page.set_input_files(f"#id_progress-{m}-evidence", str(evidence))
    page.click(f"#progress-{m} button[type=submit]")
    s.says("并申请销号")
    s.log_out()

    # 6. The group finds the sign-off request in 待办 and signs it off from the board's list,
    # confirming the dialog the static script opens.
    s.log_in("group1", GROUP_PASSWORD)
    assert "措施1" in page.inner_text("#todo-sign_off_review")
    page.goto(f"{live_server.url}/board/items/?kind=pending")
    page.check(f"input[name=measure][value='{m}']")
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.click("#batch-review button[value=approve]")
    s.says("已销号 1 项整改措施")
    assert dialogs == ["确定将勾选的 1 项整改措施销号？"]
    shot("06-group-signs-off")
    s.log_out()

    # 7. The unit is told, and its 待办 is empty again.
    s.log_in("dongcheng", UNIT_PASSWORD)
    page.click(".site-user a:has-text('通知')")
    page.wait_for_selector(".notification.unread")
    assert "1项整改措施已销号" in page.inner_text("body")
    shot("07-unit-notified")
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    assert page.inner_text("#problem-status") == "已销号"
    s.log_out()

    # 8. With the round's plan deadline past, the office's board shows the late plans in red,
    # each count opening the problems behind it.
    seed_round.plan_due_date = today() - datetime.timedelta(days=1)
    seed_round.save()
    s.log_in("alice", OFFICE_PASSWORD)
    page.click(".site-nav a:has-text('逾期督办')")
    page.wait_for_selector("#board")
    late = page.locator("#board tr:has-text('木垒县东城镇党委') a.due-overdue").first
    count = int(late.inner_text())
    assert count == Problem.objects.filter(round=seed_round, unit=problem.unit).count() - 1
    shot("08-office-board")
    late.click()
    page.wait_for_selector("#items")
    assert page.locator("#items tbody tr").count() == count
