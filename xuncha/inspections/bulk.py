"""Bulk inserts for big imports: ids reserved first, rows written as plain tuples.

Why not ``bulk_create``: it builds and compiles a model instance per row, which is most of the
time a 100,000-row ledger import takes. Here the caller reserves ids (a sequence on PostgreSQL;
on SQLite, whose write transactions here are IMMEDIATE, nobody else can insert meanwhile), then
hands rows as tuples; they go in by COPY on PostgreSQL and by INSERTs of many rows each on
SQLite. Columns the caller does not give take the model field's default, evaluated once, and
``auto_now``/``auto_now_add`` take one shared "now". Values are converted the way Django would
store them on each database. Nothing here sends signals: callers keep the search index and
history in step themselves.
"""

from __future__ import annotations

import gc
import json
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

Convert = Callable[[Any], Any]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile. A bulk import allocates millions of objects
    that live until its end, and each full collection walks all of them again: about a fifth
    of a 100,000-row import's CPU time. Whatever cycles it leaves are collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Copier:
    """COPYs sent by a second thread, so that PostgreSQL works through one batch of rows
    while this process prepares the next (on 2 cores the server's work of a big import costs
    about as much as ours). Batches go in the order given, over the same connection and in the
    same transaction; every other statement on the connection first waits for the batches
    queued before it (an execute wrapper), so it sees their rows. A failed COPY is raised in
    the caller at its next flush, statement, or the end of the block."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue[tuple[str, list[Any]] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.cancelled = False
        #: Statements meanwhile need not wait for the queued COPYs (see unordered()).
        self.unordered = False
        self.thread = threading.Thread(target=self._run, name="bulk-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            try:
                if self.error is None and not self.cancelled:
                    statement, rows = item
                    with self.raw.cursor() as cursor, cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
            except BaseException as error:  # raised in the caller's thread
                self.error = error
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def submit(self, statement: str, rows: list[Any]) -> None:
        self.check()
        self.queue.put((statement, rows))

    def drain(self) -> None:
        self.queue.join()
        self.check()

    def check(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def stop(self) -> None:
        self.cancelled = True  # on an error the transaction rolls back: skip what is queued
        self.queue.put(None)
        self.thread.join()

    def wrapper(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: Any) -> Any:
        if self.unordered:
            self.check()
        else:
            self.drain()
        return execute(sql, params, many, context)


class _Local(threading.local):
    copier: _Copier | None = None


#: The copier of this thread's bulk block (a web server may run several requests at once).
_local = _Local()


@contextmanager
def background_copies() -> Iterator[None]:
    """Within the block, on PostgreSQL, the tables' COPYs run in a second thread (see
    _Copier), and foreign keys are checked as each COPY ends rather than all at COMMIT (where
    nothing else could overlap them). Use inside the transaction, around the bulk writes;
    the block ends when every COPY has. Elsewhere it does nothing."""
    if connection.vendor != "postgresql" or _local.copier is not None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    copier = _local.copier = _Copier()
    try:
        with connection.execute_wrapper(copier.wrapper):
            yield
            copier.drain()
    finally:
        _local.copier = None
        copier.stop()


@contextmanager
def unordered() -> Iterator[None]:
    """Statements in the block do not read or change rows still queued for COPY, so they need
    not wait for them (they wait only for the COPY in progress): e.g. taking a lock."""
    copier = _local.copier
    if copier is None or copier.unordered:
        yield
        return
    copier.unordered = True
    try:
        yield
    finally:
        copier.unordered = False


def _sqlite_variables(cursor: Any) -> int:
    """How many ``?`` one SQLite statement may hold (999 where the build cannot say)."""
    try:
        return int(cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):
        return 999


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, in increasing order. Call inside the transaction
    that inserts them."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Straight to psycopg: numbers from a sequence need not wait for queued COPYs.
            raw = cursor.cursor
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count])
            return sorted(row[0] for row in raw.fetchall())
        pk = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model names
        last = cursor.fetchone()[0]
        # AUTOINCREMENT never hands out an id twice, even after deletes; neither do we.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        start = max(last, seq[0] if seq else 0) + 1
    return list(range(start, start + count))


def _converter(field: models.Field[Any, Any], postgres: bool) -> Convert | None:
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
    if postgres:
        return None  # psycopg's COPY adapts dates, datetimes and booleans itself
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(field, models.BooleanField):
        return lambda value: None if value is None else int(value)
    return None


def _convert(convert: Convert | None, value: Any) -> Any:
    return value if convert is None else convert(value)


class Table:
    """Rows for one model's table, given as tuples in the order of `columns` (attnames). Without
    the primary key among them, the database numbers the rows."""

    BATCH = 5000

    def __init__(self, model: type[models.Model], columns: Sequence[str],
                 fixed: dict[str, Any] | None = None, encoded: Sequence[str] = ()) -> None:
        """`fixed`: columns (attnames) that take the same value on every row; `encoded`: JSON
        columns given already as JSON text."""
        self.model = model
        #: A table whose rows these rows refer to: flushed first (see follow()).
        self.after: Table | None = None
        fixed = fixed or {}
        self.postgres = connection.vendor == "postgresql"
        given = list(columns)
        now = timezone.now()
        self.fields = [f for f in model._meta.concrete_fields if f.attname in given]
        self.fields += [f for f in model._meta.concrete_fields
                        if f.attname not in given and not f.primary_key]
        self.order = [given.index(f.attname) for f in self.fields[:len(given)]]
        converters = [None if f.attname in encoded else _converter(f, self.postgres)
                      for f in self.fields]
        # The defaults are the same on every row: converted once, here.
        self.extra: tuple[Any, ...] = tuple(
            _convert(convert, fixed[f.attname] if f.attname in fixed
                     else now if getattr(f, "auto_now", False)
                     or getattr(f, "auto_now_add", False) else f.get_default())
            for f, convert in zip(self.fields[len(given):], converters[len(given):], strict=True))
        self.converters = [(i, c) for i, c in enumerate(converters[:len(given)]) if c is not None]
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def follow(self, table: Table | None) -> None:
        """Write `table`'s pending rows before each batch of ours: our rows refer to its rows
        (foreign keys may be checked as each COPY ends, see background_copies)."""
        self.after = table

    def add(self, *values: Any) -> None:
        self.rows.append(values)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(*row)

    def _prepared(self) -> list[tuple[Any, ...]] | list[list[Any]]:
        order, extra, converters = self.order, self.extra, self.converters
        if order == list(range(len(order))):
            pick: Callable[[tuple[Any, ...]], tuple[Any, ...]] = lambda row: row  # noqa: E731
        else:
            getter = itemgetter(*order)
            pick = getter if len(order) > 1 else lambda row: (getter(row),)
        if not converters:
            return [pick(row) + extra for row in self.rows]
        prepared = []
        for row in self.rows:
            values = list(pick(row))
            for i, convert in converters:
                values[i] = convert(values[i])
            values.extend(extra)
            prepared.append(values)
        return prepared

    def flush(self) -> None:
        """Write the rows added so far."""
        if not self.rows:
            return
        if self.after is not None:
            self.after.flush()
        table = connection.ops.quote_name(self.model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        rows = self._prepared()
        copier = _local.copier
        if self.postgres and copier is not None:
            copier.submit(f"COPY {table} ({quoted}) FROM STDIN", rows)
            self.count += len(self.rows)
            self.rows = []
            return
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if self.postgres:
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                # Many rows per INSERT, not executemany's one statement per row: SQLite ends
                # each statement with a savepoint, at which the search table's FTS5 index
                # (filled by a trigger) writes out what it holds, one tiny segment per row.
                per = max(1, min(len(rows), _sqlite_variables(raw) // len(self.fields)))
                values = "(" + ", ".join("?" * len(self.fields)) + ")"
                insert = f"INSERT INTO {table} ({quoted}) VALUES "  # noqa: S608 - model names
                for start in range(0, len(rows), per):
                    chunk = rows[start:start + per]
                    raw.execute(insert + ", ".join([values] * len(chunk)),
                                list(chain.from_iterable(chunk)))
        self.count += len(self.rows)
        self.rows = []
