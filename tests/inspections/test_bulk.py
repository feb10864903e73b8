"""xuncha.inspections.bulk: rows in many-row statements, and the GC pause around an import."""

from __future__ import annotations

import gc

import pytest
from django.db import connection

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
