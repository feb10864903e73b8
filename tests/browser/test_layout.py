"""The unit page and the problem page on a phone (390 px) and on paper (print media).

On a phone nothing may scroll the page sideways, long unbroken strings included; printed, the
pages show their facts, measures and history without navigation, forms or buttons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.documents import real_pdf
from tests.workflow.conftest import MEASURE
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem, Round
from xuncha.workflow import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zhenggai-2024-layout!"
PHONE = {"width": 390, "height": 844}
LONG = "https://example.org/" + "x" * 160  # one unbroken run, far wider than a phone


@pytest.fixture
def problem(seed_round: Round, settings: Any, tmp_path: Path) -> Problem:
    """A problem with an approved plan, a long measure, progress, evidence and a history."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    unit = create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password=PASSWORD).user
    office = create_user("office", Role.OFFICE, password=PASSWORD).user
    problem = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    measure = services.add_measure(unit, problem, MEASURE | {"content": f"见 {LONG}"})
    services.submit_plan(unit, problem)
    services.decide_plan(office, problem, "approve")
    services.report_progress(unit, measure, content=f"进展材料见 {LONG}", status="in_progress",
                             files=[(f"{'签到表' * 20}.pdf", real_pdf("sheet"))])
    return problem


def _log_in(page: Any, base: str, username: str = "dongcheng") -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".site-user")


def _page_width(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def _visible_forms(page: Any) -> int:
    return int(page.evaluate(
        "Array.from(document.querySelectorAll('form, button'))"
        ".filter(e => e.getClientRects().length > 0).length"
    ))


@pytest.mark.parametrize("which", ["unit", "problem"])
def test_the_page_fits_a_phone_and_prints_without_navigation_or_forms(
    live_server: Any, page: Any, shot: Any, problem: Problem, which: str
) -> None:
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url)
    url = {
        "unit": f"/rounds/{problem.round_id}/units/{problem.unit_id}/",
        "problem": f"/problems/{problem.pk}/",
    }[which]
    page.goto(live_server.url + url)
    page.wait_for_selector("h1")
    assert _page_width(page) <= PHONE["width"]
    assert page.is_visible(".site-nav")
    shot("phone")
    if which == "problem":
        assert page.is_visible("#progress-" + str(problem.measures.get().pk))

    page.emulate_media(media="print")
    assert not page.is_visible(".site-header")
    assert not page.is_visible(".site-nav")
    assert _visible_forms(page) == 0
    assert page.is_visible("dl.facts")
    if which == "problem":
        assert page.is_visible("#history") and page.is_visible("#measures")
        assert "报告整改进展" in page.inner_text("#history")
    else:
        assert page.is_visible("ol.problems")
    shot("print")


def test_the_problem_page_prints_on_a4_without_widening(
    live_server: Any, page: Any, problem: Problem, tmp_path: Path
) -> None:
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    page.wait_for_selector("#history")
    pdf = page.pdf(format="A4", path=str(tmp_path / "problem.pdf"))
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 680, "height": 960})  # A4's printable width at 96 dpi
    assert _page_width(page) <= 680


def test_the_office_forms_fit_a_phone_too(
    live_server: Any, page: Any, shot: Any, problem: Problem
) -> None:
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "office")
    for url in (f"/rounds/{problem.round_id}/", f"/rounds/{problem.round_id}/units/"
                f"{problem.unit_id}/", f"/problems/{problem.pk}/"):
        page.goto(live_server.url + url)
        page.wait_for_selector("h1")
        assert _page_width(page) <= PHONE["width"], url
    assert page.is_visible("#clue-handover")
    shot("office-problem")
