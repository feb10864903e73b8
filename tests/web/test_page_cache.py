"""Rendered pages served from the cache are never stale and never someone else's
(xuncha.pagecache): a write is visible on the next request, one unit never gets another
unit's page, one user never another user's, and a cached page's forms still post."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Inspection, Problem, Round
from xuncha.pagecache import version
from xuncha.pagecache.pages import HEADER, PLACEHOLDER
from xuncha.workflow import services
from xuncha.workflow.models import Notification

pytestmark = pytest.mark.django_db

MEASURE = {"content": "建立村级后备干部台账", "leader": "张书记", "department": "镇党建办",
           "due_date": "2024-03-31", "standard": "每村不少于6名"}


def _unit_url(problem: Problem) -> str:
    return reverse("unit-detail", args=[problem.round_id, problem.unit_id])


def test_the_second_visit_is_served_from_the_cache(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    office = as_("office")
    first = office.get(_unit_url(problem_a))
    second = office.get(_unit_url(problem_a))
    assert first[HEADER] == "miss"
    assert second[HEADER] == "hit"
    # The same page, but for this request's CSRF token (never the placeholder).
    assert PLACEHOLDER.encode() not in second.content
    strip = re.compile(rb'value="[A-Za-z0-9]{64}"')
    assert strip.sub(b"", first.content) == strip.sub(b"", second.content)


def test_a_write_is_visible_on_the_next_request(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem
) -> None:
    unit = as_("unit_a")
    for url in (_unit_url(problem_a), reverse("problem-detail", args=[problem_a.pk])):
        unit.get(url)
        assert unit.get(url)[HEADER] == "hit"
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    problem_page = unit.get(reverse("problem-detail", args=[problem_a.pk]))
    assert problem_page[HEADER] == "miss"
    assert "建立村级后备干部台账" in problem_page.content.decode()
    assert "措施 1 项" in unit.get(_unit_url(problem_a)).content.decode()


def test_a_write_through_a_form_post_is_visible_next(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    office = as_("office")
    url = _unit_url(problem_a)
    office.get(url)
    assert office.get(url)[HEADER] == "hit"
    response = office.post(reverse("problem-add", args=[problem_a.round_id, problem_a.unit_id]),
                           {"text": "新发现的问题：村务公开栏长期未更新，群众反映强烈"})
    assert response.status_code in (200, 302)
    page = office.get(url)  # shows the "已录入" message too: rendered afresh
    assert page.get(HEADER) != "hit"
    assert "村务公开栏长期未更新" in page.content.decode()
    assert "村务公开栏长期未更新" in office.get(url).content.decode()


def test_bulk_updates_and_raw_sql_move_the_version(problem_a: Problem) -> None:
    before = version.current()
    assert before is not None
    Problem.objects.filter(pk=problem_a.pk).update(heading="改")
    after_update = version.current()
    assert after_update is not None and after_update > before
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Problem._meta.db_table} SET heading = %s WHERE id = %s",  # noqa: S608
            ["再改", problem_a.pk],
        )
    after_raw = version.current()
    assert after_raw is not None and after_raw > after_update
    with transaction.atomic():
        Problem.objects.filter(pk=problem_a.pk).update(heading="事务内")
        inside = version.current()
        assert inside is not None and inside > after_raw


def test_reading_pages_moves_nothing(as_: Callable[[str], Client], problem_a: Problem) -> None:
    office = as_("office")
    office.get(_unit_url(problem_a))
    before = version.current()
    for _ in range(3):
        office.get(_unit_url(problem_a))
        office.get(reverse("round-detail", args=[problem_a.round_id]))
    assert version.current() == before


def test_a_unit_never_gets_another_units_page(
    as_: Callable[[str], Client], seed_round: Round, problem_a: Problem
) -> None:
    office = as_("office")
    others = Inspection.objects.filter(round=seed_round).exclude(unit_id=problem_a.unit_id)
    other = others.select_related("unit").first()
    assert other is not None
    for _ in range(2):
        mine = office.get(_unit_url(problem_a)).content.decode()
        theirs = office.get(reverse("unit-detail", args=[seed_round.pk, other.unit_id]))
        assert theirs[HEADER] in ("miss", "hit")
        assert f"<h1>{other.unit.name}</h1>" in theirs.content.decode()
        assert "<h1>木垒县东城镇党委</h1>" in mine
        assert "<h1>木垒县东城镇党委</h1>" not in theirs.content.decode()


def test_a_user_never_gets_another_users_page(
    as_: Callable[[str], Client], seed_round: Round, problem_a: Problem
) -> None:
    """The office's cached page of unit B is nothing to unit A's user: still 404."""
    office, unit_a = as_("office"), as_("unit_a")
    other = Problem.objects.filter(round=seed_round, unit__name="奇台县七户乡党委").first()
    assert other is not None
    for url in (_unit_url(other), reverse("problem-detail", args=[other.pk])):
        office.get(url)
        assert office.get(url)[HEADER] == "hit"
        assert unit_a.get(url).status_code == 404
    # Their own round page differs too: the office sees every unit, the unit only its own.
    round_url = reverse("round-detail", args=[seed_round.pk])
    office.get(round_url)
    assert "奇台县七户乡党委" in office.get(round_url).content.decode()
    assert "奇台县七户乡党委" not in unit_a.get(round_url).content.decode()


def test_a_cached_pages_form_posts_with_its_token(
    people: dict[str, Any], problem_a: Problem
) -> None:
    """Each session gets its own valid token in a page served from the cache."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(people["office"])
    second.force_login(people["office"])  # signing in is a write (last_login): before the visit
    first.get(_unit_url(problem_a))
    page = second.get(_unit_url(problem_a))
    assert page[HEADER] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page.content.decode())
    assert token is not None
    response = second.post(
        reverse("problem-add", args=[problem_a.round_id, problem_a.unit_id]),
        {"text": "缓存页面上的表单同样可以提交：村级组织活动场所管理不规范",
         "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code != 403


def test_a_page_with_messages_is_rendered_afresh(
    as_: Callable[[str], Client], problem_a: Problem
) -> None:
    office = as_("office")
    response = office.post(reverse("problem-add", args=[problem_a.round_id, problem_a.unit_id]),
                           {"text": "新发现的问题：村级财务公开不及时，群众意见较大"})
    assert response.status_code == 302
    url = response["Location"]
    office.get(url)  # cached before the message: never the case, but try to provoke it
    shown = office.get(url)
    assert "已录入反馈问题" in shown.content.decode() or shown.has_header(HEADER)
    office.post(reverse("problem-add", args=[problem_a.round_id, problem_a.unit_id]),
                {"text": "新发现的问题：村级活动场所挪作他用，未及时整改到位"})
    problem = Problem.objects.order_by("-id").first()
    assert problem is not None
    detail = reverse("problem-detail", args=[problem.pk])
    with_message = office.get(detail)
    assert not with_message.has_header(HEADER)  # neither served from nor put in the cache
    assert "已录入反馈问题" in with_message.content.decode()
    assert office.get(detail)[HEADER] == "miss"
    again = office.get(detail)
    assert again[HEADER] == "hit"
    assert "已录入反馈问题" not in again.content.decode()


def test_the_header_counts_follow_writes(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem
) -> None:
    unit = as_("unit_a")
    url = _unit_url(problem_a)
    unit.get(url)
    Notification.objects.create(user=people["unit_a"], kind=Notification.Kind.SUPERVISED,
                                subject="测试通知", body="")
    assert "通知（1）" in unit.get(url).content.decode()
