"""Writing the search index in bulk: the whole index (``xuncha reindex``, ``xuncha generate``)
and the texts of given problems (``index_problems``, for writes that bypass the model signals:
the ledger import's ``bulk_create``).

A full rebuild reads the sources in primary-key ranges (memory stays flat whatever the data),
tokenises with per-character tables (the same tokens as ``xuncha.analysis.text``, several times
faster), and writes rows the way each database loads fastest: COPY with the GIN index dropped
and built once at the end on PostgreSQL; on SQLite, with the FTS5 triggers dropped, the rows
(their ``tokens`` column empty, see migration 0003) and their tokens straight into the
contentless FTS5 table, batch by batch. All of it in one transaction: searches running
meanwhile see the old index until the new one is complete.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import Any

from django.db import connection, transaction

from xuncha.analysis.text import encode_char
from xuncha.inspections.models import Measure, Problem, ProgressReport
from xuncha.search.index import measure_text, problem_text
from xuncha.search.models import SearchDoc

Kind = SearchDoc.Kind
#: Source rows read per query (by primary-key range).
CHUNK = 20000
#: Runs of letters and digits: Python's Unicode ``\w`` is ``str.isalnum()`` plus ``_``.
_RUN = re.compile(r"[^\W_]+")
_NORMAL: dict[str, str] = {}
_ENCODED: dict[str, str] = {}


def normalise(text: str) -> str:
    """``xuncha.analysis.text.normalise`` with a per-character table."""
    table = _NORMAL
    try:
        return "".join([table[char] for char in text])
    except KeyError:
        for char in set(text) - table.keys():
            table[char] = unicodedata.normalize("NFKC", char).casefold()
        return "".join([table[char] for char in text])


def _encoded(char: str) -> str:
    code = _ENCODED.get(char)
    if code is None:
        code = _ENCODED[char] = encode_char(char)
    return code


def tokens(normal: str) -> str:
    """``xuncha.analysis.text.index_tokens`` of an already normalised text."""
    out: list[str] = []
    table = _ENCODED
    for run in _RUN.findall(normal):
        try:
            codes = [table[char] for char in run]
        except KeyError:
            codes = [_encoded(char) for char in run]
        out.extend([a + b for a, b in pairwise(codes)])
        out.append(codes[-1])
    return " ".join(out)


# --- the rows -------------------------------------------------------------------------------

Row = tuple[str, int, int, str, str]  # kind, source_id, problem_id, body, tokens


def _row(kind: str, source_id: int, problem_id: int, text: str) -> Row | None:
    if not text.strip():
        return None
    body = normalise(text)
    return (kind, source_id, problem_id, body, tokens(body))


def _problem_rows(problems: Any) -> Iterator[Row]:
    rows = problems.order_by("pk").values_list("pk", "heading", "text", "published_rectification")
    for pk, heading, text, rectification in rows:
        for row in (_row(Kind.PROBLEM, pk, pk, problem_text(heading, text)),
                    _row(Kind.RECTIFICATION, pk, pk, rectification)):
            if row:
                yield row


def _measure_rows(measures: Any) -> Iterator[Row]:
    rows = measures.order_by("pk").values_list(
        "pk", "problem_id", "content", "standard", "leader", "department")
    for pk, problem_id, *parts in rows:
        row = _row(Kind.MEASURE, pk, problem_id, measure_text(*parts))
        if row:
            yield row


def _progress_rows(reports: Any) -> Iterator[Row]:
    for pk, problem_id, text in reports.order_by("pk").values_list(
            "pk", "measure__problem_id", "text"):
        row = _row(Kind.PROGRESS, pk, problem_id, text)
        if row:
            yield row


def _rows_of(problems: Any, measures: Any, reports: Any) -> Iterator[Row]:
    yield from _problem_rows(problems)
    yield from _measure_rows(measures)
    yield from _progress_rows(reports)


def _id_bounds() -> tuple[int, int] | None:
    ids = Problem.objects.order_by().values_list("pk", flat=True)
    low, high = ids.order_by("pk").first(), ids.order_by("-pk").first()
    return None if low is None or high is None else (low, high)


def _all_rows(low: int | None = None, high: int | None = None) -> Iterator[Row]:
    """Every text (of problems ``low``..``high``), read by ranges of ``CHUNK`` problem ids
    (memory stays flat), a range's problems, measures and progress together: index rows come
    out in problem order, so the newest rows by index id are those of the newest problems."""
    if low is None or high is None:
        bounds = _id_bounds()
        if bounds is None:
            return
        low, high = bounds
    for start in range(low, high + 1, CHUNK):
        end = min(start + CHUNK, high + 1)
        yield from _rows_of(
            Problem.objects.filter(pk__gte=start, pk__lt=end),
            Measure.objects.filter(problem_id__gte=start, problem_id__lt=end),
            ProgressReport.objects.filter(measure__problem_id__gte=start,
                                          measure__problem_id__lt=end),
        )


def _rows_for(problem_ids: list[int]) -> Iterator[Row]:
    yield from _rows_of(
        Problem.objects.filter(pk__in=problem_ids),
        Measure.objects.filter(problem_id__in=problem_ids),
        ProgressReport.objects.filter(measure__problem_id__in=problem_ids),
    )


# --- writing --------------------------------------------------------------------------------

_COLUMNS = "kind, source_id, problem_id, body, tokens"
#: The triggers of migration 0003 (SQLite), dropped for a rebuild and put back after it.
_FTS_TRIGGERS = {
    "search_fts_ai": "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdoc BEGIN "
                     "INSERT INTO search_fts(rowid, tokens) "
                     "VALUES (new.id, xuncha_tokens(new.body)); END",
    "search_fts_ad": "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdoc BEGIN "
                     "INSERT INTO search_fts(search_fts, rowid, tokens) "
                     "VALUES ('delete', old.id, xuncha_tokens(old.body)); END",
    "search_fts_au": "CREATE TRIGGER search_fts_au AFTER UPDATE OF body ON search_searchdoc "
                     "BEGIN INSERT INTO search_fts(search_fts, rowid, tokens) "
                     "VALUES ('delete', old.id, xuncha_tokens(old.body)); "
                     "INSERT INTO search_fts(rowid, tokens) "
                     "VALUES (new.id, xuncha_tokens(new.body)); END",
}
_GIN = ("CREATE INDEX searchdoc_tokens_fts ON search_searchdoc USING gin (tokens_tsv)")


def _write(rows: Iterable[Row], report: Callable[[int], None] | None, every: int,
           first_id: int | None = None) -> int:
    """Insert ``rows`` in batches: COPY on PostgreSQL, executemany on SQLite (with the
    triggers' work, when ``first_id`` is given: the rows get ids from it and their tokens
    go straight into the FTS5 table — the rebuild drops the triggers)."""
    written = 0
    batch: list[Row] = []
    postgres = connection.vendor == "postgresql"
    next_id = [first_id or 0]

    def flush() -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if postgres:
                with raw.copy(f"COPY search_searchdoc ({_COLUMNS}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            elif first_id is None:
                raw.executemany(
                    f"INSERT INTO search_searchdoc ({_COLUMNS}) VALUES (?, ?, ?, ?, '')",  # noqa: S608
                    [row[:4] for row in batch])
            else:
                start = next_id[0]
                next_id[0] += len(batch)
                raw.executemany(
                    f"INSERT INTO search_searchdoc (id, {_COLUMNS}) "  # noqa: S608
                    "VALUES (?, ?, ?, ?, ?, '')",
                    [(start + i, *row[:4]) for i, row in enumerate(batch)])
                raw.executemany("INSERT INTO search_fts(rowid, tokens) VALUES (?, ?)",
                                [(start + i, row[4]) for i, row in enumerate(batch)])

    for row in rows:
        batch.append(row)
        if len(batch) >= every:
            flush()
            written += len(batch)
            batch = []
            if report:
                report(written)
    if batch:
        flush()
        written += len(batch)
    if report:
        report(written)
    return written


def _drop_pg_indexes(cursor: Any) -> list[str]:
    """Drop the table's secondary indexes and unique constraints (loading into a table
    without them and building each once is several times faster than keeping them up row by
    row); returns the statements that put them back. Also skips the foreign-key triggers
    for this transaction where allowed (superuser): every ``problem_id`` is read from
    ``inspections_problem`` in the same transaction."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    if row and row[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'search_searchdoc'::regclass AND contype = 'u'")
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = 'search_searchdoc'::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)")
    indexes = cursor.fetchall()
    restore = []
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE search_searchdoc DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE search_searchdoc ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        restore.append(definition)
    return restore


