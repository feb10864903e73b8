"""The data version: a counter every write moves (xuncha.pagecache.version).

A one-row table on SQLite (moved inside the writing transaction: SQLite has one writer at a
time anyway); a sequence on PostgreSQL (``nextval`` never waits for another transaction, so
concurrent writers are not serialised on one row).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE IF NOT EXISTS xuncha_data_version")
        else:
            cursor.execute("CREATE TABLE IF NOT EXISTS xuncha_data_version "
                           "(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT OR IGNORE INTO xuncha_data_version (id, n) VALUES (1, 0)")


def drop(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP SEQUENCE IF EXISTS xuncha_data_version")
        else:
            cursor.execute("DROP TABLE IF EXISTS xuncha_data_version")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop)]
