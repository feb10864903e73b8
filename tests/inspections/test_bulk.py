"""xuncha.inspections.bulk: rows in many-row statements, COPYs in a second thread (PostgreSQL),
and the GC pause around an import."""

from __future__ import annotations

import gc
import threading

import pytest
from django.db import connection, transaction

from xuncha.analysis.text import fts5_query, tsquery
from xuncha.inspections import bulk
from xuncha.inspections.models import Problem, Round
from xuncha.search.index import BulkDocs
from xuncha.search.models import SearchDoc


@pytest.mark.django_db
def test_index_rows_in_many_row_statements_are_all_in_the_full_text_index(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small statements (two rows each, seven rows: a short last one) so the chunking shows;
    every row must reach the database's full-text index (the FTS5 trigger on SQLite)."""
    monkeypatch.setattr(bulk, "_sqlite_variables", lambda cursor: 11)
    problem = Problem.objects.filter(round=seed_round).first()
    assert problem is not None
    docs = BulkDocs()
    for n in range(7):
        docs.add(SearchDoc.Kind.MEASURE, 900_000 + n, problem.pk, f"批量写入的检索文本{n}号")
    docs.flush()
    rows = SearchDoc.objects.filter(source_id__gte=900_000).order_by("source_id")
    assert [r.body for r in rows] == [f"批量写入的检索文本{n}号" for n in range(7)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                           [fts5_query(["批量写入"])])
        else:
            cursor.execute("SELECT id FROM search_searchdoc WHERE tokens_tsv @@ "
                           "to_tsquery('simple'::regconfig, %s)", [tsquery(["批量写入"])])
        found = {row[0] for row in cursor.fetchall()}
    assert found == {r.pk for r in rows}


def test_gc_is_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def _problem(round_: Round) -> Problem:
    problem = Problem.objects.filter(round=round_).first()
    assert problem is not None
    return problem


@pytest.mark.django_db
def test_statements_after_background_copies_see_their_rows(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of two rows, queued to the COPY thread on PostgreSQL (inline on SQLite): the
    count right after must see every one of them, and so must the code after the block."""
    monkeypatch.setattr(bulk.Table, "BATCH", 2)
    problem = _problem(seed_round)
    with transaction.atomic(), bulk.background_copies():
        docs = BulkDocs()
        for n in range(9):
            docs.add(SearchDoc.Kind.MEASURE, 910_000 + n, problem.pk, f"后台写入{n}")
        assert SearchDoc.objects.filter(source_id__gte=910_000).count() == 8  # one pending
        docs.flush()
    assert SearchDoc.objects.filter(source_id__gte=910_000).count() == 9


@pytest.mark.postgres  # SQLite checks foreign keys at COMMIT only
@pytest.mark.django_db
def test_a_failed_background_copy_is_raised_in_the_caller_and_writes_nothing(
    seed_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row whose problem does not exist: the foreign key is checked as its COPY ends (in
    the other thread on PostgreSQL), and the error reaches the code that wrote it."""
    monkeypatch.setattr(bulk.Table, "BATCH", 2)
    problem = _problem(seed_round)
    with pytest.raises(Exception, match="problem"), transaction.atomic(), \
            bulk.background_copies():
        docs = BulkDocs()
        docs.add(SearchDoc.Kind.MEASURE, 920_000, problem.pk, "存在的问题")
        docs.add(SearchDoc.Kind.MEASURE, 920_001, 999_999_999, "不存在的问题")
        docs.add(SearchDoc.Kind.MEASURE, 920_002, problem.pk, "之后的行")
        docs.flush()
        SearchDoc.objects.count()
    assert not SearchDoc.objects.filter(source_id__gte=920_000).exists()


@pytest.mark.django_db
def test_an_error_in_the_block_stops_the_copy_thread(seed_round: Round) -> None:
    problem = _problem(seed_round)
    threads = threading.active_count()
    with pytest.raises(RuntimeError), transaction.atomic(), bulk.background_copies():
        docs = BulkDocs()
        docs.add(SearchDoc.Kind.MEASURE, 930_000, problem.pk, "回滚的行")
        docs.flush()
        raise RuntimeError
    assert threading.active_count() == threads
    assert not SearchDoc.objects.filter(source_id=930_000).exists()
