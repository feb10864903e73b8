"""Replacing and withdrawing evidence on the problem page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Action, Event, Evidence

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]


@pytest.fixture
def item(people: dict[str, Any], problem_a: Problem) -> Evidence:
    unit = people["unit_a"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.submit_plan(unit, problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    services.report_progress(unit, measure, content="推进", status="in_progress",
                             files=[("签到表.pdf", PDF)])
    return Evidence.objects.get()


def _page(client: Client, item: Evidence) -> str:
    return client.get(reverse("problem-detail", args=[item.measure.problem_id])).content.decode()


def test_the_unit_sees_replace_and_withdraw_others_do_not(as_: As, item: Evidence) -> None:
    html = _page(as_("unit_a"), item)
    assert f'id="supersede-{item.pk}"' in html and f'id="withdraw-{item.pk}"' in html
    assert 'data-confirm="确定撤回佐证材料“签到表.pdf”' in html
    for name in ("office", "group1", "supervisor"):
        other = _page(as_(name), item)
        assert f'id="supersede-{item.pk}"' not in other and "签到表.pdf" in other


def test_replacing_keeps_the_old_file_marked_superseded(as_: As, item: Evidence) -> None:
    client = as_("unit_a")
    newer = SimpleUploadedFile("签到表（补全）.pdf", PDF + b"%2", content_type="application/pdf")
    response = client.post(reverse("evidence-supersede", args=[item.pk]), {"file": newer})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#measure-{item.measure_id}")
    html = client.get(response["Location"]).content.decode()
    assert "已用“签到表（补全）.pdf”替换“签到表.pdf”" in html
    assert f'<li class="evidence evidence-superseded" id="evidence-{item.pk}">' in html
    assert "已替换" in html and "由“签到表（补全）.pdf”替换" in html
    assert f'id="supersede-{item.pk}"' not in html  # the old one can no longer be replaced
    assert '<td class="nowrap">替换佐证材料' in html  # and the history says so
    assert Evidence.objects.count() == 2


def test_a_bad_replacement_is_refused_at_the_top_and_nothing_changes(
    as_: As, item: Evidence
) -> None:
    text = SimpleUploadedFile("假.pdf", "这是文本".encode(), content_type="application/pdf")
    response = as_("unit_a").post(reverse("evidence-supersede", args=[item.pk]), {"file": text})
    assert response.status_code == 400
    assert "不是可接受的佐证材料类型" in response.content.decode()
    item.refresh_from_db()
    assert item.is_current and Evidence.objects.count() == 1


def test_withdrawing_marks_it_and_records_the_reason(as_: As, item: Evidence) -> None:
    client = as_("unit_a")
    response = client.post(reverse("evidence-withdraw", args=[item.pk]), {"comment": "传错文件"},
                           follow=True)
    html = response.content.decode()
    assert "已撤回佐证材料“签到表.pdf”" in html
    assert f'<li class="evidence evidence-withdrawn" id="evidence-{item.pk}">' in html
    assert "已撤回" in html and "传错文件" in html
    event = Event.objects.filter(action=Action.EVIDENCE_WITHDRAWN).get()
    assert event.comment == "传错文件"


def test_no_change_while_the_measure_waits_for_review(
    as_: As, people: dict[str, Any], item: Evidence
) -> None:
    measure = Measure.objects.get()
    services.report_progress(people["unit_a"], measure, content="完成", status="done")
    client = as_("unit_a")
    assert f'id="withdraw-{item.pk}"' not in _page(client, item)
    response = client.post(reverse("evidence-withdraw", args=[item.pk]))
    assert response.status_code == 400
    assert "已完成待验收，不能再撤回佐证材料" in response.content.decode()
    item.refresh_from_db()
    assert item.is_current


def test_only_the_unit_may_replace_or_withdraw(as_: As, item: Evidence) -> None:
    url = reverse("evidence-withdraw", args=[item.pk])
    assert as_("office").post(url).status_code == 403
    assert as_("group1").post(url).status_code == 403
    assert as_("unit_b").post(url).status_code == 404
    item.refresh_from_db()
    assert item.is_current
