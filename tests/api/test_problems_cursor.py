"""GET /api/problems?after=<next_cursor>: keyset pagination, the same rows as the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.test_problems import _get
from tests.web.factories import add_units
from xuncha.inspections.models import Problem, Round

pytestmark = pytest.mark.django_db


def test_following_the_cursor_lists_every_row_once_in_page_order(
    api: Api, seed_round: Round
) -> None:
    add_units(seed_round, 20)  # 81 problems
    office = api("office")
    by_page = [item["id"] for page in (1, 2, 3, 4, 5, 6, 7, 8, 9)
               for item in _get(office, "/api/problems", page_size=10, page=page)["items"]]
    walked: list[int] = []
    reply = _get(office, "/api/problems", page_size=10)
    walked += [item["id"] for item in reply["items"]]
    while reply["next_cursor"]:
        reply = _get(office, "/api/problems", page_size=10, after=reply["next_cursor"])
        walked += [item["id"] for item in reply["items"]]
    assert walked == by_page
    assert sorted(walked) == sorted(Problem.objects.values_list("pk", flat=True))
    assert reply["count"] == 81 and len(reply["items"]) == 1  # the last page is short


def test_the_cursor_keeps_filters_and_scope(api: Api, seed_round: Round) -> None:
    add_units(seed_round, 5)
    unit_b = api("unit_b")
    first = _get(unit_b, "/api/problems", page_size=2)
    rest = _get(unit_b, "/api/problems", page_size=2, after=first["next_cursor"])
    names = {item["unit"]["name"] for item in first["items"] + rest["items"]}
    assert names == {"奇台县七户乡党委"}
    assert len(first["items"]) + len(rest["items"]) == 3 and rest["next_cursor"] is None


@pytest.mark.parametrize("bad", ["abc", "1-2-3", "1-2-3-x", "-1-2-3-4"])
def test_a_malformed_cursor_is_refused_in_chinese(api: Api, seed_round: Round, bad: str) -> None:
    response: Any = api("office").get("/api/problems", {"after": bad})
    assert response.status_code == 400
    assert "游标" in response.content.decode()


def test_walking_back_with_previous_returns_the_same_pages(api: Api, seed_round: Round) -> None:
    add_units(seed_round, 20)  # 81 problems
    office = api("office")
    pages = [_get(office, "/api/problems", page_size=10)]
    assert pages[0]["previous"] is None and pages[0]["previous_cursor"] is None
    while pages[-1]["next_cursor"]:
        pages.append(_get(office, "/api/problems", page_size=10,
                          after=pages[-1]["next_cursor"]))
    back = pages[-1]
    for expected in reversed(pages[:-1]):
        back = _get(office, "/api/problems", page_size=10, before=back["previous_cursor"])
        assert [i["id"] for i in back["items"]] == [i["id"] for i in expected["items"]]
    assert back["previous_cursor"] is None and back["next_cursor"] == pages[0]["next_cursor"]


def test_next_and_previous_are_links_that_keep_the_filters(
    api: Api, seed_round: Round
) -> None:
    add_units(seed_round, 5)
    office = api("office")
    first = _get(office, "/api/problems", page_size=3, round=seed_round.pk, page=2)
    assert first["next"].startswith("http://")
    assert f"round={seed_round.pk}" in first["next"] and "page_size=3" in first["next"]
    assert "after=" in first["next"] and "page=2" not in first["next"]
    following: Any = office.get(first["next"])
    assert following.status_code == 200
    back: Any = office.get(following.json()["previous"])
    assert [i["id"] for i in back.json()["items"]] == [i["id"] for i in first["items"]]


def test_the_last_page_has_no_next_link(api: Api, seed_round: Round) -> None:
    count = Problem.objects.count()
    reply = _get(api("office"), "/api/problems", page_size=count)
    assert reply["next"] is None and reply["next_cursor"] is None and reply["previous"] is None


def test_the_total_is_kept_only_until_the_data_changes(api: Api, seed_round: Round) -> None:
    office = api("office")
    assert _get(office, "/api/problems")["count"] == 21
    assert _get(office, "/api/problems", page=2)["count"] == 21  # kept for the same list
    add_units(seed_round, 1)  # a write: the data version moves
    assert _get(office, "/api/problems")["count"] == 24
    assert _get(office, "/api/problems", round=seed_round.pk, status="not_started")[
        "count"] == Problem.objects.filter(status="not_started").count()
