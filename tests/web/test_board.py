from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Problem
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_measures(
    people: dict[str, Any], problem_a: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xuncha.web.views.board.today", lambda: datetime.date(2024, 3, 1))
    monkeypatch.setattr("xuncha.workflow.models.today", lambda: datetime.date(2024, 3, 1))
    for due, leader in [
        ("2024-02-01", "张书记"),
        ("2024-03-05", "王镇长"),
        ("2024-09-01", "张书记"),
    ]:
        services.add_measure(
            people["unit_a"], problem_a, MEASURE | {"due_date": due, "leader": leader}
        )
    other = Problem.objects.get(round=problem_a.round, unit__name="奇台县七户乡党委", order=1)
    services.add_measure(
        people["unit_b"], other, MEASURE | {"due_date": "2024-01-10", "leader": "李乡长"}
    )


def test_the_board_lists_units_with_their_counts(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    html = as_("office").get(reverse("overdue-board")).content.decode()
    assert "已逾期 2 项，即将到期 1 项" in html
    assert html.index("奇台县七户乡党委") > 0 and html.index("木垒县东城镇党委") > 0


def test_a_groups_board_export_holds_only_its_units(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    book = load_workbook(io.BytesIO(export_board(as_("group1"), "unit")))
    units = {row[0] for row in book["明细"].iter_rows(min_row=2, values_only=True)}
    assert units == {"木垒县东城镇党委"}
    assert [row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)] == [
        "木垒县东城镇党委"]


def test_a_board_export_without_its_form_fields_queues_nothing(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    from xuncha.jobs.models import Job

    response = as_("office").post(reverse("board-export"), {"by": "everything"})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_a_group_sees_only_its_units(as_: Callable[[str], Client], due_measures: None) -> None:
    html = as_("group1").get(reverse("overdue-board")).content.decode()
    assert "木垒县东城镇党委" in html
    assert "奇台县七户乡党委" not in html


def export_board(client: Client, by: str, sort: str = "overdue") -> bytes:
    """导出 Excel on the board: the job it queues, run as the worker would, and its file."""
    from xuncha.jobs import services as jobs
    from xuncha.jobs.models import Job

    response = client.post(reverse("board-export"), {"by": by, "sort": sort})
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert (job.kind, job.status, job.round_id) == (Job.Kind.BOARD_EXPORT, "queued", None)
    jobs.run_board_export(job.pk, "w1")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "下载逾期督办表" in page
    download = client.get(reverse("job-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    return b"".join(download.streaming_content)


def test_the_board_by_leader_exports_to_xlsx(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    book = load_workbook(io.BytesIO(export_board(as_("office"), "leader", "oldest")))
    summary = [row for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "责任领导"
    assert [row[0] for row in summary[1:]] == ["李乡长", "张书记", "王镇长"]
    assert summary[2][2] == 1  # 张书记: one overdue, the September one is not yet due soon
    detail = list(book["明细"].iter_rows(values_only=True))
    assert len(detail) == 1 + 3


# --- late plans, colours, the items behind a count, batch actions ----------------------------

UNIT_A, UNIT_B = "木垒县东城镇党委", "奇台县七户乡党委"


@pytest.fixture
def late_plans(people: dict[str, Any], problem_a: Problem) -> None:
    """The round's plans were due 2024-02-01; unit B was fed back later (its own 2024-04-01)."""
    from xuncha.inspections.models import Inspection

    round_ = problem_a.round
    round_.plan_due_date = datetime.date(2024, 2, 1)
    round_.save()
    Inspection.objects.filter(round=round_, unit__name=UNIT_B).update(
        plan_due_date=datetime.date(2024, 4, 1)
    )


def _unit_id(name: str) -> int:
    from xuncha.inspections.models import PartyOrganisation

    return PartyOrganisation.objects.get(name=name).pk


def test_the_board_counts_late_plans_against_each_units_own_deadline(
    as_: Callable[[str], Client], due_measures: None, late_plans: None, problem_a: Problem
) -> None:
    unapproved = Problem.objects.filter(round=problem_a.round, unit__name=UNIT_A).count()
    late = Problem.objects.filter(round=problem_a.round).exclude(unit__name=UNIT_B).count()
    html = as_("office").get(reverse("overdue-board")).content.decode()
    assert f"整改方案逾期 {late} 个" in html
    items = reverse("board-items")
    assert f'href="{items}?kind=late_plan&unit={_unit_id(UNIT_A)}">{unapproved}</a>' in html
    assert f"kind=late_plan&unit={_unit_id(UNIT_B)}" not in html  # B's deadline is April
    page = as_("office").get(f"{items}?kind=late_plan&unit={_unit_id(UNIT_A)}").content.decode()
    assert page.count('<span class="due due-overdue">2024年2月1日</span>') == unapproved


def test_each_count_shows_its_colour_and_opens_the_measures_behind_it(
    as_: Callable[[str], Client], due_measures: None
) -> None:
    html = as_("office").get(reverse("overdue-board")).content.decode()
    for level in ("overdue", "warning"):
        assert f'class="due due-{level}" href="{reverse("board-items")}?kind={level}' in html
    assert 'class="board-row level-overdue"' in html
    items = as_("office").get(
        reverse("board-items") + f"?kind=overdue&unit={_unit_id(UNIT_A)}"
    ).content.decode()
    assert "2024年2月1日" in items and "2024年3月5日" not in items and "李乡长" not in items
    by_leader = as_("office").get(
        reverse("board-items") + "?kind=warning&leader=王镇长"
    ).content.decode()
    assert "2024年3月5日" in by_leader and "2024年2月1日" not in by_leader
    assert as_("office").get(reverse("board-items") + "?kind=nonsense").status_code == 404


def test_the_board_is_counted_in_sql_not_per_measure(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem,
    late_plans: None, django_assert_max_num_queries: Any,
) -> None:
    from xuncha.inspections.models import Measure

    client = as_("office")
    with django_assert_max_num_queries(12):
        client.get(reverse("overdue-board"))
    Measure.objects.bulk_create(
        Measure(problem=problem, content="措施", leader=f"领导{n}", due_date="2024-02-01")
        for n, problem in enumerate(Problem.objects.filter(round=problem_a.round))
    )
    with django_assert_max_num_queries(12):
        html = client.get(reverse("overdue-board")).content.decode()
    assert "已逾期" in html


def test_the_office_supervises_selected_units_with_a_note(
    as_: Callable[[str], Client], people: dict[str, Any], due_measures: None
) -> None:
    from xuncha.workflow.models import Action, Event, Notification

    office = as_("office")
    board_html = office.get(reverse("overdue-board")).content.decode()
    assert 'data-confirm="向勾选的 {n} 个单位发送督办通知？"' in board_html
    assert "xuncha/form-aids.js" in board_html and "<script>" not in board_html
    url = reverse("overdue-board") + "?sort=name"
    html = office.post(reverse("board-supervise"), {
        "unit": [_unit_id(UNIT_A)], "note": "逾期措施请于3日内报告", "next": url,
    }, follow=True).content.decode()
    assert f"已督办 1 个单位：{UNIT_A}" in html
    # A unit out of scope is named and skipped; the others still go through.
    partly = as_("office").post(reverse("board-supervise"), {
        "unit": [999999, _unit_id(UNIT_B)], "note": "请抓紧"}, follow=True).content.decode()
    assert "被巡察单位（编号 999999）不存在或不在你的范围内" in partly
    assert f"已督办 1 个单位：{UNIT_B}" in partly
    note = Notification.objects.get(kind="supervised", user=people["unit_a"])
    assert "逾期措施请于3日内报告" in note.body
    assert Event.objects.filter(action=Action.SUPERVISED).count() == 2
    refused = office.post(reverse("board-supervise"), {"unit": [_unit_id(UNIT_A)], "note": ""},
                          follow=True)
    assert "请填写" in refused.content.decode()
    assert Event.objects.filter(action=Action.SUPERVISED).count() == 2
    assert as_("group1").post(reverse("board-supervise"), {
        "unit": [_unit_id(UNIT_A)], "note": "x"}).status_code == 403
    # Groups act on measures, not units: no 督办 checkboxes for them.
    assert 'name="unit"' not in as_("group1").get(reverse("overdue-board")).content.decode()


def test_a_reviewer_signs_off_several_measures_each_recorded_and_failures_named(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem
) -> None:
    from tests.web.factories import measure_under_review
    from xuncha.inspections.models import Measure
    from xuncha.workflow.models import Action, Event

    problems = Problem.objects.filter(round=problem_a.round, unit__name=UNIT_A).order_by("order")
    first, second = measure_under_review(problems[0]), measure_under_review(problems[1])
    other = Problem.objects.get(round=problem_a.round, unit__name=UNIT_B, order=1)
    theirs = measure_under_review(other)
    page = as_("group1").get(reverse("board-items") + "?kind=pending").content.decode()
    assert f'value="{first.pk}"' in page and f'value="{theirs.pk}"' not in page
    assert 'data-confirm="确定将勾选的 {n} 项整改措施销号？"' in page
    html = as_("group1").post(reverse("board-review"), {
        "measure": [first.pk, second.pk, theirs.pk], "decision": "approve",
        "next": reverse("board-items") + "?kind=pending",
    }, follow=True).content.decode()
    assert "已销号 2 项整改措施" in html
    assert f"整改措施（编号 {theirs.pk}）不存在或不在你的范围内" in html
    assert set(Measure.objects.filter(status="signed_off").values_list("pk", flat=True)) == {
        first.pk, second.pk
    }
    assert Event.objects.filter(action=Action.SIGNED_OFF).count() == 2
    again = as_("office").post(reverse("board-review"), {
        "measure": [first.pk], "decision": "return", "comment": "重新核查"}, follow=True)
    assert "只有“已完成待验收”或“长期坚持待确认”的措施可以退回" in again.content.decode()
    no_reason = as_("office").post(reverse("board-review"), {
        "measure": [theirs.pk], "decision": "return"}, follow=True)
    assert "请填写意见" in no_reason.content.decode()
    assert Measure.objects.get(pk=theirs.pk).status == "pending_review"


def test_the_round_and_unit_pages_show_the_deadline_colours(
    as_: Callable[[str], Client], due_measures: None, late_plans: None, problem_a: Problem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("xuncha.web.views.pages.today", lambda: datetime.date(2024, 3, 1))
    monkeypatch.setattr("xuncha.web.templatetags.xuncha_web.today",
                        lambda: datetime.date(2024, 3, 1))
    round_html = as_("office").get(
        reverse("round-detail", args=[problem_a.round_id])
    ).content.decode()
    row = round_html[round_html.index(UNIT_A):]
    row = row[:row.index("</tr>")]
    assert '<span class="due due-overdue">已逾期 1</span>' in row
    assert '<span class="due due-warning">即将到期 1</span>' in row
    assert '<span class="due due-overdue">方案逾期' in row
    unit_html = as_("unit_a").get(
        reverse("unit-detail", args=[problem_a.round_id, problem_a.unit_id])
    ).content.decode()
    assert '<span class="due due-overdue">整改方案逾期</span>' in unit_html
    assert '<span class="due due-overdue">已逾期 1 项</span>' in unit_html
    assert '<span class="due due-warning">即将到期 1 项</span>' in unit_html


# --- throughput: the board's rows a page at a time ---


def test_the_board_shows_its_rows_a_page_at_a_time_with_totals_over_all(
    as_: Callable[[str], Client], due_measures: None, settings: Any
) -> None:
    settings.PAGE_SIZE = 2
    office = as_("office")
    leaders = ("张书记", "王镇长", "李乡长")
    pages = [office.get(reverse("overdue-board") + f"?by=leader&sort=name&page={n}")
             .content.decode() for n in (1, 2)]
    shown = [[name for name in leaders if f"<td>{name}</td>" in html] for html in pages]
    assert [len(names) for names in shown] == [2, 1]
    assert sorted(shown[0] + shown[1]) == sorted(leaders)
    for html in pages:  # the totals count every row, not just the page's
        assert "已逾期 2 项，即将到期 1 项" in html
        assert "共 2 页（3 行）" in html
    assert "page=2" in pages[0] and "page=1" in pages[1]
