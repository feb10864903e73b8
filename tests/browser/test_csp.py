"""Real Chromium enforces the Content-Security-Policy: the pages and Swagger UI still work, and
nothing they do is refused."""

from __future__ import annotations

from typing import Any

import pytest

from xuncha.inspections.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def refusals(page: Any) -> list[str]:
    """Collects the browser's CSP refusals (console errors and securitypolicyviolation events)."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text
            else None)
    return found


def test_swagger_ui_runs_under_the_policy(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any
) -> None:
    refused = refusals(page)
    # The docs and the schema they load need a login (a session here).
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#nav-todo")
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "xuncha 巡察整改 API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path")
    assert "/api/problems" in page.inner_text(".swagger-ui")
    shot("api-docs")
    assert refused == []


def test_the_site_pages_run_under_the_policy(
    live_server: Any, page: Any, seed_round: Round, alice: Any
) -> None:
    refused = refusals(page)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-office-pw-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#nav-todo")  # login lands on 待办
    page.click(".site-nav a:has-text('巡察轮次')")
    page.click("text=十二届昌吉州党委第五轮巡察")
    page.wait_for_selector("#units")
    problem = seed_round.problems.order_by("unit", "order").first()
    assert problem is not None
    for path in ("/todo/", f"/problems/{problem.pk}/", "/board/", "/users/", "/units/",
                 "/notifications/", "/clues/", "/users/import/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(".site-user")
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("#site-name")
    assert refused == []
