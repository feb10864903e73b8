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
    assert [chart["name"] for chart in data["charts"]] == ["unit", "county", "group",
                                                           "category", "leader"]
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
