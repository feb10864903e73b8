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

from xuncha.inspections.models import Measure, PartyOrganisation, Problem, Round
from xuncha.workflow import notify
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
    unit: PartyOrganisation | None = None,
) -> Event:
    """Append an event to the chain. Call inside the transaction that makes the change.

    The people who must act on the event are notified in the same transaction
    (``xuncha.workflow.notify``); ``unit`` names the unit an event without a problem is about
    (督办).
    """
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
    notify.event_recorded(event, problem.unit_id if problem is not None else _pk(unit))
    return event


def _pk(unit: PartyOrganisation | None) -> int | None:
    return unit.pk if unit is not None else None


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
