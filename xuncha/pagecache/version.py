"""The data version: a number that moves whenever anything is written to the database.

Every connection gets an execute wrapper that looks at each statement it runs; an INSERT,
UPDATE, DELETE or REPLACE (other than to the session and login-throttling tables) moves the
version right after it, on the same connection:

- SQLite: ``UPDATE xuncha_data_version SET n = n + 1`` in the writing transaction, so the new
  version and the new data become visible together (SQLite has one writer at a time, so the
  one row serialises nothing that was not serialised already).
- PostgreSQL: ``nextval`` of a sequence, which never waits for another transaction, and again
  once the transaction commits, so a page rendered from the data before the commit is never
  kept under the version that follows it.

A cache keyed by the version (read before the data) therefore never answers with data older
than the last write. Writes that bypass Django's cursor (the generator's COPY) call
:func:`bump` themselves; `migrate` bumps when it finishes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

TABLE = "xuncha_data_version"
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
#: Writes that change no page: sessions, the login throttle's records, the version itself.
_IGNORED = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?'
    r'(?:django_session|axes_\w+|xuncha_data_version)\b',
    re.IGNORECASE,
)
_READY = "_xuncha_data_version_ready"


def _is_write(sql: str) -> bool:
    return bool(_WRITE.match(sql)) and not _IGNORED.match(sql)


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool,
           context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _is_write(sql):
        _moved(context["connection"])
    return result


def _moved(conn: BaseDatabaseWrapper) -> None:
    if not getattr(conn, _READY, False):
        return
    _bump_on(conn)
    if conn.vendor == "postgresql" and conn.in_atomic_block and not any(
        entry[1] is _bump_after_commit for entry in conn.run_on_commit
    ):
        conn.on_commit(_bump_after_commit, robust=True)


def _bump_on(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{TABLE}')")
        else:
            cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1")  # noqa: S608


def _bump_after_commit() -> None:
    # on_commit runs on the connection that committed: the default one here.
    conn = connections["default"]
    if getattr(conn, _READY, False):
        _bump_on(conn)


def bump(using: str = "default") -> None:
    """Move the version by hand, after writes made around Django's cursor."""
    conn = connections[using]
    conn.ensure_connection()
    if getattr(conn, _READY, False):
        _bump_on(conn)


def current(using: str = "default") -> int | None:
    """The version now; None where the database has no version yet (not migrated)."""
    conn = connections[using]
    conn.ensure_connection()
    if not getattr(conn, _READY, False):
        return None
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"SELECT last_value FROM {TABLE}")  # noqa: S608
        else:
            cursor.execute(f"SELECT n FROM {TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _probe(conn: BaseDatabaseWrapper) -> None:
    """Watch this connection's writes, and note whether the version exists to be moved."""
    if _watch not in conn.execute_wrappers:
        conn.execute_wrappers.append(_watch)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = %s", [TABLE])
        setattr(conn, _READY, bool(cursor.fetchone()[0]))


def _connected(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor in ("sqlite", "postgresql"):
        _probe(connection)


def _migrated(sender: Any, using: str = "default", **kwargs: Any) -> None:
    conn = connections[using]
    if conn.vendor in ("sqlite", "postgresql") and not getattr(conn, _READY, False):
        _probe(conn)
    bump(using)


def connect_signals() -> None:
    connection_created.connect(_connected, dispatch_uid="xuncha.pagecache.version")
    post_migrate.connect(_migrated, dispatch_uid="xuncha.pagecache.version.migrated")
