"""xuncha.web.keyset: cursor pages walk a list both ways, one query a page, in either order."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.factories import add_units
from xuncha.inspections.models import Problem, Round
from xuncha.web.keyset import keyset_page

pytestmark = pytest.mark.django_db


def _walk(queryset: Any, keys: tuple[str, ...], size: int) -> tuple[list[list[int]], Any]:
    page = keyset_page(queryset, keys, None, size)
    pages = [[row.pk for row in page]]
    while page.next_cursor:
        page = keyset_page(queryset, keys, page.next_cursor, size)
        pages.append([row.pk for row in page])
    return pages, page


@pytest.mark.parametrize("keys", [("round_id", "unit_id", "order"), ("-unit_id", "-id")])
def test_forward_and_back_give_the_same_pages_in_list_order(
    seed_round: Round, keys: tuple[str, ...]
) -> None:
    add_units(seed_round, 3)  # 30 problems
    problems = Problem.objects.all()
    expected = list(problems.order_by(*keys).values_list("pk", flat=True))
    pages, last = _walk(problems, keys, 7)
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    back = [pages[-1]]
    page = last
    while page.previous_cursor:
        page = keyset_page(problems, keys, page.previous_cursor, 7)
        back.append([row.pk for row in page])
    assert back[::-1] == pages
    final = keyset_page(problems, keys, "last", 7)
    assert [row.pk for row in final] == expected[-7:] and final.next_cursor is None


def test_a_page_is_one_query_and_a_foreign_cursor_is_the_first_page(seed_round: Round) -> None:
    problems = Problem.objects.all()
    first = keyset_page(problems, ("id",), None, 5)
    with CaptureQueriesContext(connection) as queries:
        keyset_page(problems, ("id",), first.next_cursor, 5)
    assert len(queries) == 1
    for bad in ("a_x", "b_1_2", "z_1", "a_"):
        assert [r.pk for r in keyset_page(problems, ("id",), bad, 5)] == [r.pk for r in first]


def test_keys_must_share_one_direction() -> None:
    with pytest.raises(ValueError, match="one direction"):
        keyset_page(Problem.objects.all(), ("round_id", "-id"), None, 5)
