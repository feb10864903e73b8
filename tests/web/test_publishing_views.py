"""Publishing in the web UI: figures on the progress form, the notice's wording, 不宜公开,
发布 and the difference page, the unit's report, and the public page /gongkai/."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import docx
import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem, ProgressReport, PublishedNotice, Round
from xuncha.notices.parse import parse_document
from xuncha.workflow import publishing, rounds, services

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
RELEASE = {"confirm": "release"}


@pytest.fixture
def measure(people: dict[str, Any], problem_a: Problem) -> Measure:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    return measure


def test_the_progress_form_records_figures_and_pages_total_them(as_: As, measure, problem_a):
    prefix = f"progress-{measure.pk}"
    fields = {"content": "已追回违规资金", "status": "in_progress", "disciplined": "2",
              "organisational": "1", "recovered": "12.5", "clearance_kind": "funds",
              "cleared": "3", "rules": "东城镇三资管理办法，2024-03-01\n东城镇包联制度"}
    response = as_("unit_a").post(reverse("progress-report", args=[measure.pk]),
                                  {f"{prefix}-{k}": v for k, v in fields.items()})
    assert response.status_code == 302
    report = ProgressReport.objects.get(measure=measure)
    assert report.figures.disciplined == 2 and [r.name for r in report.rules.all()] == [
        "东城镇三资管理办法", "东城镇包联制度"]
    problem_url = reverse("problem-detail", args=[problem_a.pk])
    problem_page = as_("unit_a").get(problem_url).content.decode()
    assert "整改成效：党纪政务处分2人" in problem_page
    unit_page = as_("unit_a").get(
        reverse("unit-detail", args=[problem_a.round_id, problem_a.unit_id])).content.decode()
    figures = re.search(r'id="unit-figures">(.*?)</dl>', unit_page, re.S).group(1)
    assert "2 项" in figures and "3 人" in figures and "12.50 万元" in figures
    round_page = as_("office").get(reverse("round-detail", args=[problem_a.round_id])).content
    assert "12.50 万元" in round_page.decode()


def test_bad_figures_come_back_on_the_form(as_: As, measure) -> None:
    prefix = f"progress-{measure.pk}"
    response = as_("unit_a").post(reverse("progress-report", args=[measure.pk]), {
        f"{prefix}-content": "推进", f"{prefix}-status": "in_progress",
        f"{prefix}-cleared": "3"})
    assert response.status_code == 400
    assert "请选择清退类别" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_unit_edits_the_wording_and_the_office_withholds(as_: As, problem_a) -> None:
    url = reverse("problem-rectification", args=[problem_a.pk])
    edited = as_("unit_a").post(url, {"text": "一是建立包联机制。", "version": "1"})
    assert edited.status_code == 302
    page = as_("office").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert "一是建立包联机制。" in page and "单位编辑稿" in page
    stale = as_("unit_a").post(url, {"text": "旧页面", "version": "1"}, follow=True)
    assert "该内容已被他人修改" in stale.content.decode()
    disclosure = reverse("problem-disclosure", args=[problem_a.pk])
    refused = as_("office").post(disclosure, {"disclosure": "withheld", "reason": ""}, follow=True)
    assert "须写明理由" in refused.content.decode()
    as_("office").post(disclosure, {"disclosure": "withheld", "reason": "涉及在办案件"})
    page = as_("office").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert 'id="withheld-mark"' in page and "涉及在办案件" in page
    assert as_("group1").post(disclosure, {"disclosure": "public"}).status_code == 403


def test_releasing_freezes_and_the_round_page_shows_later_changes(
    as_: As, people, problem_a, seed_round: Round
) -> None:
    round_url = reverse("round-detail", args=[seed_round.pk])
    assert 'id="publication-none"' in as_("office").get(round_url).content.decode()
    response = as_("office").post(reverse("round-release", args=[seed_round.pk]), RELEASE)
    assert response.status_code == 302
    published = PublishedNotice.objects.get()
    page = as_("office").get(round_url).content.decode()
    assert "已发布第1版" in page and 'id="publication-same"' in page
    publishing.edit_rectification(people["unit_a"], problem_a, text="新的整改情况表述。",
                                  version=1)
    page = as_("office").get(round_url).content.decode()
    assert "数据已更新，与已发布版本不同" in page
    diff = as_("office").get(reverse("round-release-diff", args=[seed_round.pk])).content.decode()
    assert "新的整改情况表述" in diff and 'class="diff-replace"' in diff
    frozen = as_("office").get(reverse("gongkai-file", args=[published.pk, "txt"])).content
    assert "新的整改情况表述".encode() not in frozen
    # unit_a wrote that wording; office (who did not) may publish it, unit_a's drafter rule
    # applies to office users who edit.
    publishing.edit_rectification(people["office"], problem_a, text="巡察办改写。", version=2)
    refused = as_("office").post(reverse("round-release", args=[seed_round.pk]), RELEASE)
    assert refused.status_code == 403
    assert as_("office2").post(reverse("round-release", args=[seed_round.pk]),
                               RELEASE).status_code == 302
    assert PublishedNotice.objects.count() == 2


def test_a_unit_notice_is_released_from_the_unit_page(as_: As, problem_a, seed_round) -> None:
    args = [seed_round.pk, problem_a.unit_id]
    assert as_("office").post(reverse("unit-release", args=args), RELEASE).status_code == 302
    published = PublishedNotice.objects.get(inspection__unit=problem_a.unit)
    assert published.files.count() == 4
    page = as_("unit_a").get(reverse("unit-detail", args=args)).content.decode()
    assert "已发布第1版" in page and 'id="release-form"' not in page


def test_the_units_report_downloads_as_word_and_pdf(as_: As, problem_a, seed_round) -> None:
    args = [seed_round.pk, problem_a.unit_id]
    response = as_("unit_a").get(reverse("unit-report", args=[*args, "docx"]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "关于十二届昌吉州党委第五轮巡察反馈意见整改情况的报告" in text.replace("\n", "")
    assert "尚未完成的整改事项" in text and problem_a.text[:10] in text.replace("，", ",")
    assert "第一项问题：尚未制定整改措施" in text
    assert as_("unit_a").get(reverse("unit-report", args=[*args, "pdf"])).content[:5] == b"%PDF-"
    assert as_("unit_a").get(reverse("unit-report", args=[*args, "xlsx"])).status_code == 404


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _crawl(client: Client, start: str, limit: int = 400) -> dict[str, Any]:
    """Every page reachable from ``start`` on this host, by following hrefs (bounded)."""
    seen: dict[str, Any] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]+)', _body(response).decode()):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc in ("", "testserver"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_an_anonymous_crawl_of_gongkai_finds_only_published_content(
    people, problem_a, seed_round: Round
) -> None:
    office = people["office"]
    publishing.set_disclosure(office, problem_a, withheld=True, reason="涉及在办案件")
    publishing.release(office, seed_round)
    publishing.release(office, seed_round, seed_round.inspections.get(unit=problem_a.unit))
    hidden_round = rounds.create_round(office, {
        "committee": "昌吉州党委", "term": "十二届", "number": 9, "kinds": ["常规"],
        "title": "未发布的第九轮巡察"})
    # After publishing: data changes reach nothing public.
    publishing.edit_rectification(people["unit_a"], Problem.objects.get(
        round=seed_round, unit=problem_a.unit, order=2), text="发布后才写的整改情况。", version=1)
    seen = _crawl(Client(), reverse("gongkai-index"))
    assert len(seen) > 5
    bodies = b"".join(_body(r) for r in seen.values() if r.status_code == 200)
    for url, response in seen.items():
        if response.status_code == 200:
            assert url.startswith(("/gongkai/", "/static/")), url
    text = bodies.decode("utf-8", "replace")
    assert problem_a.text[:12] not in text.replace("，", ",")
    assert "发布后才写的整改情况" not in text
    assert hidden_round.display_name not in text and "未发布的第九轮巡察" not in text
    pdfs = [r for u, r in seen.items() if u.endswith(".pdf") and r.status_code == 200]
    assert all(r.status_code in (200, 302) for r in seen.values())
    assert len(pdfs) == 2
    back = parse_document(pdfs[0].content, "n.pdf")
    assert problem_a.text not in [p.problem for u in back.units for p in u.problems]


def test_nothing_unpublished_is_served_to_anonymous_users(problem_a, seed_round) -> None:
    client = Client()
    assert client.get(reverse("gongkai-notice", args=[999])).status_code == 404
    assert client.get(reverse("gongkai-file", args=[999, "pdf"])).status_code == 404
    assert client.get(reverse("round-notice", args=[seed_round.pk, "txt"])).status_code == 302
    assert client.get(reverse("unit-report", args=[seed_round.pk, problem_a.unit_id,
                                                   "pdf"])).status_code == 302
    assert "暂无已发布的通报" in client.get(reverse("gongkai-index")).content.decode()
