"""The full-text index holds exactly the tokens of every index row, whatever wrote them (the
services, the ledger import's bulk rows, a rebuild); and a scope searched by its problems
finds what the full-text path finds. Run with XUNCHA_DATABASE_URL=postgres://… too."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests.workflow.conftest import MEASURE
from xuncha import access
from xuncha.analysis.text import normal_tokens
from xuncha.inspections.ledger import import_ledger
from xuncha.inspections.models import Problem, Round
from xuncha.ledgers import model as lm
from xuncha.ledgers.read import read_ledger
from xuncha.ledgers.write import write_ledger
from xuncha.search import bulk, queries
from xuncha.search.models import SearchDoc
from xuncha.search.queries import search
from xuncha.workflow import services

pytestmark = pytest.mark.django_db


def _indexed(token: str) -> set[int]:
    """The index rows the database's own full-text index names for one token."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id FROM search_searchdoc "
                           "WHERE tokens_tsv @@ to_tsquery('simple'::regconfig, %s)", [token])
        else:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [token])
        return {row[0] for row in cursor.fetchall()}


def _assert_in_step() -> None:
    """For every token of every row: the full-text index names exactly the rows holding it."""
    holders: dict[str, set[int]] = {}
    for pk, body in SearchDoc.objects.values_list("pk", "body"):
        for token in set(normal_tokens(body).split()):
            holders.setdefault(token, set()).add(pk)
    assert holders
    for token, ids in holders.items():
        assert _indexed(token) == ids, token
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")


def test_writes_through_the_services_keep_the_index_in_step(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure = services.add_measure(people["unit_a"], problem_a,
                                   MEASURE | {"content": "修订蓝莓报销制度"})
    problem_a.text = "改写后的问题表述"
    problem_a.save()
    measure.content = "再次改写的蓝莓措施"
    measure.save(update_fields=["content"])
    other = Problem.objects.exclude(pk=problem_a.pk).first()
    assert other is not None
    other.delete()
    _assert_in_step()
    assert {i["kind"] for i in search(people["office"], "蓝莓措施").items} == {"measure"}
    assert search(people["office"], "蓝莓报销").count == 0


def test_the_ledger_import_and_a_rebuild_keep_the_index_in_step(seed_round: Round) -> None:
    problem = seed_round.problems.order_by("unit__name", "order").first()
    assert problem is not None
    ledger = lm.Ledger(units=[lm.UnitLedger(problem.unit.name, [
        lm.Problem("台账里新发现的问题", measures=[lm.Measure("新建的蓝莓档案")]),
        lm.Problem(problem.text, measures=[lm.Measure("补建的蓝莓台账")]),
    ])])
    import_ledger(None, seed_round, read_ledger(write_ledger(ledger)))
    _assert_in_step()
    bulk.rebuild_all()
    _assert_in_step()
    bulk.index_problems(seed_round.problems.values_list("pk", flat=True)[:5])
    _assert_in_step()


def _found(user: Any, query: str, **filters: Any) -> list[tuple[Any, ...]]:
    result = search(user, query, filters, page_size=10_000)
    return sorted((i["kind"], i["problem_id"], i["measure_id"], i["progress_id"])
                  for i in result.items)


@pytest.mark.parametrize("word", ["村", "后备干部", "资金 管理", "整改"])
def test_a_scope_searched_by_its_problems_finds_what_the_index_finds(
    people: dict[str, Any], seed_round: Round, monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    root = User.objects.create_superuser("root", password="x")
    for name in ("office", "group1", "unit_a"):
        user = people[name]
        assert queries._scope_problems(user) is not None  # few problems: the narrow path
        narrow = _found(user, word)
        in_scope = set(access.problems_for(user).values_list("pk", flat=True))
        assert narrow == [row for row in _found(root, word) if row[1] in in_scope], name
        for texts in (0, 10**6):  # SQLite: the scope's texts tested, or the index's rows
            monkeypatch.setattr(queries, "_TEXTS_PER_PROBLEM", texts)
            assert _found(user, word) == narrow, (name, texts)
        monkeypatch.undo()
        monkeypatch.setattr(queries, "NARROW_PROBLEMS", 0)  # the full-text path
        assert queries._scope_problems(user) is None
        assert _found(user, word) == narrow, name
        monkeypatch.undo()
    assert _found(people["unit_a"], word) != _found(root, word) or not _found(root, word)


@pytest.mark.parametrize("word", ["村", "后备干部", "资金 管理"])
def test_the_newest_rows_walked_first_and_the_index_below_them_agree(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    root = User.objects.create_superuser("root", password="x")
    everything = _found(root, word)
    for rows in (0, 7, 40, 100_000):  # the index alone, both, the walk alone (PostgreSQL)
        monkeypatch.setattr(queries, "WALK_ROWS", rows)
        assert _found(root, word) == everything, rows
    # Capped: the newest rows of the match, whichever part found them.
    monkeypatch.setattr(queries, "MATCH_CAP", 3)
    capped = []
    for rows in (0, 7, 100_000):
        monkeypatch.setattr(queries, "WALK_ROWS", rows)
        capped.append(_found(root, word))
    assert capped[0] == capped[1] == capped[2]
    assert len(capped[0]) == min(3, len(everything))
