from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Problem, Round

pytestmark = pytest.mark.django_db


def _page_urls(round_: Round) -> list[str]:
    problem = Problem.objects.filter(round=round_).first()
    assert problem is not None
    return [
        reverse("round-list"),
        reverse("round-detail", args=[round_.pk]),
        reverse("unit-detail", args=[round_.pk, problem.unit_id]),
        reverse("problem-detail", args=[problem.pk]),
        reverse("round-notice", args=[round_.pk, "txt"]),
        reverse("round-notice", args=[round_.pk, "html"]),
    ]


def test_anonymous_users_are_sent_to_log_in(client: Client, seed_round: Round) -> None:
    for url in _page_urls(seed_round):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_every_page_answers_an_office_user(alice_client: Client, seed_round: Round) -> None:
    for url in _page_urls(seed_round):
        assert alice_client.get(url).status_code == 200, url


def test_unknown_objects_are_not_found(alice_client: Client, seed_round: Round) -> None:
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    for url in [
        reverse("round-detail", args=[9999]),
        reverse("unit-detail", args=[seed_round.pk, 9999]),
        reverse("unit-detail", args=[9999, problem.unit_id]),
        reverse("problem-detail", args=[9999]),
        reverse("round-notice", args=[seed_round.pk, "exe"]),
    ]:
        assert alice_client.get(url).status_code == 404, url


def test_pages_refuse_writes(alice_client: Client, seed_round: Round) -> None:
    assert alice_client.post(reverse("round-detail", args=[seed_round.pk])).status_code == 405


def test_the_round_page_shows_the_rounds_facts_and_units(
    alice_client: Client, seed_round: Round
) -> None:
    html = alice_client.get(reverse("round-detail", args=[seed_round.pk])).content.decode()
    for fact in ["十二届", "第5轮", "常规巡察", "基层组织建设专项巡察", "2023年8月29日",
                 "2023年10月26日", "2023年12月", "昌吉州党委",
                 "被巡察单位（7 个，反馈问题 21 个）"]:
        assert fact in html, fact
    for unit, county in [("木垒县东城镇党委", "木垒县"), ("玛纳斯县乐土驿镇党委", "玛纳斯县")]:
        assert unit in html and county in html


def test_the_problem_page_shows_problem_and_published_rectification(
    alice_client: Client, seed_round: Round
) -> None:
    problem = Problem.objects.get(round=seed_round, unit__name="阜康市阜新街道党工委", order=2)
    html = alice_client.get(reverse("problem-detail", args=[problem.pk])).content.decode()
    assert "2020年以来,阜新街道先后5次发放临时救助资金" in html
    assert "在15个工作日内完成审批流程" in html


def test_text_from_notices_is_escaped(alice_client: Client, seed_round: Round) -> None:
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    problem.text = "<script>alert(1)</script>"
    problem.save()
    html = alice_client.get(reverse("problem-detail", args=[problem.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("units", [1, 12])
def test_the_round_page_query_count_does_not_grow_with_units(
    alice_client: Client, seed_round: Round, django_assert_max_num_queries, units: int  # type: ignore[no-untyped-def]
) -> None:
    from tests.web.factories import add_units

    add_units(seed_round, units)
    # 8 for the page itself, 3 for the 待办 counts in the header (the data version that keys
    # the page and the counts' cache, and the counts when not cached), 3 for the units' deadline
    # badges (measures by level, late plans, pending sign-offs) and 5 for the office's
    # round-setup section (groups, members, group choices, register names), 1 for the figures of
    # the round's imported notices, 4 for publishing
    # (the latest version; 整改成效: problem counts, figures, rules), 3 for the units' quality
    # flags (problems, measures, dismissals): none per unit.
    with django_assert_max_num_queries(27):
        assert alice_client.get(reverse("round-detail", args=[seed_round.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert alice_client.get(reverse("round-list")).status_code == 200


# --- throughput: the rounds list a page at a time ---


def test_the_rounds_list_shows_a_page_at_a_time(
    alice_client: Client, seed_round: Round, settings: Any
) -> None:
    settings.PAGE_SIZE = 1
    Round.objects.create(committee=seed_round.committee, term="十二届", number=6)
    first = alice_client.get(reverse("round-list")).content.decode()
    second = alice_client.get(reverse("round-list") + "?page=2").content.decode()
    assert "共 2 页（2 轮）" in first and "共 2 页（2 轮）" in second
    link = f'href="{reverse("round-detail", args=[seed_round.pk])}"'
    assert (link in first) != (link in second)  # the seed round is on exactly one page
    assert "page=2" in first and "page=1" in second
