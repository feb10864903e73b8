"""Dismissing quality flags, the round's 整改评估 page and xlsx, the weights page."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from xuncha.assessment import services
from xuncha.assessment.models import FlagDismissal
from xuncha.assessment.queries import flag_counts, problem_quality
from xuncha.inspections.importer import import_notice
from xuncha.inspections.ledger import export_round
from xuncha.inspections.models import Problem, Round
from xuncha.notices.parse import parse_document
from xuncha.workflow.history import verify_chain, verify_states
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db
SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "real-shapes"


def _flagged(round_: Round) -> Problem:
    return Problem.objects.get(round=round_, text__contains="郑家庄村")


def test_the_office_dismisses_a_flag_with_a_reason(as_: Callable[[str], Client],
                                                   seed_round: Round) -> None:
    problem = _flagged(seed_round)
    unit = problem.unit_id
    assert flag_counts(Problem.objects.filter(round=seed_round))[unit] == 3
    reason = "两村核销问题已在台账中逐项说明"
    response = as_("office").post(f"/problems/{problem.pk}/quality/dismiss/",
                                  {"code": "unaddressed", "reason": reason})
    assert response.status_code == 302
    judged = problem_quality(problem)
    assert judged.live == [] and judged.dismissed[0].dismissal.reason.startswith("两村")
    assert flag_counts(Problem.objects.filter(round=seed_round))[unit] == 2
    event = Event.objects.get(action=Action.QUALITY_FLAG_DISMISSED)
    assert event.problem_id == problem.pk and "两村核销问题" in event.comment
    # The signed history still verifies and still explains every status.
    assert list(verify_chain()) == [] and verify_states() == []
    page = as_("office").get(f"/problems/{problem.pk}/").content.decode()
    assert 'id="dismissed-flags"' in page and "两村核销问题已在台账中逐项说明" in page
    assert "已排除" in page
    assert "排除整改质量提示" in page  # the entry in the 操作记录 at the bottom


def test_a_flag_comes_back_when_its_text_changes(people: dict[str, Any],
                                                 seed_round: Round) -> None:
    problem = _flagged(seed_round)
    services.dismiss_flag(people["office"], problem, "unaddressed", "已说明")
    assert problem_quality(problem).live == []
    problem.published_rectification += "另组织财务人员复核。"
    problem.save()
    assert [f.code for f in problem_quality(problem).live] == ["unaddressed"]
    assert FlagDismissal.objects.count() == 1  # kept on record, no longer standing


def test_only_the_office_dismisses_and_a_reason_is_required(
        as_: Callable[[str], Client], seed_round: Round) -> None:
    problem = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    flagged = _flagged(seed_round)
    url = f"/problems/{flagged.pk}/quality/dismiss/"
    assert as_("supervisor").post(url, {"code": "unaddressed", "reason": "x"}).status_code == 403
    assert as_("unit_a").post(url, {"code": "unaddressed", "reason": "x"}).status_code == 404
    assert as_("office").post(url, {"code": "unaddressed", "reason": " "}).status_code == 400
    # A flag the problem does not have cannot be dismissed.
    refused = as_("office").post(f"/problems/{problem.pk}/quality/dismiss/",
                                 {"code": "vague", "reason": "无"})
    assert refused.status_code == 400
    assert not FlagDismissal.objects.exists()


def test_the_round_page_counts_flags_per_unit(as_: Callable[[str], Client],
                                              seed_round: Round) -> None:
    page = as_("office").get(f"/rounds/{seed_round.pk}/").content.decode()
    assert '<td class="num quality-count">3</td>' in page
    assert f'href="/rounds/{seed_round.pk}/evaluation/"' in page


def test_the_ledger_export_ends_with_the_flags(seed_round: Round) -> None:
    from xuncha.ledgers.read import read_ledger

    data = export_round(seed_round)
    # Read back, the column is passed over without a note: it is ours, not the office's.
    assert not [f for f in read_ledger(data).findings if "质量提示" in f.reason]
    book = openpyxl.load_workbook(io.BytesIO(data))
    for title, header_row in (("整改台账", 2), ("逐行", 1)):
        rows = list(book[title].iter_rows(values_only=True))
        assert rows[header_row - 1][-1] == "质量提示"
        cells = [row[-1] for row in rows[header_row:] if row[-1]]
        assert any("未回应问题要点：整改情况未提及问题中的：郑家庄村、柳树庄村" in c for c in cells)
        assert len(cells) == 5  # the seed round's five flagged problems


def test_the_office_reads_every_unit_ranked_with_its_formulas(
        as_: Callable[[str], Client], seed_round: Round) -> None:
    page = as_("office").get(f"/rounds/{seed_round.pk}/evaluation/").content.decode()
    assert page.count('<tr data-unit="') == 7
    assert "已销号×1 + 长期坚持×1" in page and "综合得分 = Σ(权重 × 分项得分)" in page
    # 乐土驿镇 carries three flags of three problems: quality 0, ranked last.
    assert page.index("乐土驿镇党委</a>") > page.index("木垒县东城镇党委</a>")


def test_a_unit_reads_only_its_own_row_and_place(as_: Callable[[str], Client],
                                                 seed_round: Round) -> None:
    page = as_("unit_b").get(f"/rounds/{seed_round.pk}/evaluation/").content.decode()
    assert page.count('<tr data-unit="') == 1
    assert "奇台县七户乡党委" in page and "共7个" in page
    assert "乐土驿镇党委" not in page.split('id="evaluation-benchmarks"')[0]


def test_the_evaluation_exports_to_xlsx_with_text_kept_as_text(
        as_: Callable[[str], Client], seed_round: Round) -> None:
    import_notice(parse_document((SHAPES / "12-round-summary-figures.txt").read_bytes(),
                                 "12.txt"), filename="12.txt",
                  content=(SHAPES / "12-round-summary-figures.txt").read_bytes())
    response = as_("office").get(f"/rounds/{seed_round.pk}/evaluation.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["评估结果"].iter_rows(values_only=True))
    assert rows[1][:3] == ("名次", "被巡察单位", "综合得分")
    assert len(rows) == 2 + 7 and rows[2][0] == 1
    assert rows[-1][1] == "玛纳斯县乐土驿镇党委"
    bench = list(book["对标"].iter_rows(values_only=True))
    assert bench[1][0].startswith("十二届昌吉州党委第五轮巡察")
    assert any(row[1] == "云岭市委" for row in bench[2:] if row and row[1])


def test_the_weights_are_data_the_office_edits(as_: Callable[[str], Client],
                                               seed_round: Round) -> None:
    office = as_("office")
    assert office.get("/evaluation/weights/").status_code == 200
    bad = office.post("/evaluation/weights/", {"completion": 90, "timeliness": 20, "quality": 15,
                                               "recurrence": 10, "effect": 15})
    assert bad.status_code == 400 and "之和须为 100" in bad.content.decode()
    weights = {"completion": 0, "timeliness": 0, "quality": 100, "recurrence": 0, "effect": 0}
    assert office.post("/evaluation/weights/", weights).status_code == 302
    event = Event.objects.get(action=Action.EVALUATION_WEIGHTS_CHANGED)
    assert event.changes["weight_quality"] == [15, 100]
    page = office.get(f"/rounds/{seed_round.pk}/evaluation/").content.decode()
    # Quality alone: the units without flags share first place at 100.
    assert page.count("第1名") == 4
    assert list(verify_chain()) == []
    assert as_("supervisor").get("/evaluation/weights/").status_code == 404


def test_the_facts_count_late_sign_offs_overdue_measures_and_figures(
        people: dict[str, Any], problem_a: Problem, django_assert_max_num_queries: Any) -> None:
    import datetime

    from tests.workflow.conftest import MEASURE, PDF
    from xuncha.assessment.queries import unit_facts
    from xuncha.workflow import services as workflow

    unit, office = people["unit_a"], people["office"]
    late = workflow.add_measure(unit, problem_a, MEASURE)  # due 2024-03-31
    still_open = workflow.add_measure(unit, problem_a, MEASURE | {"content": "建立台账"})
    workflow.submit_plan(unit, problem_a)
    workflow.decide_plan(office, problem_a, "approve")
    workflow.report_progress(unit, late, content="全部完成", status="done",
                             files=[("签到表.pdf", PDF)],
                             figures={"disciplined": 2, "rules": [{"name": "后备干部管理办法"}]})
    workflow.review_measure(office, late, "approve", "同意销号")
    workflow.report_progress(unit, still_open, content="推进中", status="in_progress")
    with django_assert_max_num_queries(16):
        facts = {f.unit: f for f in unit_facts(problem_a.round, datetime.date(2026, 1, 1), {})}
    mine = facts["木垒县东城镇党委"]
    assert (mine.measures, mine.overdue, mine.signed_late) == (2, 1, 1)
    assert (mine.rules, mine.accountable, mine.recurrences) == (1, 2, 0)
    assert len(facts) == 7 and facts["奇台县七户乡党委"].measures == 0


def test_a_group_reads_the_rows_of_the_units_it_inspected(
        as_: Callable[[str], Client], seed_round: Round) -> None:
    page = as_("group1").get(f"/rounds/{seed_round.pk}/evaluation/").content.decode()
    assert page.count('<tr data-unit="') == 1 and "木垒县东城镇党委" in page
    assert as_("supervisor").get(
        f"/rounds/{seed_round.pk}/evaluation/").content.decode().count('<tr data-unit="') == 7
