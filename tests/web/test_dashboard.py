"""The round and committee dashboards: tables beside the charts, data for the charts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def _data(page: str) -> dict[str, Any]:
    start = page.index('<script id="dashboard-data" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_round_dashboard_tables_and_chart_data(as_: Callable[[str], Client],
                                               seed_round: Round) -> None:
    page = as_("office").get(f"/rounds/{seed_round.pk}/dashboard/").content.decode()
    assert "vendor/echarts/echarts.min.js" in page and "xuncha/dashboard.js" in page
    assert 'id="chart-unit"' in page and 'id="chart-leader"' in page
    assert f"/search/?round={seed_round.pk}&amp;unit=" in page
    data = _data(page)
    assert data["base"] == {"round": seed_round.pk}
    assert [chart["name"] for chart in data["charts"]] == ["unit", "levels", "county", "group",
                                                           "category", "leader", "trend"]
    assert sum(row["total"] for row in data["charts"][0]["rows"]) == 21


def test_a_unit_sees_its_own_row_only(as_: Callable[[str], Client], people: dict[str, Any],
                                      seed_round: Round) -> None:
    page = as_("unit_a").get(f"/rounds/{seed_round.pk}/dashboard/").content.decode()
    rows = _data(page)["charts"][0]["rows"]
    assert [row["label"] for row in rows] == ["木垒县东城镇党委"]
    assert "奇台县七户乡党委" not in page


def test_committee_dashboard_and_its_filters(as_: Callable[[str], Client],
                                             seed_round: Round) -> None:
    client = as_("office")
    page = client.get("/dashboard/").content.decode()
    assert "十二届昌吉州党委第五轮巡察" in page
    assert _data(page)["charts"][0]["rows"][0]["total"] == 21
    empty = client.get("/dashboard/", {"year": "2001", "committee": "x"}).content.decode()
    assert _data(empty)["charts"][0]["rows"] == []


def test_the_vendored_echarts_carries_its_licence() -> None:
    from pathlib import Path

    import xuncha

    vendor = Path(xuncha.__file__).parent / "web" / "static" / "vendor" / "echarts"
    assert "Apache" in (vendor / "LICENSE").read_text()
    assert (vendor / "echarts.min.js").stat().st_size > 500_000


def test_the_problem_page_shows_quality_flags(as_: Callable[[str], Client],
                                              seed_round: Round) -> None:
    from xuncha.inspections.models import Problem

    problem = Problem.objects.get(round=seed_round, text__contains="郑家庄村")
    page = as_("office").get(f"/problems/{problem.pk}/").content.decode()
    assert 'id="quality-flags"' in page and "未回应问题要点" in page
    assert "整改情况未提及问题中的：郑家庄村、柳树庄村" in page


def _book(response: Any) -> Any:
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _overdue_measure(seed_round: Round, unit: str, leader: str) -> None:
    import datetime

    from xuncha.inspections.models import Measure, Problem

    problem = Problem.objects.filter(round=seed_round, unit__name=unit).order_by("order")[0]
    Measure.objects.create(problem=problem, content="逾期措施", leader=leader,
                           due_date=datetime.date(2000, 1, 3))


def test_round_xlsx_has_every_table_and_the_pages_numbers(
        as_: Callable[[str], Client], seed_round: Round) -> None:
    _overdue_measure(seed_round, "木垒县东城镇党委", "=HYPERLINK(\"http://x\",\"y\")")
    client = as_("office")
    book = _book(client.get(f"/rounds/{seed_round.pk}/dashboard/", {"export": "xlsx"}))
    assert book.sheetnames == ["合计", "按被巡察单位", "按县市", "按巡察组", "按问题类别",
                               "按责任领导（整改措施）", "销号趋势"]
    api = client.get(f"/api/rounds/{seed_round.pk}/stats").json()
    header = [cell.value for cell in book["按被巡察单位"][1]]
    rows = {row[0]: dict(zip(header, row, strict=False))
            for row in book["按被巡察单位"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {row["label"] for row in api["unit"]}
    for row in api["unit"]:
        assert rows[row["label"]]["问题数"] == row["total"]
        assert rows[row["label"]]["已销号"] == row["statuses"]["signed_off"]
        assert rows[row["label"]]["已逾期"] == row["levels"]["overdue"]
        assert rows[row["label"]]["整改方案逾期"] == row["late_plans"]
    totals = [cell.value for cell in book["合计"][4]]
    assert totals[:2] == ["合计", 21]
    # A leader named like a formula stays text.
    leaders = book["按责任领导（整改措施）"]
    [cell] = [c for c in leaders["A"] if str(c.value).startswith("=HYPERLINK")]
    assert cell.data_type == "s"
    assert sum(r[1] for r in book["销号趋势"].iter_rows(min_row=2, values_only=True)) == 0
    assert [c.value for c in book["销号趋势"][2]][2] == 1  # the one due date's week


def test_committee_xlsx_and_year_filter(as_: Callable[[str], Client], seed_round: Round) -> None:
    client = as_("office")
    year = seed_round.inspection_start.year  # type: ignore[union-attr]
    page = client.get("/dashboard/").content.decode()
    assert f'<option value="{year}">{year}年</option>' in page
    assert f"year={year}" not in page  # the export link carries only the filters in use
    book = _book(client.get("/dashboard/", {"year": year, "export": "xlsx"}))
    assert book.sheetnames == ["合计", "按轮次", "按年度（进驻时间）", "按县市", "按问题类别",
                               "销号趋势"]
    rounds = list(book["按轮次"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rounds] == [("十二届昌吉州党委第五轮巡察", 21)]
    empty = _book(client.get("/dashboard/", {"year": "2001", "export": "xlsx"}))
    assert list(empty["按轮次"].iter_rows(min_row=2, values_only=True)) == []


def test_levels_in_their_colours_and_the_trend_table(as_: Callable[[str], Client],
                                                     seed_round: Round) -> None:
    _overdue_measure(seed_round, "奇台县七户乡党委", "王书记")
    page = as_("office").get(f"/rounds/{seed_round.pk}/dashboard/").content.decode()
    assert 'id="chart-levels"' in page and 'id="chart-trend"' in page
    assert '<span class="due-overdue">1</span>' in page
    levels = next(c for c in _data(page)["charts"] if c["name"] == "levels")
    assert [row["label"] for row in levels["rows"]] == ["奇台县七户乡党委"]
    trend = next(c for c in _data(page)["charts"] if c["name"] == "trend")
    assert trend["rows"][0]["week"] == "2000-01-03" and trend["rows"][0]["cum_due"] == 1


def test_the_unit_export_holds_its_own_figures_only(as_: Callable[[str], Client],
                                                    seed_round: Round) -> None:
    _overdue_measure(seed_round, "奇台县七户乡党委", "王书记")
    client = as_("unit_a")
    book = _book(client.get(f"/rounds/{seed_round.pk}/dashboard/", {"export": "xlsx"}))
    units = [r[0] for r in book["按被巡察单位"].iter_rows(min_row=2, values_only=True)]
    assert units == ["木垒县东城镇党委"]
    assert [r[0] for r in book["按责任领导（整改措施）"].iter_rows(min_row=2,
                                                                  values_only=True)] == []
    committee = _book(client.get("/dashboard/", {"export": "xlsx"}))
    assert [c.value for c in committee["合计"][4]][1] == 3
    supervisor = _book(as_("supervisor").get("/dashboard/", {"export": "xlsx"}))
    assert [c.value for c in supervisor["合计"][4]][1] == 21
    assert as_("unit_a").get("/rounds/999999/dashboard/", {"export": "xlsx"}).status_code == 404


def test_recurrence_per_unit_on_the_round_dashboard(as_: Callable[[str], Client],
                                                    seed_round: Round) -> None:
    from tests.similar.conftest import later_round_bytes
    from xuncha.inspections.importer import import_notice
    from xuncha.inspections.models import Problem
    from xuncha.notices.parse import parse_document

    data = later_round_bytes()
    later = import_notice(parse_document(data, "changji-12-6.txt"), filename="changji-12-6.txt",
                          content=data).round
    page = as_("office").get(f"/rounds/{later.pk}/dashboard/").content.decode()
    units = next(c for c in _data(page)["charts"] if c["name"] == "unit")["rows"]
    for row in units:  # the seed notice again: every problem has its earlier twin
        assert row["recurrence"] == Problem.objects.filter(round=later, unit=row["key"]).count()
    assert "<th class=\"num\">屡查屡犯</th>" in page
    first = _data(as_("office").get(f"/rounds/{seed_round.pk}/dashboard/").content.decode())
    assert all(row["recurrence"] == 0 for row in first["charts"][0]["rows"])
    mine = as_("unit_a").get(f"/api/rounds/{later.pk}/stats").json()
    assert [row["recurrence"] for row in mine["unit"]] == [3]
    assert mine["totals"]["recurrence"] == 3


def test_a_long_breakdown_is_cut_on_the_page_not_in_the_export(
        as_: Callable[[str], Client], problem_a: Any) -> None:
    from xuncha.inspections.models import Measure
    from xuncha.web.views.dashboard import MAX_ROWS

    Measure.objects.bulk_create(Measure(problem=problem_a, content="措施", leader=f"领导{n:03}")
                                for n in range(MAX_ROWS + 5))
    client = as_("office")
    url = f"/rounds/{problem_a.round_id}/dashboard/"
    page = client.get(url).content.decode()
    leaders = next(c for c in _data(page)["charts"] if c["name"] == "leader")
    assert len(leaders["rows"]) == MAX_ROWS and leaders["more"] == 5
    assert "另有 5 行未显示" in page
    book = _book(client.get(url, {"export": "xlsx"}))
    assert book["按责任领导（整改措施）"].max_row == MAX_ROWS + 5 + 1
    assert len(client.get(f"/api/rounds/{problem_a.round_id}/stats").json()["leader"]) == \
        MAX_ROWS + 5
