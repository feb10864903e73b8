"""The search index table, the database's full-text index on it, and its first build.

SQLite: an FTS5 table (unicode61 tokenizer) over ``search_searchdoc.tokens``, kept by triggers.
PostgreSQL: a GIN index on a stored generated column ``to_tsvector('simple', tokens)``. Neither needs an extension or a
superuser: the tokens are plain ASCII words (see ``xuncha.analysis.text``).
"""

import django.db.models.deletion
from django.db import migrations, models

_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "tokens, content='search_searchdoc', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdoc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TABLE IF EXISTS search_fts",
]
# A stored generated column, so neither a query's recheck nor its ranking re-parses the tokens
# of every candidate row (an expression index alone left 4,000-row queries at seconds).
_POSTGRES = [
    "ALTER TABLE search_searchdoc ADD COLUMN tokens_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX searchdoc_tokens_fts ON search_searchdoc USING gin (tokens_tsv)",
]
_POSTGRES_DROP = [
    "DROP INDEX IF EXISTS searchdoc_tokens_fts",
    "ALTER TABLE search_searchdoc DROP COLUMN IF EXISTS tokens_tsv",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def _build(apps, schema_editor):
    from xuncha.analysis.text import normal_tokens
    from xuncha.search.index import rebuild

    rebuild(
        apps.get_model("inspections", "Problem"),
        apps.get_model("inspections", "Measure"),
        apps.get_model("inspections", "ProgressReport"),
        apps.get_model("search", "SearchDoc"),
        tokens=normal_tokens,  # this migration's SQLite triggers read the column
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('inspections', '0007_source_completeness'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDoc',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('problem', '反馈问题'), ('rectification', '整改情况'), ('measure', '整改措施'), ('progress', '整改进展')], max_length=16, verbose_name='类型')),
                ('source_id', models.BigIntegerField()),
                ('body', models.TextField()),
                ('tokens', models.TextField()),
                ('problem', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inspections.problem')),
            ],
            options={
                'verbose_name': '检索索引',
                'verbose_name_plural': '检索索引',
                'constraints': [models.UniqueConstraint(fields=('kind', 'source_id'), name='searchdoc_unique_source')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRES}),
            _run({"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}),
        ),
        migrations.RunPython(_build, migrations.RunPython.noop),
    ]
