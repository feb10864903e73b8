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
import sqlite3
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
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count])
            return sorted(row[0] for row in cursor.fetchall())
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
        table = connection.ops.quote_name(self.model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        rows = self._prepared()
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