def rebuild_all(report: Callable[[int], None] | None = None, every: int = 10000) -> int:
    """Drop and rebuild the whole index in one transaction; returns the number of rows.

    ``report`` gets the running count after each batch of ``every`` rows.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Deferred foreign-key checks of earlier writes in this transaction must run
            # before TRUNCATE (it refuses a table with pending trigger events).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE search_searchdoc")
            cursor.execute("DROP INDEX IF EXISTS searchdoc_tokens_fts")
            rebuild_indexes = _drop_pg_indexes(cursor)
            written = _write(_all_rows(), report, every)
            for sql in [_GIN, *rebuild_indexes]:
                cursor.execute(sql)
        else:
            # A bigger page cache for this connection: the FTS5 index's segments and the
            # table's pages are written once instead of spilling to the WAL and back.
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
            for name in _FTS_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DELETE FROM search_searchdoc")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            # Ids after every id ever used (AUTOINCREMENT's sequence): none is reused.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_searchdoc'")
            row = cursor.fetchone()
            written = _write(_all_rows(), report, every, first_id=(row[0] if row else 0) + 1)
            for sql in _FTS_TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")  # a sample, not 7M rows
        cursor.execute("ANALYZE search_searchdoc")
    return written


def rebuild_parallel(jobs: int, report: Callable[[str], None] | None = None,
                     every: int = 10000) -> int:
    """PostgreSQL only: rebuild the index with ``jobs`` processes, each loading a slice of the
    problems in its own transaction, then build the GIN index once. Several times faster on
    several cores, but NOT atomic: searches meanwhile see an empty, then partial index (for a
    new or generated database, or a maintenance window)."""
    import multiprocessing

    from django.db import connections

    if connection.vendor != "postgresql":
        raise ValueError("rebuild_parallel: PostgreSQL only")
    bounds = _id_bounds()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_searchdoc")
        cursor.execute("DROP INDEX IF EXISTS searchdoc_tokens_fts")
    if bounds is None:
        with connection.cursor() as cursor:
            cursor.execute(_GIN)
        return 0
    low, high = bounds
    step = -(-(high - low + 1) // jobs)
    slices = [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]
    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    with context.Pool(len(slices)) as pool:
        counts = pool.starmap(_load_slice, [(a, b, every, report is not None)
                                            for a, b in slices])
    written = sum(counts)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(_GIN)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("ANALYZE search_searchdoc")
    if report:
        report(f"共 {written} 条")
    return written


def _load_slice(low: int, high: int, every: int, verbose: bool) -> int:
    def say(count: int) -> None:
        if verbose and count % (every * 20) == 0:
            print(f"问题 {low}–{high}：已索引 {count} 条", flush=True)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        written = _write(_all_rows(low, high), say, every)
    connection.close()
    return written


def index_problems(problem_ids: Iterable[int]) -> int:
    """Re-index the texts of these problems (their own, their rectification, measures and
    progress reports) in the current transaction: for writes that bypass the model signals.

    Returns the number of index rows written."""
    ids = sorted(set(problem_ids))
    written = 0
    for start in range(0, len(ids), 1000):
        part = ids[start:start + 1000]
        SearchDoc.objects.filter(problem_id__in=part).delete()
        # The triggers (SQLite) and the generated column (PostgreSQL) keep the full-text
        # index itself in step with these inserts.
        written += _write(_rows_for(part), None, 2000)
    return written
