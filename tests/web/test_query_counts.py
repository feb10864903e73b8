"""Every page asks the database a fixed number of times, whatever the amount of data: the
counts are taken on a generated database, then again after generating several times more."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.generate import generate
from xuncha.inspections.models import Inspection, Problem, Round

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    newest = Round.objects.filter(problems__isnull=False).order_by("id").first()
    assert newest is not None
    inspection = Inspection.objects.filter(round=newest).order_by("id").first()
    assert inspection is not None
    problem = Problem.objects.filter(round=newest, unit=inspection.unit_id).order_by("id").first()
    assert problem is not None
    return [
        "/rounds/", f"/rounds/{newest.pk}/", f"/rounds/{newest.pk}/units/{inspection.unit_id}/",
        f"/problems/{problem.pk}/", "/users/", "/notifications/", "/board/",
        "/board/?by=leader", "/todo/", "/api/rounds", "/api/problems",
        "/api/problems?page=3", "/api/notifications",
        "/board/items/?kind=overdue", "/board/items/?kind=overdue&cursor=last",
        "/board/items/?kind=late_plan",
    ]


def _counts(client: Client, pages: list[str]) -> dict[str, int]:
    counts = {}
    for url in pages:
        client.get(url)  # sessions and caches settle on the first visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_page_query_counts_do_not_grow_with_the_data(settings: Any) -> None:
    # Rendered, not served from the page cache (which asks three questions whatever the page).
    settings.PAGE_CACHE_ENTRIES = 0
    generate(250, seed=11, today=datetime.date(2024, 6, 1))
    office = create_user("all-office", Role.OFFICE).user
    client = Client()
    client.force_login(office)  # type: ignore[arg-type]
    call_command("remind", "--date", "2024-06-01", stdout=io.StringIO())
    pages = _pages()
    small = _counts(client, pages)
    generate(1500, seed=12, today=datetime.date(2024, 6, 1))
    call_command("remind", "--date", "2024-06-02", stdout=io.StringIO())
    large = _counts(client, pages)
    grew: dict[str, Any] = {url: (small[url], large[url]) for url in pages
                            if large[url] != small[url]}
    assert not grew, f"query counts grew with the data: {grew}"
