"""GET /api/search: shape, scope, filters, validation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def test_search_answers_items_facets_and_count(api: Api, seed_round: Round) -> None:
    body = api("office").get("/api/search", {"q": "资金"}).json()
    assert body["count"] == len(body["items"]) > 0
    assert body["terms"] == ["资金"]
    item = body["items"][0]
    assert item["kind"] in {"problem", "rectification", "measure", "progress"}
    assert "<mark>资金</mark>" in item["snippet"]
    assert set(body["facets"]) == {"round", "unit", "county", "category", "status"}
    assert body["facets"]["round"][0]["label"] == "十二届昌吉州党委第五轮巡察"


def test_full_width_query_and_filters(api: Api, seed_round: Round) -> None:
    client = api("office")
    everything = client.get("/api/search", {"q": "村，干部"}).json()
    assert everything["terms"] == ["村", "干部"]
    unit = everything["facets"]["unit"][0]
    only = client.get("/api/search", {"q": "村 干部", "unit": unit["value"]}).json()
    assert only["count"] == unit["count"]
    assert {item["unit"]["id"] for item in only["items"]} == {unit["value"]}
    county = everything["facets"]["county"][0]
    by_county = client.get("/api/search", {"q": "村 干部", "county": county["value"]}).json()
    assert by_county["count"] == county["count"]


def test_a_unit_sees_only_its_own_hits(api: Api, people: dict[str, Any]) -> None:
    body = api("unit_a").get("/api/search", {"q": "村", "page_size": 100}).json()
    assert body["count"] > 0
    assert {item["unit"]["name"] for item in body["items"]} == {"木垒县东城镇党委"}


def test_bad_parameters_are_refused_in_chinese(api: Api, seed_round: Round) -> None:
    client = api("office")
    assert client.get("/api/search").json()["count"] == 0  # neither words nor filters
    bad = client.get("/api/search", {"q": "村", "status": "done"})
    assert bad.status_code == 400 and bad.json()["field"] == "status"
    deep = client.get("/api/search", {"q": "村", "page": 501})
    assert deep.status_code == 400 and deep.json()["field"] == "page"


def test_paging(api: Api, seed_round: Round) -> None:
    client = api("office")
    first = client.get("/api/search", {"q": "村", "page_size": 5}).json()
    second = client.get("/api/search", {"q": "村", "page_size": 5, "page": 2}).json()
    assert len(first["items"]) == len(second["items"]) == 5
    assert first["count"] == second["count"] > 10
    key = ("kind", "problem_id", "measure_id", "progress_id")
    assert not {tuple(i[k] for k in key) for i in first["items"]} & {
        tuple(i[k] for k in key) for i in second["items"]}


def test_filters_without_words_list_the_problems_behind_a_chart_bar(
    api: Api, seed_round: Round
) -> None:
    body = api("office").get("/api/search", {"round": seed_round.pk, "page_size": 100}).json()
    assert body["count"] == seed_round.problems.count() == 21
    assert {item["kind"] for item in body["items"]} == {"problem"}


def test_more_matches_than_the_cap_are_flagged(api: Api, seed_round: Round,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from xuncha.search import queries

    client = api("office")
    body = client.get("/api/search", {"q": "村"}).json()
    assert body["count_exact"] is True and body["facets_exact"] is True
    monkeypatch.setattr(queries, "MATCH_CAP", 3)
    capped = client.get("/api/search", {"q": "村"}).json()
    assert capped["count"] == 3 and capped["count_exact"] is False
    assert capped["facets_exact"] is False
