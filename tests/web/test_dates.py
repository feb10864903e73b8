"""Dates read 2026年12月5日 on every page; date inputs stay ISO; report dates are not in the
future; a 完成时限 already past is saved with a warning."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import xuncha.web
from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import today

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
TEMPLATES = Path(xuncha.web.__file__).parent / "templates"


def test_no_template_formats_a_date_the_iso_way() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r'\|date:"[^"]*Y-m-d[^"]*"', path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "use |date or |date:\"DATETIME_FORMAT\" (2026年12月5日): " + str(
        offenders
    )


def test_the_problem_page_shows_chinese_dates_and_iso_inputs(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE | {"due_date": "2026-12-05"})
    html = as_("unit_a").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert "2026年12月5日" in html
    assert "2026-12-05" not in html
    assert 'type="date" name="due_date"' in html  # the input stays <input type=date>


def test_a_report_dated_tomorrow_is_refused_beside_the_field(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    client = as_("unit_a")
    page = client.get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert f'max="{today().isoformat()}"' in page
    key = f"progress-{measure.pk}"
    tomorrow = today() + datetime.timedelta(days=1)
    response = client.post(reverse("progress-report", args=[measure.pk]), {
        f"{key}-content": "推进", f"{key}-status": "in_progress",
        f"{key}-reported_on": tomorrow.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"报告日期 {tomorrow.year}年{tomorrow.month}月{tomorrow.day}日 晚于今天" in html
    assert not Measure.objects.get().progress.exists()


def test_a_past_due_date_is_saved_with_a_warning(as_: As, problem_a: Problem) -> None:
    client = as_("unit_a")
    url = reverse("measure-add", args=[problem_a.pk])
    html = client.post(url, MEASURE | {"due_date": "2024-03-31"}, follow=True).content.decode()
    assert "已新增整改措施1" in html
    assert "注意：整改措施1的完成时限 2024年3月31日 已过" in html
    assert Measure.objects.count() == 1

    ahead = (today() + datetime.timedelta(days=30)).isoformat()
    html = client.post(url, MEASURE | {"due_date": ahead}, follow=True).content.decode()
    assert "已新增整改措施2" in html and "已过" not in html


def test_editing_to_a_past_due_date_warns_too(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(
        people["unit_a"], problem_a, MEASURE | {"due_date": "2099-01-01"}
    )
    data = MEASURE | {"due_date": "2020-01-02", "version": measure.version}
    html = as_("unit_a").post(reverse("measure-edit", args=[measure.pk]), data,
                              follow=True).content.decode()
    assert "整改措施1已保存" in html and "完成时限 2020年1月2日 已过" in html
