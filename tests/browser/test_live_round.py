"""A live round from its first day, in real headless Chromium.

The office sets up a new round from nothing (round, group with its leader, a unit not yet in the
register, problems pasted as text); one problem then goes through plan, return, approval,
progress with evidence, sign-off request and sign-off. At each step the test looks at what each
participant's 待办 and notifications say.
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
from xuncha.inspections.models import Problem, Round
from xuncha.workflow.models import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADER_PASSWORD = "Xuncha-leader-2026!"
UNIT = "木垒县雀仁乡党委"
BLOCK = """1.村“两委”班子议事规则执行不到位，重大事项未经集体研究。
2.村级后备干部储备不足，
年龄结构老化。"""


def _notifications(page: Any) -> str:
    return page.inner_text(".site-user a:has-text('通知')")


def test_a_round_set_up_from_nothing_runs_one_problem_to_sign_off(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any, settings: Any,
    tmp_path: Path,
) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    # The group leader is an existing 巡察组 user (from an earlier round's group).
    create_user("wang", Role.GROUP, group="第一巡察组", password=LEADER_PASSWORD,
                full_name="王组长")
    s = Session(page, live_server.url, shot)
    evidence = tmp_path / "会议记录.pdf"
    evidence.write_bytes(real_pdf("minutes of the village committee"))
    due = today() + datetime.timedelta(days=60)

    # 1. The office creates the round, its group (leader 王组长) and a unit new to the register.
    s.log_in("alice", OFFICE_PASSWORD)
    page.click(".site-nav a:has-text('巡察轮次')")
    page.click("#round-create")
    page.fill("#id_term", "十二届")
    page.fill("#id_number", "6")
    page.check("input[name=kinds][value=regular]")
    page.fill("#id_inspection_start", "2026-03-01")
    page.fill("#id_inspection_end", "2026-04-30")
    page.click("#round-form button[type=submit]")
    s.says("已新建十二届昌吉州党委第六轮巡察")
    page.fill("#id_group_name", "第一巡察组")
    page.click("#group-add button[type=submit]")
    s.says("已组建第一巡察组")
    page.click("#groups tr:has-text('第一巡察组') >> text=调整成员")
    page.select_option("#id_leader", label="王组长（wang）")
    page.click("#group-form button[type=submit]")
    s.says("第一巡察组已保存")
    page.fill("#id_unit", UNIT)
    page.fill("#id_region", "木垒县")
    page.select_option("#id_group", label="第一巡察组")
    page.click("#inspection-add button[type=submit]")
    s.says(f"已添加被巡察单位“{UNIT}”")

    # 2. Feedback: two problems pasted as a block, checked, saved.
    page.click(f"#units >> text={UNIT}")
    page.fill("#id_block", BLOCK)
    page.click("#problems-paste button[type=submit]")
    page.wait_for_selector("h1:has-text('核对反馈问题（2 个）')")
    assert page.input_value("#id_form-1-text") == "村级后备干部储备不足，年龄结构老化。"
    page.click("#paste-preview button[name=confirm]")
    s.says("已录入反馈问题 2 个")
    shot("01-office-set-up")
    s.log_out()

    round_ = Round.objects.get(committee=seed_round.committee, number=6)
    problem = Problem.objects.get(round=round_, order=1)
    # The unit's account: made the way `xuncha createuser` makes it.
    create_user("queren", Role.UNIT, unit=UNIT, password=UNIT_PASSWORD, full_name="雀仁乡 马")

    # 3. The unit lands on an empty 待办, drafts a measure and submits its plan.
    s.log_in("queren", UNIT_PASSWORD)
    assert page.url.endswith("/todo/")
    assert page.locator("#nav-todo .badge").count() == 0
    s.open_problem(problem)
    page.fill("#id_content", "修订村“两委”议事规则，重大事项一律集体研究并留存记录")
    page.fill("#id_leader", "马书记")
    page.fill("#id_department", "乡党建办")
    page.fill("#id_due_date", f"{due:%Y-%m-%d}")
    page.click("#measure-add button[type=submit]")
    s.says("已新增整改措施1")
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    s.log_out()

    # 4. The group leader (a member of the new round's group, not scoped to it the old way)
    # finds the plan in 待办 and is notified; so is the office.
    s.log_in("wang", LEADER_PASSWORD)
    assert page.inner_text("#nav-todo .badge") == "1"
    assert "问题1" in page.inner_text("#todo-plan_review")
    assert _notifications(page) == "通知（1）"
    page.click(".site-user a:has-text('通知')")
    assert f"{UNIT}报送了1个整改方案，待审核" in page.inner_text(".notification.unread")
    shot("02-leader-notified")
    s.log_out()
    s.log_in("alice", OFFICE_PASSWORD)
    assert _notifications(page) == "通知（1）"
    assert "问题1" in page.inner_text("#todo-plan_review")

    # 5. The office returns the plan with a reason.
    page.click("#todo-plan_review a:has-text('问题1')")
    page.fill("#plan-decide textarea", "请写明议事规则修订的时间节点")
    page.click("#plan-decide button[value=return]")
    s.says("整改方案已退回修改")
    s.log_out()

    # 6. The unit sees the reason in 待办, in a notification and on the problem; it resubmits.
    s.log_in("queren", UNIT_PASSWORD)
    assert "请写明议事规则修订的时间节点" in page.inner_text("#todo-returned")
    assert _notifications(page) == "通知（1）"
    page.click("#todo-returned a")
    assert "请写明议事规则修订的时间节点" in page.inner_text("#plan-returned-reason")
    shot("03-unit-sees-reason")
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    s.log_out()

    # 7. The group leader approves it from the 待办; nothing is left for the group there.
    s.log_in("wang", LEADER_PASSWORD)
    page.click("#todo-plan_review a:has-text('问题1')")
    page.click("#plan-decide button[value=approve]")
    s.says("整改方案已批准")
    page.click("#nav-todo")
    assert page.inner_text("#todo-plan_review .badge") == "0"
    s.log_out()

    # 8. The unit reports the measure done, with evidence: a sign-off request.
    s.log_in("queren", UNIT_PASSWORD)
    s.open_problem(problem)
    m = problem.measures.get().pk
    page.fill(f"#id_progress-{m}-content", "已修订议事规则并经村民代表会议通过")
    page.select_option(f"#id_progress-{m}-status", "done")
    page.set_input_files(f"#id_progress-{m}-evidence", str(evidence))
    page.click(f"#progress-{m} button[type=submit]")
    s.says("并申请销号")
    s.log_out()

    # 9. The office finds the request in 待办, is notified, and signs it off.
    s.log_in("alice", OFFICE_PASSWORD)
    assert "措施1" in page.inner_text("#todo-sign_off_review")
    page.click(".site-user a:has-text('通知')")
    assert f"{UNIT}申请销号1项，待验收" in page.inner_text(".notification.unread")
    s.open_problem(problem)
    page.fill(f"#id_review-{m}-comment", "同意销号")
    page.click(f"#review-{m} button[value=approve]")
    s.says("整改措施1已销号")
    assert page.inner_text("#problem-status") == "已销号"
    page.click("#nav-todo")
    assert page.inner_text("#todo-sign_off_review .badge") == "0"
    shot("04-office-signs-off")
    s.log_out()

    # 10. The unit is told; its 待办 holds nothing about this problem any more.
    s.log_in("queren", UNIT_PASSWORD)
    page.click(".site-user a:has-text('通知')")
    assert "1项整改措施已销号" in page.inner_text(".notification.unread")
    page.click("#nav-todo")
    assert "问题1" not in page.inner_text("main")
    shot("05-unit-notified")
