from __future__ import annotations

from typing import Any

import pytest

from xuncha.inspections.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_office_user_walks_from_rounds_to_a_problem(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("button[type=submit]")

    page.wait_for_selector("#nav-todo")  # login lands on 待办
    page.click(".site-nav a:has-text('巡察轮次')")
    page.wait_for_selector("text=十二届昌吉州党委第五轮巡察")
    shot("1-rounds")
    page.click("text=十二届昌吉州党委第五轮巡察")

    page.wait_for_selector("#units")
    assert page.locator("#units tbody tr").count() == 7
    body = page.inner_text("body")
    for fact in ["常规巡察", "基层组织建设专项巡察", "2023年8月29日 至 2023年10月26日",
                 "2023年12月"]:
        assert fact in body
    shot("2-round")

    page.click("text=阜康市阜新街道党工委")
    page.wait_for_selector("ol.problems")
    assert page.locator("ol.problems li").count() == 3
    shot("3-unit")

    page.click("ol.problems li:nth-child(2) a")
    page.wait_for_selector("#problem-text")
    assert "临时救助资金" in page.inner_text("#problem-text")
    assert "15个工作日内完成审批流程" in page.inner_text("#rectification-text")
    shot("4-problem")


def test_a_wrong_password_is_refused_in_chinese(live_server: Any, page: Any, alice: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector(".error")
    assert "用户名或密码不正确" in page.inner_text(".error")
