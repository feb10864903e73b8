"""Keeping the band keys in step with the problems.

Every path that creates a problem or changes its text through the ORM's save (the workflow
services, ``add_problems``, the importer, the ledger import, the admin) is covered by the
``post_save`` handler here, in the same transaction as the write; a save that changes only a
status (``update_fields`` without a text field) costs nothing. Bulk writers that bypass save
(``xuncha generate``) add rows with ``rows_for`` themselves; anything else (raw SQL, a restored
database, a change of the band parameters) needs ``xuncha similar rebuild``, which works in
batches of problems by id so its memory does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_save

from xuncha.analysis.similarity import keys_for
from xuncha.inspections.models import PartyOrganisation, Problem
from xuncha.similar.models import BandKey

_TEXT_FIELDS = frozenset({"heading", "text"})
COLUMNS = ("problem_id", "round_id", "unit_id", "place", "key")


def problem_text(heading: str, text: str) -> str:
    return "\n".join(part for part in (heading, text) if part)


def place_of(unit_id: int, region_id: int | None) -> int:
    """Where a unit is, for 屡查屡犯: its region, or (without one) the unit itself."""
    return region_id if region_id is not None else -unit_id


def rows_for(problem_id: int, round_id: int, unit_id: int, place: int,
             text: str) -> list[tuple[int, int, int, int, int]]:
    """The ``BandKey`` rows of one problem, as tuples in ``COLUMNS`` order."""
    return [(problem_id, round_id, unit_id, place, key) for key in keys_for(text)]


def refresh(problem: Problem) -> None:
    """Replace one problem's band keys (call inside the write's transaction)."""
    BandKey.objects.filter(problem_id=problem.pk).delete()
    region_id = PartyOrganisation.objects.filter(pk=problem.unit_id).values_list(
        "region_id", flat=True
    ).first()
    rows = rows_for(problem.pk, problem.round_id, problem.unit_id,
                    place_of(problem.unit_id, region_id),
                    problem_text(problem.heading, problem.text))
    BandKey.objects.bulk_create([BandKey(**dict(zip(COLUMNS, row, strict=True))) for row in rows])


def follow_units(units: Iterable[PartyOrganisation]) -> None:
    """After problems moved to ``units`` or the units moved region with an ``UPDATE`` (merging
    units or regions), give their band keys the units' ids and places again."""
    for unit in units:
        BandKey.objects.filter(
            problem_id__in=Problem.objects.filter(unit_id=unit.pk).values("pk")
        ).update(unit_id=unit.pk, place=place_of(unit.pk, unit.region_id))


def _problem_saved(sender: type[Model], instance: Problem, created: bool = False,
                   update_fields: Any = None, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created or update_fields is None or _TEXT_FIELDS & set(update_fields):
        refresh(instance)


def connect_signals() -> None:
    post_save.connect(_problem_saved, sender=Problem, dispatch_uid="similar-problem")


class RowWriter:
    """Band key rows in bulk: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, batch: int = 20000, model: Any = BandKey) -> None:
        from xuncha.inspections.generate import Writer

        self.writer = Writer(model, COLUMNS)
        self.writer.BATCH = batch

    def add_problem(self, problem_id: int, round_id: int, unit_id: int, place: int,
                    text: str) -> None:
        for row in rows_for(problem_id, round_id, unit_id, place, text):
            self.writer.add(*row)

    def flush(self) -> None:
        self.writer.flush()

    @property
    def count(self) -> int:
        return self.writer.count + len(self.writer.rows)


def rebuild(batch: int = 5000, report: Callable[[int, int], None] | None = None,
            problem_model: Any = Problem, band_model: Any = BandKey,
            drop_indexes: bool = True) -> int:
    """Recompute every problem's band keys in one transaction; returns the number of rows.

    Problems are read in keyset batches of ``batch`` (memory stays flat); the lookup indexes
    are dropped during the load and built once at the end, which is several times faster than
    keeping them up to date row by row. ``report(problems, rows)`` is called after each batch.
    Takes the models as arguments so the migration can run it with its historical models
    (and ``drop_indexes=False``: there the schema editor creates the indexes after it).
    """
    writer = RowWriter(model=band_model)
    table = connection.ops.quote_name(band_model._meta.db_table)
    # Plain SQL, not the schema editor: the migration runs this inside its own editor.
    quote = connection.ops.quote_name
    indexes = [
        (quote(index.name), ", ".join(
            quote(band_model._meta.get_field(field).column) for field in index.fields
        ))
        for index in band_model._meta.indexes
    ] if drop_indexes else []
    done = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # TRUNCATE refuses while deferred foreign-key checks of this transaction wait.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's table
            for name, _columns in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        last = 0
        while True:
            rows = list(
                problem_model.objects.filter(pk__gt=last).order_by("pk").values_list(
                    "pk", "round_id", "unit_id", "unit__region_id", "heading", "text"
                )[:batch]
            )
            if not rows:
                break
            for pk, round_id, unit_id, region_id, heading, text in rows:
                writer.add_problem(pk, round_id, unit_id, place_of(unit_id, region_id),
                                   problem_text(heading, text))
            last = rows[-1][0]
            done += len(rows)
            if report:
                report(done, writer.count)
        writer.flush()
        with connection.cursor() as cursor:
            for name, columns in indexes:
                cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return writer.count
