"""SQLite: a contentless FTS5 table without positions or column sizes, fed from ``body``.

The tokens were stored twice on SQLite: in ``search_searchdoc.tokens`` (ten ASCII letters per
character pair: most of the table's size) for the external-content FTS5 table to read, and
in the index itself. Now the triggers compute them from ``body`` with ``xuncha_tokens`` (a
function every Django connection registers, ``xuncha.search.index``) and the column stays
empty on SQLite. ``detail=none, columnsize=0``: a match is only ever the AND of tokens (the
exact substring test does the rest) and the ranking is computed from the text, so neither
positions nor sizes are read.

PostgreSQL keeps its index (the generated ``tokens_tsv`` reads the column); it is told that a
problem has about seven index rows (``n_distinct`` of ``problem_id``): its sampled estimate
was ten times too few distinct problems at 1M, which made a prefecture's search look ten
times bigger than it is (and crossed the JIT threshold).
"""

from django.db import migrations

_TRIGGERS = [
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, xuncha_tokens(new.body)); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) "
    "VALUES ('delete', old.id, xuncha_tokens(old.body)); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE OF body ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) "
    "VALUES ('delete', old.id, xuncha_tokens(old.body)); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, xuncha_tokens(new.body)); END",
]
_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TABLE IF EXISTS search_fts",
]
_FORWARD = [
    *_DROP,
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', tokenize='unicode61', "
    "detail=none, columnsize=0)",
    "INSERT INTO search_fts(rowid, tokens) SELECT id, xuncha_tokens(body) FROM search_searchdoc",
    "UPDATE search_searchdoc SET tokens = ''",
    *_TRIGGERS,
]
_BACKWARD = [
    *_DROP,
    "UPDATE search_searchdoc SET tokens = xuncha_tokens(body)",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "tokens, content='search_searchdoc', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


_POSTGRES = ["ALTER TABLE search_searchdoc ALTER COLUMN problem_id SET (n_distinct = -0.14)"]
_POSTGRES_BACKWARD = ["ALTER TABLE search_searchdoc ALTER COLUMN problem_id RESET (n_distinct)"]


def _run(sqlite: list[str], postgres: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_importpg_array_tsvector"),
    ]

    operations = [
        migrations.RunPython(_run(_FORWARD, _POSTGRES), _run(_BACKWARD, _POSTGRES_BACKWARD)),
    ]
