"""PostgreSQL: build the search column with ``array_to_tsvector`` instead of ``to_tsvector``.

The tokens are plain ASCII words separated by single spaces (``xuncha.analysis.text``), so
splitting them on spaces gives the same lexemes as the text-search parser, five times faster:
``to_tsvector('simple', …)`` was 5.5 s of the 14 s PostgreSQL spent on a 100,000-row ledger
import (233,000 index rows). Only the positions go, and no query uses them (searches AND words
and prefixes; nothing ranks or matches phrases). SQLite is unchanged.
"""

from django.db import migrations

_NEW = ("array_to_tsvector(array_remove(string_to_array(tokens, ' ', ''), NULL))")
_OLD = "to_tsvector('simple'::regconfig, tokens)"


def _column(expression: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS searchdoc_tokens_fts",
        "ALTER TABLE search_searchdoc DROP COLUMN IF EXISTS tokens_tsv",
        f"ALTER TABLE search_searchdoc ADD COLUMN tokens_tsv tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX searchdoc_tokens_fts ON search_searchdoc USING gin (tokens_tsv)",
    ]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_search_index"),
    ]

    operations = [
        migrations.RunPython(_run(_column(_NEW)), _run(_column(_OLD))),
    ]
