"""The search index: one row per searchable text (a problem, its published rectification, a
measure, a progress report), with its normalised body and its full-text tokens.

The database's own full-text index: on SQLite a contentless FTS5 table kept by triggers that
compute the tokens from ``body`` (migration 0003_search1m_fts_contentless), on PostgreSQL a GIN
index on the tokens as a tsvector (migrations 0001_search_index and
0002_importpg_array_tsvector).
"""

from __future__ import annotations

from django.db import models

from xuncha.inspections.models import Problem


class SearchDoc(models.Model):
    class Kind(models.TextChoices):
        PROBLEM = "problem", "反馈问题"
        RECTIFICATION = "rectification", "整改情况"
        MEASURE = "measure", "整改措施"
        PROGRESS = "progress", "整改进展"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    #: The row the text comes from: the problem (problem, rectification), measure or report.
    source_id = models.BigIntegerField()
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    #: ``xuncha.analysis.text.normalise`` of the text: the exact substring test runs on it.
    body = models.TextField()
    #: ``xuncha.analysis.text.index_tokens`` of the text: what the full-text index holds
    #: (PostgreSQL; empty on SQLite, see ``xuncha.search.index.stored_tokens``).
    tokens = models.TextField()

    class Meta:
        verbose_name = verbose_name_plural = "检索索引"
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="searchdoc_unique_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source_id}"
