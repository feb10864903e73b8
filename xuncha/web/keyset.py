"""Keyset (cursor) pages of a long list: the last page as fast as the first.

An OFFSET page makes the database walk and throw away every row before it (the last page of a
million problems took seconds); a keyset page starts the index scan at the row the previous
page ended on. The list is ordered by a unique key of the model's own columns, all ascending or
all descending (``("due_date", "id")`` or ``("-updated_at", "-id")``), and a cursor is that
key's values for one row:

- no cursor: the first page;
- ``a_<values>``: the rows after that row (下一页);
- ``b_<values>``: the rows before it (上一页);
- ``last``: the last page (末页).

The comparison is a row value, ``(a, b) > (x, y)``, which both SQLite and PostgreSQL start
inside a composite index. A page costs one query whatever its depth; a page number is not
known (that would need the count of the rows before it, an OFFSET again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL

M = TypeVar("M", bound=Model)

SEPARATOR = "_"
LAST = "last"


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    """One page of rows and the cursors of its neighbours (None: there is none)."""

    rows: list[M]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def keyset_page(queryset: QuerySet[M], keys: Sequence[str], cursor: str | None,
                size: int) -> KeysetPage[M]:
    """The page of ``queryset`` ordered by ``keys`` that ``cursor`` names (see the module).

    ``keys`` must be a unique key of the model's own columns, all in one direction. A cursor
    that does not parse (edited by hand, or from a list ordered otherwise) gives the first page.
    """
    descending = keys[0].startswith("-")
    if any(key.startswith("-") != descending for key in keys):
        raise ValueError("keyset keys must all sort in one direction")
    names = [key.lstrip("-") for key in keys]
    fields = [queryset.model._meta.get_field(name) for name in names]
    backward = [name if descending else f"-{name}" for name in names]
    if cursor == LAST:
        rows = list(queryset.order_by(*backward)[: size + 1])
        return _backward_page(rows, size, fields, has_next=False)
    direction, values = _parse(cursor, fields)
    if values is None:
        rows = list(queryset.order_by(*keys)[: size + 1])
        return _forward_page(rows, size, fields, has_previous=False)
    # "after" in the list's own order is ">" ascending and "<" descending.
    forward = direction == "a"
    operator = ">" if forward != descending else "<"
    scoped = queryset.filter(_compare(queryset, fields, operator, values))
    if forward:
        rows = list(scoped.order_by(*keys)[: size + 1])
        return _forward_page(rows, size, fields, has_previous=True)
    rows = list(scoped.order_by(*backward)[: size + 1])
    return _backward_page(rows, size, fields, has_next=True)


def _forward_page(rows: list[M], size: int, fields: list[Any],
                  *, has_previous: bool) -> KeysetPage[M]:
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        next_cursor=_cursor("a", rows[-1], fields) if more and rows else None,
        previous_cursor=_cursor("b", rows[0], fields) if has_previous and rows else None,
    )


def _backward_page(rows: list[M], size: int, fields: list[Any],
                   *, has_next: bool) -> KeysetPage[M]:
    more = len(rows) > size
    rows = rows[:size][::-1]
    return KeysetPage(
        rows,
        next_cursor=_cursor("a", rows[-1], fields) if has_next and rows else None,
        previous_cursor=_cursor("b", rows[0], fields) if more and rows else None,
    )


def _cursor(direction: str, row: Model, fields: list[Any]) -> str:
    values = (field.value_to_string(row) for field in fields)
    return direction + SEPARATOR + SEPARATOR.join(values)


def _parse(cursor: str | None, fields: list[Any]) -> tuple[str, list[Any] | None]:
    if not cursor:
        return "a", None
    direction, _, rest = cursor.partition(SEPARATOR)
    parts = rest.split(SEPARATOR)
    if direction not in ("a", "b") or len(parts) != len(fields):
        return "a", None
    try:
        values = [field.to_python(part) for field, part in zip(fields, parts, strict=True)]
    except (ValidationError, ValueError, TypeError):  # a cursor we did not make
        return "a", None
    if any(value is None for value in values):
        return "a", None
    return direction, values


def _compare(queryset: QuerySet[Any], fields: list[Any], operator: str,
             values: list[Any]) -> RawSQL:
    connection = connections[queryset.db]
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    columns = ", ".join(f"{table}.{connection.ops.quote_name(field.column)}" for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [field.get_db_prep_value(value, connection) for field, value in zip(
        fields, values, strict=True)]
    # Column names come from the model and the operator from this module; values are parameters.
    return RawSQL(f"({columns}) {operator} ({marks})", params,  # noqa: S611
                  output_field=BooleanField())
