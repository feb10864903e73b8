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
