"""The search page and the search box in the header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_has_the_search_box(as_: Callable[[str], Client]) -> None:
    page = as_("unit_a").get("/todo/").content.decode()
    assert 'action="/search/"' in page and 'name="q"' in page


def test_results_with_marks_facets_and_links(as_: Callable[[str], Client],
                                             people: dict[str, Any]) -> None:
    page = as_("office").get("/search/", {"q": "资金"}).content.decode()
    assert "<mark>资金</mark>" in page
    assert 'id="facet-unit"' in page and 'id="facet-status"' in page
    assert "/problems/" in page
    assert 'value="资金"' in page  # the header box keeps the query


def test_a_facet_link_filters(as_: Callable[[str], Client], people: dict[str, Any]) -> None:
    client = as_("office")
    response = client.get("/search/", {"q": "村"})
    facet = next(f for f in response.context["facets"] if f["name"] == "unit")
    value = facet["values"][0]
    filtered = client.get("/search/" + value["url"])
    assert filtered.context["result"].count == value["count"]
    assert {i["unit"]["id"] for i in filtered.context["result"].items} == {value["value"]}


def test_a_unit_user_finds_only_its_unit(as_: Callable[[str], Client],
                                         people: dict[str, Any]) -> None:
    result = as_("unit_b").get("/search/", {"q": "村"}).context["result"]
    assert result.count > 0
    assert {item["unit"]["name"] for item in result.items} == {"奇台县七户乡党委"}


def test_junk_parameters_do_not_break_the_page(as_: Callable[[str], Client],
                                               people: dict[str, Any]) -> None:
    client = as_("office")
    assert client.get("/search/", {"q": "村", "unit": "x", "page": "-3"}).status_code == 200
    page = client.get("/search/", {"q": "，。"}).content.decode()
    assert "请输入文字或数字" in page
    assert client.get("/search/").status_code == 200


def test_more_matches_than_the_cap_say_so(as_: Callable[[str], Client], people: dict[str, Any],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from xuncha.search import queries

    client = as_("office")
    exact = client.get("/search/", {"q": "村"}).content.decode()
    assert "共 <strong>" in exact and "search-capped" not in exact
    monkeypatch.setattr(queries, "MATCH_CAP", 4)
    response = client.get("/search/", {"q": "村"})
    page = response.content.decode()
    assert "超过 <strong>4</strong> 条" in page and 'id="search-capped"' in page
    assert "（约，按最新 4 条计）" in page
    assert response.context["pages"] == 1
