"""Keeping the search index in step with the data, in the same transaction as the write.

Every path that writes searchable text (the workflow services, ``add_problems``, the importer,
the admin) saves through the ORM, so ``post_save``/``post_delete`` handlers here cover them all
without each service having to remember; a save that only changes a status
(``update_fields`` without a text field) costs nothing. Writes that bypass the ORM's save
(``bulk_create``, ``QuerySet.update`` of text, raw SQL, a generated database) need
``xuncha reindex`` — or, like the ledger importer's bulk inserts, :class:`BulkDocs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from xuncha.analysis.text import normal_tokens, normalise
from xuncha.inspections.models import Measure, Problem, ProgressReport
from xuncha.search.models import SearchDoc

Kind = SearchDoc.Kind

_PROBLEM_FIELDS = frozenset({"heading", "text", "published_rectification"})
_MEASURE_FIELDS = frozenset({"content", "standard", "leader", "department"})


def problem_text(heading: str, text: str) -> str:
    return "\n".join(part for part in (heading, text) if part)


def measure_text(content: str, standard: str, leader: str, department: str) -> str:
    """A measure is found by its content, its 整改标准, and who answers for it."""
    return "\n".join(part for part in (content, standard, leader, department) if part)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite: ``xuncha_tokens(body)``, the tokens of a normalised text, for the triggers
    that keep the FTS5 table in step (migration 0003): the tokens are stored nowhere else."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("xuncha_tokens", 1, normal_tokens,
                                              deterministic=True)


def stored_tokens(body: str) -> str:
    """What the ``tokens`` column holds for a normalised text: its tokens on PostgreSQL (the
    generated ``tokens_tsv`` reads them); nothing on SQLite, whose contentless FTS5 table is
    given them by its triggers (the column was most of the table's size)."""
    return "" if connection.vendor == "sqlite" else normal_tokens(body)


def make_doc(model: type[Any], kind: str, source_id: int, problem_id: int, text: str,
             tokens: Callable[[str], str] = normal_tokens) -> Any:
    """An unsaved index row (of ``model``, so migrations can pass their historical model)."""
    body = normalise(text)
    return model(kind=kind, source_id=source_id, problem_id=problem_id, body=body,
                 tokens=tokens(body))


class BulkDocs:
    """Index rows for rows written in bulk (no signals), inserted in bulk too."""

    def __init__(self) -> None:
        from xuncha.inspections.bulk import Table

        self.rows = Table(SearchDoc, ("kind", "source_id", "problem_id", "body", "tokens"))

    def add(self, kind: str, source_id: int, problem_id: int | None, text: str) -> None:
        if text.strip():
            body = normalise(text)
            self.rows.add(str(kind), source_id, problem_id, body, stored_tokens(body))

    def follow(self, table: Any) -> None:
        """The bulk table (:class:`xuncha.inspections.bulk.Table`) the next rows index: its
        pending rows are written before each batch of index rows."""
        self.rows.follow(table)

    def flush(self) -> None:
        self.rows.flush()


def _replace(kind: str, source_id: int, problem_id: int, text: str) -> None:
    SearchDoc.objects.filter(kind=kind, source_id=source_id).delete()
    if text.strip():
        make_doc(SearchDoc, kind, source_id, problem_id, text, stored_tokens).save()


def _touches(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _problem_saved(sender: type[Model], instance: Problem, update_fields: Any = None,
                   **kwargs: Any) -> None:
    if kwargs.get("raw") or not _touches(update_fields, _PROBLEM_FIELDS):
        return
    _replace(Kind.PROBLEM, instance.pk, instance.pk, problem_text(instance.heading, instance.text))
    _replace(Kind.RECTIFICATION, instance.pk, instance.pk, instance.published_rectification)


def _measure_saved(sender: type[Model], instance: Measure, update_fields: Any = None,
                   **kwargs: Any) -> None:
    if kwargs.get("raw") or not _touches(update_fields, _MEASURE_FIELDS):
        return
    text = measure_text(instance.content, instance.standard, instance.leader, instance.department)
    _replace(Kind.MEASURE, instance.pk, instance.problem_id, text)


def _progress_saved(sender: type[Model], instance: ProgressReport, update_fields: Any = None,
                    **kwargs: Any) -> None:
    if kwargs.get("raw") or not _touches(update_fields, frozenset({"text"})):
        return
    problem_id = Measure.objects.filter(pk=instance.measure_id).values_list(
        "problem_id", flat=True
    ).get()
    _replace(Kind.PROGRESS, instance.pk, problem_id, instance.text)


def _deleted(kind: str) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        SearchDoc.objects.filter(kind=kind, source_id=instance.pk).delete()

    return handler


_measure_deleted = _deleted(Kind.MEASURE)
_progress_deleted = _deleted(Kind.PROGRESS)


def connect_signals() -> None:
    post_save.connect(_problem_saved, sender=Problem, dispatch_uid="search-problem")
    post_save.connect(_measure_saved, sender=Measure, dispatch_uid="search-measure")
    post_save.connect(_progress_saved, sender=ProgressReport, dispatch_uid="search-progress")
    post_delete.connect(_measure_deleted, sender=Measure, dispatch_uid="search-measure-del")
    post_delete.connect(_progress_deleted, sender=ProgressReport, dispatch_uid="search-prog-del")


def _all_docs(problem_model: Any, measure_model: Any, progress_model: Any,
              doc_model: Any, batch: int, tokens: Callable[[str], str]) -> Iterator[Any]:
    problems = problem_model.objects.order_by("pk").values_list(
        "pk", "heading", "text", "published_rectification"
    )
    for pk, heading, text, rectification in problems.iterator(chunk_size=batch):
        yield make_doc(doc_model, Kind.PROBLEM, pk, pk, problem_text(heading, text), tokens)
        if rectification.strip():
            yield make_doc(doc_model, Kind.RECTIFICATION, pk, pk, rectification, tokens)
    measures = measure_model.objects.order_by("pk").values_list(
        "pk", "problem_id", "content", "standard", "leader", "department"
    )
    for pk, problem_id, *parts in measures.iterator(chunk_size=batch):
        text = measure_text(*parts)
        if text.strip():
            yield make_doc(doc_model, Kind.MEASURE, pk, problem_id, text, tokens)
    reports = progress_model.objects.order_by("pk").values_list(
        "pk", "measure__problem_id", "text"
    )
    for pk, problem_id, text in reports.iterator(chunk_size=batch):
        if text.strip():
            yield make_doc(doc_model, Kind.PROGRESS, pk, problem_id, text, tokens)


def rebuild(problem_model: Any = Problem, measure_model: Any = Measure,
            progress_model: Any = ProgressReport, doc_model: Any = SearchDoc,
            batch: int = 2000, report: Callable[[int], None] | None = None,
            tokens: Callable[[str], str] = stored_tokens) -> int:
    """Drop and rebuild the whole index in one transaction; returns the number of rows.

    Takes the models as arguments so the migration can run it with its historical models;
    ``report`` is called with the running count after each batch; ``tokens`` makes the
    ``tokens`` column (migration 0001's SQLite triggers still read it: it passes
    ``normal_tokens``).
    """
    written = 0
    with transaction.atomic():
        doc_model.objects.all().delete()
        pending: list[Any] = []
        for doc in _all_docs(problem_model, measure_model, progress_model, doc_model, batch,
                            tokens):
            pending.append(doc)
            if len(pending) >= batch:
                doc_model.objects.bulk_create(pending)
                written += len(pending)
                pending = []
                if report:
                    report(written)
        if pending:
            doc_model.objects.bulk_create(pending)
            written += len(pending)
        if report:
            report(written)
    return written
