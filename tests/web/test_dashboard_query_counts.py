"""The dashboards, their exports and ``/api/…/stats`` ask the database a fixed number of times
whatever the amount of data: counted (with the cache off, so the aggregates really run) on a
generated database, then again after generating several times more."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.generate import generate
from xuncha.inspections.models import Inspection, Round
from xuncha.pagecache.version import TABLE

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    newest = Round.objects.filter(problems__isnull=False).order_by("id").first()
    assert newest is not None and newest.inspection_start is not None
    year = newest.inspection_start.year
    return [
        f"/rounds/{newest.pk}/dashboard/", f"/rounds/{newest.pk}/dashboard/?export=xlsx",
        "/dashboard/", f"/dashboard/?year={year}", "/dashboard/?export=xlsx",
        f"/api/rounds/{newest.pk}/stats", "/api/stats", f"/api/stats?year={year}",
    ]


def _counts(client: Client, pages: list[str]) -> dict[str, int]:
    counts = {}
    for url in pages:
        client.get(url)  # sessions settle on the first visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_dashboard_query_counts_do_not_grow_with_the_data(settings: Any) -> None:
    settings.STATS_CACHE_SECONDS = 0
    generate(250, seed=21, today=datetime.date(2024, 6, 1))
    office = create_user("dash-office", Role.OFFICE).user
    first = Inspection.objects.order_by("id").first()
    assert first is not None
    unit = create_user("dash-unit", Role.UNIT, unit=first.unit.name).user
    clients = {}
    for name, user in (("office", office), ("unit", unit)):
        clients[name] = Client()
        clients[name].force_login(user)  # type: ignore[arg-type]
    pages = _pages()
    small = {name: _counts(client, pages) for name, client in clients.items()}
    generate(1500, seed=22, today=datetime.date(2024, 6, 1))
    large = {name: _counts(client, pages) for name, client in clients.items()}
    grew = {(name, url): (small[name][url], large[name][url])
            for name in clients for url in pages if large[name][url] != small[name][url]}
    assert not grew, f"query counts grew with the data: {grew}"


def test_the_cached_dashboard_is_one_query(settings: Any) -> None:
    settings.STATS_CACHE_SECONDS = 600
    generate(100, seed=23, today=datetime.date(2024, 6, 1))
    office = create_user("dash-office", Role.OFFICE).user
    client = Client()
    client.force_login(office)  # type: ignore[arg-type]
    round_ = Round.objects.filter(problems__isnull=False).order_by("id").first()
    assert round_ is not None
    url = f"/api/rounds/{round_.pk}/stats"
    client.get(url)
    settings.STATS_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as uncached:
        expected = client.get(url).json()
    settings.STATS_CACHE_SECONDS = 600
    with CaptureQueriesContext(connection) as hit:
        assert client.get(url).json() == expected
    # A hit reads only the data version (the cache key), never the problems.
    assert not [q for q in hit.captured_queries if "inspections_problem" in q["sql"]]
    assert len([q for q in hit.captured_queries if TABLE in q["sql"]]) >= 1
    # (PostgreSQL counts the breakdowns in one scan per table: fewer uncached queries there.)
    assert len(hit) <= len(uncached) // 2
