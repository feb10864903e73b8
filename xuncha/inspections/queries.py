"""Read-side queries shared by the web pages and the API: counts without N+1 or row blow-up.

They take the caller's already-scoped querysets (from ``xuncha.access``), so counts never
include what the user may not see.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from xuncha.inspections.models import (
    Inspection,
    Problem,
    RectificationStatus,
    Round,
    SourceDocument,
)

#: A round's imported notices, newest publication first: what the round page and the API's
#: round detail show of them (published notices, so whoever sees the round may read them).
NOTICE_SOURCES = SourceDocument.objects.order_by("-published", "-imported_at", "-id")


#: More rounds than this in a user's scope and a page's aggregates are over most of the data
#: (a province): they want ``analytic_session(hash_joins=True)``.
WIDE_ROUNDS = 1000


@contextlib.contextmanager
def analytic_session(*, hash_joins: bool = False) -> Iterator[None]:
    """PostgreSQL settings for big aggregates, for this transaction only: no JIT (compiling
    them took seconds, more than it saved), room to sort and hash in memory, and with
    ``hash_joins`` no nested loops. The last is for aggregates over most of the data: the
    planner guesses the scope's semi-join on (round, unit) matches a few hundred problems (it
    multiplies the two columns' selectivities) where it matches a million, and answers with a
    nested loop into the measures that took 25-35 s per breakdown at a million problems,
    against 2-6 s hashed. SQLite: nothing (a transaction would hold its write lock)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if hash_joins:
            cursor.execute("SET LOCAL enable_nestloop = off")
        yield


def board_session(user: Any) -> contextlib.AbstractContextManager[None]:
    """The overdue board's session for `user` (page and export alike): hashed joins when the
    scope is a province's (44 s -> 10 s per unit at 1M on PostgreSQL), else nothing."""
    from xuncha import access

    wide = access.rounds_for(user).count() > WIDE_ROUNDS
    return analytic_session(hash_joins=True) if wide else contextlib.nullcontext()


def _count(queryset: QuerySet, group_field: str) -> Coalesce:
    """A correlated COUNT(*) subquery; joins would multiply rows across two relations."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def rounds_with_counts(
    rounds: QuerySet[Round], inspections: QuerySet[Inspection], problems: QuerySet[Problem]
) -> QuerySet[Round]:
    in_round = problems.filter(round=OuterRef("pk"))
    return rounds.select_related("committee").prefetch_related("kinds").annotate(
        unit_count=_count(inspections.filter(round=OuterRef("pk")), "round"),
        problem_count=_count(in_round, "round"),
        signed_off_count=_count(in_round.filter(status=RectificationStatus.SIGNED_OFF), "round"),
    )


def counted_rounds_page(
    rounds: QuerySet[Round], inspections: QuerySet[Inspection], problems: QuerySet[Problem],
    start: int, size: int,
) -> QuerySet[Round]:
    """Rounds ``start`` to ``start + size`` of ``rounds`` (in their order), with their counts.

    The page's rounds are picked first (a subquery of ids) and only they are counted: an
    OFFSET over the counted rounds made PostgreSQL count every round it skipped (1.6 s for the
    last page of a province's 4,000 rounds).
    """
    page = rounds.values("pk")[start : start + size]
    return rounds_with_counts(rounds.filter(pk__in=page), inspections, problems)


def inspections_with_counts(
    inspections: QuerySet[Inspection], problems: QuerySet[Problem]
) -> QuerySet[Inspection]:
    of_unit = problems.filter(round=OuterRef("round"), unit=OuterRef("unit"))
    return (
        inspections.select_related("unit__region__parent__parent", "group")
        .annotate(
            problem_count=_count(of_unit, "unit"),
            signed_off_count=_count(of_unit.filter(status=RectificationStatus.SIGNED_OFF), "unit"),
            immediate_count=_count(of_unit.filter(immediate=True), "unit"),
        )
        .order_by("order", "id")
    )
