"""The office's own pages in real headless Chromium: deadlines, recording a problem, clue
handover and users."""

from __future__ import annotations

import re
from typing import Any

import pytest

from xuncha.inspections.models import ProblemCategory, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sets_deadlines_records_a_problem_and_adds_a_user(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    # Transactional tests empty every table afterwards, the data migrations' rows included.
    ProblemCategory.objects.get_or_create(name="基层党组织建设", defaults={"code": "3"})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".site-user")
    page.click(".site-nav a:has-text('巡察轮次')")  # login lands on 待办

    # Deadlines on the round page; a date that does not exist is refused.
    page.click("text=十二届昌吉州党委第五轮巡察")
    page.fill("#id_plan_due_date", "2024-01-20")
    page.fill("#id_rectification_due_date", "2023-12-31")
    page.click("#deadlines button[type=submit]")
    page.wait_for_selector(
        "#deadlines .errorlist:has-text('集中整改期截止日不能早于整改方案报送时限')"
    )
    shot("1-deadlines-refused")
    page.fill("#id_rectification_due_date", "2024-03-31")
    page.click("#deadlines button[type=submit]")
    page.wait_for_selector(".messages li.success:has-text('整改时限已保存')")
    assert "2024年3月31日" in page.inner_text("dl.facts")
    shot("2-deadlines-saved")

    # A new problem for a unit, marked 立行立改.
    page.click("text=木垒县东城镇党委")
    page.fill("#id_text", "村级组织“三会一课”记录不规范")
    page.select_option("#id_category", label="基层党组织建设")
    page.check("#id_immediate")
    page.click("#problem-add button[type=submit]")
    page.wait_for_selector(".messages li.success:has-text('已录入反馈问题4')")
    assert "“三会一课”记录不规范" in page.inner_text("#problem-text")
    shot("3-problem-recorded")

    # Its clue handed to 组织部, follow-up due three months later by default.
    page.select_option("#id_receiver", "organisation")
    page.fill("#id_handed_over_on", "2024-01-31")
    page.click("#clue-handover button[type=submit]")
    page.wait_for_selector(
        ".messages li.success:has-text('已移交组织部，请于 2024年4月30日 前反馈办理结果')"
    )
    shot("4-clue-handed-over")

    # A new unit user; the password is shown once.
    page.click("nav >> text=用户管理")
    page.fill("#id_username", "qihu")
    page.fill("#id_full_name", "七户乡 李")
    page.select_option("#id_role", "unit")
    page.select_option("#id_unit", label="奇台县七户乡党委")
    page.click("#user-create button[type=submit]")
    page.wait_for_selector("#created")
    assert re.fullmatch(r"\S{8,}", page.inner_text("#new-password"))
    assert "七户乡 李" in page.inner_text("#users")
    shot("5-user-created")
