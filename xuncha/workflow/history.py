"""Writing and checking the chained history of changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import connection

from xuncha.inspections.models import Measure, Problem, Round
from xuncha.workflow.models import Action, Event

GENESIS = "0" * 64
# Any constant works: it names the one lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_ID = 0x78756E636861


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: Action,
    *,
    round: Round | None = None,
    problem: Problem | None = None,
    measure: Measure | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    comment: str = "",
) -> Event:
    """Append an event to the chain. Call inside the transaction that makes the change."""
    _lock_chain()
    last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
    if problem is not None and round is None:
        round = problem.round
    if measure is not None and problem is None:
        problem = measure.problem
    user = actor if isinstance(actor, AuthUser) else None
    event = Event(
        actor=user,
        actor_name=_name(user),
        action=action,
        round=round,
        problem=problem,
        measure=measure,
        changes={k: [_jsonable(old), _jsonable(new)] for k, (old, new) in (changes or {}).items()},
        comment=comment,
        prev_hash=last or GENESIS,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


def _lock_chain() -> None:
    # SQLite transactions here are IMMEDIATE, so writers are already serialised; PostgreSQL
    # needs an explicit lock or two concurrent appends would both link to the same parent.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])


def _name(user: AuthUser | None) -> str:
    if user is None:
        return "系统"
    full = user.get_full_name()
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify_chain() -> Iterator[Break]:
    """Every place the chain is broken: an edited entry, or a missing or reordered one."""
    previous = GENESIS
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            yield Break(event.id, "与前一条记录的链接断开（记录被删除或插入）")
        if event.compute_hash() != event.hash:
            yield Break(event.id, "记录内容与其哈希不符（记录被修改）")
        previous = event.hash


def record_many(
    actor: AbstractBaseUser | AnonymousUser | None, entries: list[dict[str, Any]]
) -> list[Event]:
    """Append several events at once, as :func:`record` would one by one.

    For bulk work (a ledger import writes thousands): one lock, one read of the chain's end,
    one batched insert. Each entry holds ``action`` and record()'s keyword arguments; rows are
    referred to by id, so the objects need not have their relations loaded. Call inside the
    transaction that makes the changes.
    """
    if not entries:
        return []
    _lock_chain()
    last = Event.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    user = actor if isinstance(actor, AuthUser) else None
    name = _name(user)
    events = []
    for entry in entries:
        round_, problem, measure = entry.get("round"), entry.get("problem"), entry.get("measure")
        # The same links record() makes: a problem brings its round, a measure its problem.
        round_id = round_.pk if round_ is not None else (
            problem.round_id if problem is not None else None)
        problem_id = problem.pk if problem is not None else (
            measure.problem_id if measure is not None else None)
        event = Event(
            actor=user,
            actor_name=name,
            action=entry["action"],
            round_id=round_id,
            problem_id=problem_id,
            measure_id=measure.pk if measure is not None else None,
            changes={k: [_jsonable(old), _jsonable(new)]
                     for k, (old, new) in (entry.get("changes") or {}).items()},
            comment=entry.get("comment", ""),
            prev_hash=last,
        )
        event.hash = last = event.compute_hash()
        events.append(event)
    return Event.objects.bulk_create(events, batch_size=1000)
