"""The office sets a live round up from nothing in real headless Chromium: the round with two
kinds, two groups with their leader and members, two units (one from the register, one new),
and three problems pasted as a block, checked in the preview and saved."""

from __future__ import annotations

from typing import Any

import pytest

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem, ProblemCategory, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCK = """一、落实“三会一课”制度不严格，会议记录不规范。
二、村集体资金管理不规范，
存在白条入账问题。
三、后备干部培养不足。"""


def test_the_office_sets_up_a_round_and_pastes_its_problems(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    # Transactional tests empty every table afterwards, the data migrations' rows included.
    ProblemCategory.objects.get_or_create(
        code="3", defaults={"name": "基层党组织建设", "keywords": "三会一课、后备干部"})
    for username, full_name in (("wang", "王组长"), ("li", "李组员"), ("zhao", "赵组长"),
                                ("qian", "钱组员")):
        create_user(username, Role.GROUP, group="第一巡察组", full_name=full_name)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".site-user")
    page.click(".site-nav a:has-text('巡察轮次')")  # login lands on 待办

    # 新建轮次 with two kinds.
    page.click("#round-create")
    assert page.input_value("#id_committee") == "昌吉州党委"
    page.fill("#id_term", "十二届")
    page.fill("#id_number", "6")
    page.check("input[name=kinds][value=regular]")
    page.check("input[name=kinds][value=special]")
    page.fill("#id_special_subject", "乡村振兴")
    page.fill("#id_inspection_start", "2026-03-01")
    page.fill("#id_inspection_end", "2026-04-30")
    shot("1-new-round")
    page.click("#round-form button[type=submit]")
    page.wait_for_selector(".messages li.success:has-text('已新建十二届昌吉州党委第六轮巡察')")
    assert "常规巡察" in page.inner_text("dl.facts")
    assert "乡村振兴专项巡察" in page.inner_text("dl.facts")

    # Two groups, each with its leader and a member.
    for name, leader, member in (("第一巡察组", "王组长（wang）", "李组员（li）"),
                                 ("第二巡察组", "赵组长（zhao）", "钱组员（qian）")):
        page.fill("#id_group_name", name)
        page.click("#group-add button[type=submit]")
        page.wait_for_selector(f".messages li.success:has-text('已组建{name}')")
        page.click(f"#groups tr:has-text('{name}') >> text=调整成员")
        page.select_option("#id_leader", label=leader)
        page.get_by_label(member).check()
        page.click("#group-form button[type=submit]")
        page.wait_for_selector(f".messages li.success:has-text('{name}已保存')")
    groups = page.inner_text("#groups")
    assert "王组长（wang）" in groups and "钱组员（qian）" in groups
    shot("2-groups")

    # Two units: one from the register, one added on the spot.
    page.fill("#id_unit", "木垒县东城镇党委")
    page.select_option("#id_group", label="第一巡察组")
    page.click("#inspection-add button[type=submit]")
    page.wait_for_selector(".messages li.success:has-text('已添加被巡察单位“木垒县东城镇党委”')")
    page.fill("#id_unit", "木垒县雀仁乡党委")
    page.fill("#id_region", "木垒县")
    page.select_option("#id_group", label="第二巡察组")
    page.click("#inspection-add button[type=submit]")
    page.wait_for_selector(".messages li.success:has-text('已添加被巡察单位“木垒县雀仁乡党委”')")
    units = page.inner_text("#units")
    assert "木垒县东城镇党委" in units and "木垒县雀仁乡党委" in units and "第二巡察组" in units
    shot("3-units")

    # Three problems pasted as a block, checked in the preview, saved at once.
    page.click("#units >> text=木垒县东城镇党委")
    page.fill("#id_block", BLOCK)
    page.click("#problems-paste button[type=submit]")
    page.wait_for_selector("h1:has-text('核对反馈问题（3 个）')")
    assert page.input_value("#id_form-1-text") == "村集体资金管理不规范，存在白条入账问题。"
    assert page.eval_on_selector("#id_form-0-category", "e => e.selectedOptions[0].text") == (
        "基层党组织建设")
    page.check("#id_form-1-immediate")
    page.fill("#id_form-2-text", "村级后备干部培养不足。")
    shot("4-preview")
    page.click("#paste-preview button[name=confirm]")
    page.wait_for_selector(".messages li.success:has-text('已录入反馈问题 3 个（序号 1–3）')")
    listed = page.inner_text("ol.problems")
    assert "落实“三会一课”制度不严格" in listed and "村级后备干部培养不足。" in listed
    assert page.locator("ol.problems > li").count() == 3
    shot("5-saved")
    round_ = Round.objects.get(number=6)
    saved = Problem.objects.filter(round=round_).order_by("order")
    assert [(p.order, p.immediate) for p in saved] == [(1, False), (2, True), (3, False)]

    # The new unit is in the register, placed under 木垒县; the round's setup is in its history.
    page.click("nav >> text=单位名录")
    page.fill("#register-search input[name=q]", "雀仁")
    page.click("#register-search button[type=submit]")
    assert "木垒县 › 雀仁乡" in page.inner_text("#units")
    shot("6-register")
    page.goto(f"{live_server.url}/rounds/{round_.pk}/edit/")
    history = page.inner_text("#round-history")
    for action in ("新建轮次", "新增巡察组", "修改巡察组", "添加被巡察单位"):
        assert action in history, action
    shot("7-round-history")
