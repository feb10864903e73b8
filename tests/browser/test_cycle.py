"""The whole rectification cycle in real headless Chromium, as the people who do it click it.

A unit user drafts a measure and submits the plan; the office returns it once, the unit fixes
and resubmits, the office approves. The unit reports 已完成 with a PDF uploaded through the file
input; the office returns it once, the unit adds evidence, the office signs it off (销号). The
problem's history shows all of it. Each step leaves a screenshot in test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.documents import real_pdf
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import Problem, Round
from xuncha.workflow.models import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNIT_PASSWORD = "Zhenggai-2024-plan!"
OFFICE_PASSWORD = "alice-office-pw-1"  # the alice fixture's


class Session:
    """One browser tab, used by one person after another (log in, act, log out)."""

    def __init__(self, page: Any, base: str, shot: Any) -> None:
        self.page, self.base, self.shot = page, base, shot

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("form[action='/login/'] button[type=submit]")
        self.page.wait_for_selector(".site-user")

    def log_out(self) -> None:
        self.page.click(".site-user button")
        self.page.wait_for_selector("#id_username")

    def open_problem(self, problem: Problem) -> None:
        self.page.goto(f"{self.base}/problems/{problem.pk}/")
        self.page.wait_for_selector("#history")

    def says(self, text: str) -> None:
        """The page shows ``text`` in its success message."""
        self.page.wait_for_selector(f".messages li.success:has-text('{text}')")


def test_a_unit_and_the_office_walk_the_whole_cycle(
    live_server: Any, page: Any, shot: Any, seed_round: Round, alice: Any, settings: Any,
    tmp_path: Path,
) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    create_user("dongcheng", Role.UNIT, unit="木垒县东城镇党委", password=UNIT_PASSWORD,
                full_name="东城镇 王")
    problem = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    first_pdf, second_pdf = tmp_path / "培训签到表.pdf", tmp_path / "补充材料.pdf"
    first_pdf.write_bytes(real_pdf("training sign-in sheet"))
    second_pdf.write_bytes(real_pdf("further evidence"))
    s = Session(page, live_server.url, shot)
    due = today() + datetime.timedelta(days=15)  # inside the notice period: coloured

    # 1. The unit logs in through the form, finds its problem and drafts a measure.
    s.log_in("dongcheng", UNIT_PASSWORD)
    page.click(".site-nav a:has-text('巡察轮次')")  # login lands on 待办
    page.click("text=十二届昌吉州党委第五轮巡察")
    page.click("text=木垒县东城镇党委")
    page.click("ol.problems li:nth-child(1) a")
    page.wait_for_selector("#measure-add")
    page.fill("#id_content", "制定村级后备干部培养计划，每村建立后备干部人才库")
    page.fill("#id_leader", "张书记")
    page.fill("#id_department", "镇党建办")
    page.fill("#id_due_date", f"{due:%Y-%m-%d}")
    page.fill("#id_standard", "每村储备后备干部不少于4名")
    page.click("#measure-add button[type=submit]")
    s.says("已新增整改措施1")
    m = problem.measures.get().pk
    assert "剩余 15 天" in page.inner_text(f"#measure-{m} .due-notice")
    shot("01-unit-drafts-measure")

    # 2. The unit submits the plan.
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    assert page.inner_text("#plan-state") == "已报送待审核"
    shot("02-unit-submits-plan")
    s.log_out()

    # 3. The office returns the plan once, with a reason.
    s.log_in("alice", OFFICE_PASSWORD)
    s.open_problem(problem)
    page.click("#plan-decide button[value=return]")  # without a reason: refused
    page.wait_for_selector("#plan-decide .errorlist:has-text('退回时请填写退回理由')")
    page.fill("#plan-decide textarea", "请把整改标准量化为每村不少于6名")
    page.click("#plan-decide button[value=return]")
    s.says("整改方案已退回修改")
    assert page.inner_text("#plan-state") == "已退回修改"
    shot("03-office-returns-plan")
    s.log_out()

    # 4. The unit fixes the measure and submits again.
    s.log_in("dongcheng", UNIT_PASSWORD)
    s.open_problem(problem)
    assert "请把整改标准量化为每村不少于6名" in page.inner_text("#history")
    page.click(f"#measure-{m} a:has-text('修改')")
    page.wait_for_selector("#measure-edit")
    page.fill("#id_standard", "每村储备后备干部不少于6名")
    shot("04a-unit-edits-measure")
    page.click("#measure-edit button[type=submit]")
    s.says("整改措施1已保存")
    page.click("#plan-submit button")
    s.says("整改方案已报送")
    shot("04-unit-resubmits-plan")
    s.log_out()

    # 5. The office approves the plan.
    s.log_in("alice", OFFICE_PASSWORD)
    s.open_problem(problem)
    page.click("#plan-decide button[value=approve]")
    s.says("整改方案已批准")
    assert page.inner_text("#plan-state") == "已批准"
    shot("05-office-approves-plan")
    s.log_out()

    # 6. The unit reports 已完成 with a PDF uploaded through the file input.
    s.log_in("dongcheng", UNIT_PASSWORD)
    s.open_problem(problem)
    page.fill(f"#id_progress-{m}-content", "已制定培养计划，完成首批后备干部培训")
    page.select_option(f"#id_progress-{m}-status", "done")
    page.set_input_files(f"#id_progress-{m}-evidence", str(first_pdf))
    shot("06a-unit-fills-progress")
    page.click(f"#progress-{m} button[type=submit]")
    s.says("并申请销号，上传佐证材料 1 份")
    assert "培训签到表.pdf" in page.inner_text(f"#measure-{m} .evidence-list")
    assert "已完成待验收" in page.inner_text(f"#measure-{m} header")
    shot("06-unit-reports-done-with-evidence")
    s.log_out()

    # 7. The office opens the evidence, then returns the measure once with a reason.
    s.log_in("alice", OFFICE_PASSWORD)
    s.open_problem(problem)
    with page.expect_download() as download:
        page.click(f"#measure-{m} .evidence-list a")
    assert download.value.suggested_filename == "培训签到表.pdf"
    assert Path(download.value.path()).read_bytes() == first_pdf.read_bytes()
    page.fill(f"#id_review-{m}-comment", "佐证材料不全，请补充后备干部名册")
    page.click(f"#review-{m} button[value=return]")
    s.says("整改措施1已退回整改")
    assert "退回整改" in page.inner_text(f"#measure-{m} header")
    shot("07-office-returns-measure")
    s.log_out()

    # 8. The unit fixes it: new progress and new evidence, asking for sign-off again.
    s.log_in("dongcheng", UNIT_PASSWORD)
    s.open_problem(problem)
    assert "佐证材料不全，请补充后备干部名册" in page.inner_text("#history")
    page.fill(f"#id_progress-{m}-content", "已补充各村后备干部名册")
    page.select_option(f"#id_progress-{m}-status", "done")
    page.set_input_files(f"#id_progress-{m}-evidence", str(second_pdf))
    page.click(f"#progress-{m} button[type=submit]")
    s.says("并申请销号")
    shot("08-unit-adds-evidence")
    s.log_out()

    # 9. The office signs it off (销号); the problem is 已销号.
    s.log_in("alice", OFFICE_PASSWORD)
    s.open_problem(problem)
    page.fill(f"#id_review-{m}-comment", "同意销号")
    page.click(f"#review-{m} button[value=approve]")
    s.says("整改措施1已销号")
    assert page.inner_text("#problem-status") == "已销号"
    shot("09-office-signs-off")

    # 10. The history shows all of it, in order.
    history = page.inner_text("#history")
    steps = ["新增整改措施", "报送整改方案", "退回整改方案", "修改整改措施", "报送整改方案",
             "批准整改方案", "报告整改进展", "上传佐证材料", "申请销号", "退回整改",
             "报告整改进展", "上传佐证材料", "申请销号", "销号"]
    actions = [row.split("\t")[2].split("\n")[0]
               for row in page.locator("#history tbody tr").all_inner_texts()]
    assert actions == steps
    for text in ["东城镇 王（dongcheng）", "巡察办 Alice（alice）",
                 "请把整改标准量化为每村不少于6名", "每村储备后备干部不少于4名",
                 "每村储备后备干部不少于6名", "培训签到表.pdf", "补充材料.pdf",
                 "佐证材料不全，请补充后备干部名册", "同意销号", "已销号"]:
        assert text in history, text
    page.locator("#history").scroll_into_view_if_needed()
    shot("10-history")
