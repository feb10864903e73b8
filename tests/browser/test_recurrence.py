"""The analysis pages in real headless Chromium, as the issue's "done" asks: search a
two-character word, click a chart bar on the round dashboard through to the filtered list, and
open a 屡查屡犯 link from a problem page to the earlier problem (the seed round imported twice,
as 第五轮 and a later 第六轮)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_cycle import OFFICE_PASSWORD, Session
from tests.similar.conftest import later_round  # noqa: F401 - the fixture
from xuncha.inspections.models import Problem, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_a_chart_bar_and_a_recurrence_link(
    live_server: Any, page: Any, shot: Any, seed_round: Round, later_round: Round,  # noqa: F811
    alice: Any,
) -> None:
    s = Session(page, live_server.url, shot)
    s.log_in("alice", OFFICE_PASSWORD)
    # 1. A two-character word from the header's search box.
    page.fill("#site-search-q", "资金")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".search-hit")
    assert page.locator(".search-hit mark").first.inner_text() == "资金"
    assert int(page.inner_text("#search-count strong")) == page.locator(".search-hit").count()
    shot("01-search")
    # 2. The later round's dashboard: a bar opens the problems behind it.
    page.goto(f"{live_server.url}/rounds/{later_round.pk}/dashboard/")
    page.wait_for_selector("#chart-unit .chart[data-ready=true] canvas")
    first = page.locator("#chart-unit table tbody tr").first
    label = first.locator("td").nth(0).inner_text()
    total = int(first.locator("td").nth(1).inner_text())
    x, y = page.evaluate(
        """(total) => {
            const el = document.querySelector('#chart-unit .chart');
            const chart = echarts.getInstanceByDom(el);
            const point = chart.convertToPixel({seriesIndex: 0}, [total / 2, 0]);
            const box = el.getBoundingClientRect();
            return [box.left + point[0], box.top + point[1]];
        }""",
        total,
    )
    page.mouse.click(x, y)
    page.wait_for_url("**/search/?**")
    assert f"round={later_round.pk}" in page.url
    assert page.locator(".search-hit").count() == total
    assert all(label in page.locator(".search-hit").nth(i).inner_text() for i in range(total))
    shot("02-bar-to-list")
    # 3. A problem of the later round links to the same problem fed back in 第五轮.
    page.locator(".search-hit a").first.click()
    page.wait_for_url("**/problems/*/")
    link = page.locator("#recurrence .recurrence-link a").first
    assert "曾于 十二届第五轮 反馈" in link.inner_text()
    earlier = int(link.get_attribute("data-earlier"))
    shot("03-problem-with-recurrence")
    link.click()
    page.wait_for_url(f"**/problems/{earlier}/")
    found = Problem.objects.get(pk=earlier)
    assert found.round_id == seed_round.pk
    assert seed_round.display_name in page.inner_text(".crumbs")
    shot("04-earlier-problem")
