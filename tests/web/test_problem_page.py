"""The problem page: what each role sees, the history, due-date colours, and hostile text."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.models import Problem
from xuncha.workflow import services
from xuncha.workflow.models import Evidence, today

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def _page(client: Client, problem: Problem) -> str:
    return client.get(reverse("problem-detail", args=[problem.pk])).content.decode()


def test_the_history_shows_who_did_what_with_old_and_new(
    as_: As, people: Any, problem_a: Problem
) -> None:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem_a, MEASURE)
    services.edit_measure(unit, measure, MEASURE | {"due_date": "2024-04-30"}, version=1)
    services.submit_plan(unit, problem_a)
    services.decide_plan(office, problem_a, "return", "请明确完成标准")
    html = _page(as_("supervisor"), problem_a)
    history = html.split('id="history"')[1]
    for text in ["新增整改措施", "修改整改措施", "报送整改方案", "退回整改方案", "unit_a", "office",
                 "<del>2024年3月31日</del> → 2024年4月30日",
                 "<del>已报送待审核</del> → 已退回修改", "请明确完成标准", "措施1"]:
        assert text in history, text
    assert history.index("新增整改措施") < history.index("退回整改方案")


@pytest.mark.parametrize(
    ("days", "level", "words"),
    [(40, "ok", ""), (15, "notice", "剩余 15 天"), (5, "warning", "剩余 5 天"),
     (-3, "overdue", "逾期 3 天")],
)
def test_due_dates_are_coloured_by_the_settings(
    as_: As, people: Any, problem_a: Problem, days: int, level: str, words: str
) -> None:
    due = today() + datetime.timedelta(days=days)
    services.add_measure(people["unit_a"], problem_a, MEASURE | {"due_date": due})
    html = _page(as_("office"), problem_a)
    assert f'class="due due-{level}"' in html
    assert words in html


def test_a_signed_off_measure_is_not_coloured(as_: As, people: Any, problem_a: Problem) -> None:
    overdue = today() - datetime.timedelta(days=3)
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE | {"due_date": overdue})
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    services.review_measure(people["office"], measure, "approve")
    html = _page(as_("office"), problem_a)
    assert "due-overdue" not in html and not re.search(r"逾期 \d+ 天", html)


def test_hostile_text_everywhere_is_shown_escaped(
    as_: As, people: Any, seed_round: Any, problem_a: Problem
) -> None:
    unit_user = people["unit_a"]
    unit_user.first_name = SCRIPT
    unit_user.save()
    unit, office, supervisor = as_("unit_a"), as_("office"), as_("supervisor")
    hostile_measure = {k: SCRIPT for k in ["content", "leader", "department", "standard"]}
    assert unit.post(reverse("measure-add", args=[problem_a.pk]),
                     MEASURE | hostile_measure).status_code == 302
    measure = problem_a.measures.get()
    unit.post(reverse("plan-submit", args=[problem_a.pk]))
    office.post(reverse("plan-decide", args=[problem_a.pk]),
                {"decision": "return", "comment": SCRIPT})
    unit.post(reverse("plan-submit", args=[problem_a.pk]))
    office.post(reverse("plan-decide", args=[problem_a.pk]), {"decision": "approve"})
    key = f"progress-{measure.pk}"
    assert unit.post(reverse("progress-report", args=[measure.pk]), {
        f"{key}-content": SCRIPT, f"{key}-status": "done",
        f"{key}-evidence": SimpleUploadedFile(f"{SCRIPT}.pdf", PDF),
    }).status_code == 302
    review = f"review-{measure.pk}"
    office.post(reverse("measure-review", args=[measure.pk]),
                {f"{review}-decision": "return", f"{review}-comment": SCRIPT})
    office.post(reverse("clue-handover", args=[problem_a.pk]),
                {"receiver": "discipline", "handed_over_on": "2024-01-31", "note": SCRIPT})
    handover = problem_a.handovers.get()
    outcome = f"outcome-{handover.pk}"
    supervisor.post(reverse("clue-outcome", args=[handover.pk]), {f"{outcome}-outcome": SCRIPT})
    office.post(reverse("problem-add", args=[seed_round.pk, problem_a.unit_id]), {"text": SCRIPT})

    pages = [_page(client, problem_a) for client in (unit, office, supervisor)]
    pages.append(office.get(reverse("unit-detail", args=[seed_round.pk, problem_a.unit_id]))
                 .content.decode())
    pages.append(office.get(reverse("user-list")).content.decode())
    added = Problem.objects.get(text=SCRIPT)
    pages.append(_page(office, added))
    pages.append(unit.get(reverse("measure-edit", args=[measure.pk])).content.decode())
    for html in pages:
        assert "<script>" not in html and "<img src=x" not in html
    office_page = pages[1]
    # Every field, the comments, the evidence name and the actor's name are there, escaped.
    assert office_page.count(ESCAPED) >= 10
    name = Evidence.objects.get().original_name  # the upload keeps only what follows a "/"
    assert "<img" in name and escape(name) in office_page


def test_hostile_input_in_a_refused_form_is_escaped_too(as_: As, problem_a: Problem) -> None:
    response = as_("unit_a").post(reverse("measure-add", args=[problem_a.pk]),
                                  MEASURE | {"leader": SCRIPT, "due_date": SCRIPT})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>" not in html and ESCAPED in html
