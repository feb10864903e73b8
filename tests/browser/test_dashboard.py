"""The round dashboard in real headless Chromium: ECharts draws under the strict CSP, the PNG
download works, and clicking a bar opens the problems behind it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_cycle import OFFICE_PASSWORD, Session
from xuncha.inspections.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_click_a_chart_bar_through_to_the_list(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    import datetime

    from xuncha.inspections.models import Measure, Problem

    # An overdue measure, so the levels and trend charts have something to draw.
    Measure.objects.create(problem=Problem.objects.filter(round=seed_round).earliest("id"),
                           content="逾期措施", leader="张书记", due_date=datetime.date(2024, 1, 8))
    s = Session(page, live_server.url, shot)
    s.log_in("alice", OFFICE_PASSWORD)
    page.goto(f"{live_server.url}/rounds/{seed_round.pk}/")
    page.click("#round-dashboard-link")
    page.wait_for_selector("#chart-unit .chart[data-ready=true] canvas")
    page.hover("#chart-unit .chart canvas")  # the tooltip too must draw under the CSP
    page.wait_for_selector("#chart-levels .chart[data-ready=true] canvas")
    page.wait_for_selector("#chart-trend .chart[data-ready=true] canvas")
    assert page.locator("#chart-levels .due-overdue").first.inner_text() == "1"
    shot("01-round-dashboard")
    with page.expect_download() as download:
        page.click("#chart-unit button.chart-png")
    assert download.value.suggested_filename == "按被巡察单位.png"
    # The first unit's bar (all its problems are 未启动 in the seed round): its middle.
    first = page.locator("#chart-unit table tbody tr").first
    label, total = first.locator("td").nth(0).inner_text(), int(
        first.locator("td").nth(1).inner_text())
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
    assert "status=not_started" in page.url and f"round={seed_round.pk}" in page.url
    assert int(page.inner_text("#search-count strong")) == total
    hits = page.locator(".search-hit")
    assert hits.count() == total
    assert all(label in hits.nth(i).inner_text() for i in range(total))
    shot("02-problems-behind-the-bar")
    assert not [e for e in errors if "Content Security Policy" in e], errors
