"""Search in real headless Chromium: the header box, marked snippets, a facet, a hit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_cycle import OFFICE_PASSWORD, Session
from xuncha.inspections.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_a_two_character_word_from_the_header(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    s = Session(page, live_server.url, shot)
    s.log_in("alice", OFFICE_PASSWORD)
    page.fill("#site-search-q", "资金")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".search-hit")
    count = int(page.inner_text("#search-count strong"))
    assert count == page.locator(".search-hit").count() > 1
    assert page.locator(".search-hit mark").first.inner_text() == "资金"
    shot("01-search-results")
    unit = page.locator("#facet-unit li").first
    expected = int(unit.locator(".muted").inner_text())
    unit.locator("a").click()
    page.wait_for_selector("#facet-unit a.active")
    assert int(page.inner_text("#search-count strong")) == expected
    shot("02-filtered-by-unit")
    page.locator(".search-hit a").first.click()
    page.wait_for_url("**/problems/*/**")
    assert "资金" in page.inner_text("main")
    shot("03-problem-found")
