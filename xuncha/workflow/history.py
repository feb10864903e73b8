"""Writing and checking the chained history of changes.

Each entry links to the one before and is signed with the audit key (outside the database); a
head record, signed too, holds the chain's length and newest hash; anchors copy the head out.
`verify_chain` checks entries and head, `verify_anchor` an archived anchor, and
`xuncha.workflow.replay` whether the entries explain the current statuses.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import connection
from django.utils import timezone

from xuncha.inspections.models import Measure, PartyOrganisation, Problem, Round
from xuncha.workflow import auditkeys, notify
from xuncha.workflow.models import Action, ChainHead, Event
from xuncha.workflow.replay import Replay, Unexplained

GENESIS = "0" * 64
# Any constant works: it names the one lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_ID = 0x78756E636861
_T = TypeVar("_T")
#: The one ChainHead row.
HEAD_ID = 1


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
    """Append a signed event to the chain and move its head. Call inside the transaction that
    makes the change.

    The people who must act on the event are notified in the same transaction
    (``xuncha.workflow.notify``); ``unit`` names the unit an event without a problem is about
    (督办).
    """
    _lock_chain()
    ring = keys()
    key = list(ring.values())[-1]
    head = ChainHead.objects.filter(pk=HEAD_ID).first()
    if head is None or not _head_is_signed(head, ring):
        # Never re-sign a head nobody signed: that would launder whatever was done to it.
        head = _new_head()
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
        # Linking to the head, not to the table's newest row, makes an append after deleted
        # entries break right there, naming the gap.
        prev_hash=head.last_hash,
        key_id=key.id,
    )
    event.hash = key.sign(event.signed_payload())
    event.save()
    head.count += 1
    head.last_hash = event.hash
    _sign_head(head, key)
    notify.event_recorded(event, problem.unit_id if problem is not None else _pk(unit))
    return event


def _pk(unit: PartyOrganisation | None) -> int | None:
    return unit.pk if unit is not None else None


def keys() -> dict[str, auditkeys.Key]:
    """The configured key ring, {key id: key}; the last is the current key."""
    return auditkeys.ring(settings.AUDIT_KEYS)


def current_key() -> auditkeys.Key:
    return list(keys().values())[-1]


def _head_is_signed(head: ChainHead, ring: dict[str, auditkeys.Key]) -> bool:
    key = ring.get(head.key_id)
    return key is not None and auditkeys.verify(key, head.signed_payload(), head.mac)


def _new_head() -> ChainHead:
    """The head for a chain without a valid one: a new install (no entries), or one whose head
    was deleted or forged — then marked as rebuilt, which verify reports from then on."""
    events = Event.objects.order_by("-id")
    last = events.values_list("hash", flat=True).first()
    count = events.count()
    return ChainHead(
        pk=HEAD_ID,
        count=count,
        last_hash=last or GENESIS,
        unkeyed=events.filter(key_id="").count(),
        rebuilt_at=count or None,
    )


def _sign_head(head: ChainHead, key: auditkeys.Key) -> None:
    head.key_id = key.id
    head.mac = key.sign(head.signed_payload())
    head.updated_at = timezone.now()
    head.save()


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
    """A place the history fails to verify: an entry (``event_id``), or the head or an anchor
    (``event_id`` None)."""

    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = "链头" if self.event_id is None else f"记录 #{self.event_id}"
        return f"{where}：{self.reason}"


@dataclass
class _Walk:
    count: int = 0
    unkeyed: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS


def verify_chain(walk: _Walk | None = None) -> Iterator[Break]:
    """Every place the chain fails: an edited, forged, inserted or deleted entry, or a head that
    does not match the entries."""
    ring = keys()
    walk = walk if walk is not None else _Walk()
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        walk.count += 1
        if event.prev_hash != walk.last_hash:
            yield Break(event.id, "与前一条记录的链接断开（前面的记录被删除、插入或改写）")
        yield from _check_entry(event, ring, signed_before=walk.count - 1 > walk.unkeyed)
        walk.unkeyed += not event.key_id
        walk.last_id, walk.last_hash = event.id, event.hash
    yield from _check_head(walk, ring)


def _check_entry(
    event: Event, ring: dict[str, auditkeys.Key], signed_before: bool
) -> Iterator[Break]:
    if not event.key_id:
        if signed_before:
            yield Break(event.id, "未签名的记录出现在已签名的记录之后（记录系伪造）")
        elif event.unkeyed_hash() != event.hash:
            yield Break(event.id, "记录内容与其哈希不符（记录被修改）")
        return
    key = ring.get(event.key_id)
    if key is None:
        yield Break(
            event.id, f"签名密钥 {event.key_id} 不在密钥环中（记录系伪造，或轮换前的旧密钥缺失）"
        )
    elif not auditkeys.verify(key, event.signed_payload(), event.hash):
        yield Break(event.id, "记录内容与其签名不符（记录被修改或伪造）")


def _check_head(walk: _Walk, ring: dict[str, auditkeys.Key]) -> Iterator[Break]:
    head = ChainHead.objects.filter(pk=HEAD_ID).first()
    if head is None:
        if walk.count:
            yield Break(None, f"链头记录缺失（现有 {walk.count} 条记录）：请与存档的锚点核对")
        return
    if not _head_is_signed(head, ring):
        yield Break(None, "链头记录与其签名不符（链头被改写）")
        return
    if head.rebuilt_at is not None:
        yield Break(
            None,
            f"链头记录曾被删除或改写，在已有 {head.rebuilt_at} 条记录时重建：此前是否有记录被删除，"
            "请与存档的锚点核对",
        )
    if head.count > walk.count:
        after = f"记录 #{walk.last_id} 之后" if walk.last_id else "全部"
        yield Break(
            None,
            f"链头记载 {head.count} 条记录，现只有 {walk.count} 条：{after}的 "
            f"{head.count - walk.count} 条最新记录被删除",
        )
    elif head.count < walk.count:
        extra = Event.objects.order_by("id").values_list("id", flat=True)
        names = "、".join(f"#{pk}" for pk in extra[head.count : head.count + 20])
        yield Break(
            None,
            f"链头记载 {head.count} 条记录，现有 {walk.count} 条：{names} 不是经系统追加的记录",
        )
    elif head.last_hash != walk.last_hash:
        yield Break(None, f"链头记载的最新记录哈希与记录 #{walk.last_id} 不符")
    if head.unkeyed != walk.unkeyed:
        yield Break(
            None, f"链头记载 {head.unkeyed} 条升级前的未签名记录，现有 {walk.unkeyed} 条"
        )


# --- anchors: the head, copied out for an office to archive ---------------------------------


class AnchorError(ValueError):
    """An anchor file that cannot be read; the message says why (Chinese)."""


def anchor() -> dict[str, Any]:
    """The current head as an anchor {count, hash, key_id, at, mac}; AnchorError when the chain
    does not verify (an anchor must never vouch for a broken chain)."""
    walk = _Walk()
    breaks = list(verify_chain(walk))
    if breaks:
        raise AnchorError(
            f"操作记录链有 {len(breaks)} 处问题，不能生成锚点；先运行 xuncha audit verify"
        )
    key = current_key()
    body = {
        "count": walk.count,
        "hash": walk.last_hash,
        "key_id": key.id,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    return {**body, "mac": key.sign(auditkeys.canonical(body))}


def verify_anchor(archived: Any) -> Iterator[Break]:
    """Whether the chain still extends an archived anchor: its entry number ``count`` (in
    chain order) must still carry the anchored hash, so nothing up to it was removed or
    rewritten, even with the head rolled back."""
    body = _anchor_body(archived)
    key = keys().get(body["key_id"])
    if key is None or not auditkeys.verify(key, auditkeys.canonical(body), archived["mac"]):
        yield Break(None, "锚点的签名不符：不是本系统生成的锚点，或锚点文件被改动")
        return
    count = body["count"]
    if count == 0:
        return
    entry = Event.objects.order_by("id").values_list("id", "hash")[count - 1 : count].first()
    if entry is None:
        total = Event.objects.count()
        yield Break(
            None,
            f"锚点（{body['at']}）记载 {count} 条记录，现只有 {total} 条：锚定时已有的记录被删除",
        )
    elif entry[1] != body["hash"]:
        yield Break(
            entry[0],
            f"锚点（{body['at']}）记载的第 {count} 条记录哈希与此记录不符："
            "锚定时已有的记录被删除、插入或改写",
        )


def _anchor_body(archived: Any) -> dict[str, Any]:
    fields = {"count": int, "hash": str, "key_id": str, "at": str, "mac": str}
    if not isinstance(archived, dict) or any(
        not isinstance(archived.get(name), kind) or isinstance(archived.get(name), bool)
        for name, kind in fields.items()
    ):
        raise AnchorError("锚点文件格式不对：须为 xuncha audit anchor 输出的 JSON 对象")
    if archived["count"] < 0:
        raise AnchorError("锚点文件格式不对：count 不能为负数")
    return {name: archived[name] for name in fields if name != "mac"}


# --- whether the history explains the current statuses -------------------------------------


def verify_states(batch_size: int = 2000) -> list[Unexplained]:
    """Every problem and measure whose status or plan state the history does not explain,
    e.g. one set by SQL or by an editor outside the services."""
    replay = Replay()
    events = Event.objects.order_by("id").values_list("id", "problem_id", "measure_id", "changes")
    for event_id, problem_id, measure_id, changes in events.iterator(chunk_size=batch_size):
        replay.apply(event_id, problem_id, measure_id, changes if isinstance(changes, dict) else {})
    problems = Problem.objects.order_by("id").values_list("id", "status", "plan_state")
    for batch in _batches(problems.iterator(chunk_size=batch_size), batch_size):
        measures: dict[int, list[int]] = defaultdict(list)
        rows = Measure.objects.filter(problem_id__in=[row[0] for row in batch]).order_by("id")
        for measure_id, problem_id, status in rows.values_list("id", "problem_id", "status"):
            replay.check_measure(measure_id, status)
            measures[problem_id].append(measure_id)
        for problem_id, status, plan_state in batch:
            replay.check_problem(problem_id, status, plan_state, measures[problem_id])
    return replay.findings


def _batches(rows: Iterator[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


#: JSON as ``auditkeys.canonical`` writes it (sorted keys, compact, UTF-8 as is), and as the
#: bulk append stores ``changes`` (compact, in the order given). Built once: ``json.dumps``
#: with options builds an encoder per call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_STORED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: Values ``_jsonable`` leaves as they are, told apart by exact type (the common case).
_PLAIN = frozenset({str, int, bool, float, type(None)})
_EVENT_COLUMNS = ("id", "action", "round_id", "problem_id", "measure_id", "changes", "comment",
                  "prev_hash", "hash")


def _link(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    return value.pk if value is not None else entry.get(f"{name}_id")


def _number(value: Any) -> str:
    return "null" if value is None else str(int(value))


class _Payloads:
    """``Event.signed_payload`` of bulk entries, written straight into the canonical form.

    The keys in sorted order: action, actor, actor_name, at, changes, comment, key, measure,
    prev, problem, round. What all entries of a batch share is encoded once; each entry's own
    parts are an action and a comment (few distinct, encoded once each), three ids and a hash
    (no escaping needed), and its changes (encoded once, sorted, by the caller).
    ``tests/workflow/test_history_many.py`` checks the result against the model's payload.
    """

    def __init__(self, actor_id: int | None, actor_name: str, at: datetime.datetime,
                 key_id: str) -> None:
        self.shared = (f',"actor":{_number(actor_id)},"actor_name":{_CANONICAL(actor_name)}'
                       f',"at":{_CANONICAL(at.isoformat())},"changes":')
        self.key = f',"key":{_CANONICAL(key_id)},"measure":'
        self.strings: dict[str, str] = {}

    def string(self, value: str) -> str:
        encoded = self.strings.get(value)
        if encoded is None:
            encoded = self.strings[value] = _CANONICAL(value)
        return encoded

    def __call__(self, action: str, changes: str, comment: str, measure_id: Any, prev: str,
                 problem_id: Any, round_id: Any) -> bytes:
        return (f'{{"action":{self.string(action)}{self.shared}{changes}'
                f',"comment":{self.string(comment)}{self.key}{_number(measure_id)}'
                f',"prev":{prev},"problem":{_number(problem_id)},"round":{_number(round_id)}}}'
                ).encode()


def record_many(
    actor: AbstractBaseUser | AnonymousUser | None, entries: list[dict[str, Any]]
) -> int:
    """Append several events at once, as :func:`record` would one by one; returns how many.

    For bulk work (a ledger import writes a hundred thousand): one lock, one read of the head,
    rows inserted in bulk (:mod:`xuncha.inspections.bulk`), one head update; every entry is
    still signed and linked to the one before. Each entry holds ``action`` and record()'s
    keyword arguments; rows may be given by id instead (``round_id``, ``problem_id``,
    ``measure_id``), then the links record() derives (a problem's round, a measure's problem)
    must be given too. All entries share one time. Bulk work tells nobody (no notifications):
    whoever ran it sees its report. Call inside the transaction that makes the changes.
    """
    from xuncha.inspections.bulk import Table, reserve_ids, unordered

    if not entries:
        return 0
    # The chain's lock and head are not among what a bulk import may still be writing.
    with unordered():
        _lock_chain()
        ring = keys()
        key = list(ring.values())[-1]
        head = ChainHead.objects.filter(pk=HEAD_ID).first()
        if head is None or not _head_is_signed(head, ring):
            head = _new_head()
    user = actor if isinstance(actor, AuthUser) else None
    actor_id = user.pk if user is not None else None
    name = _name(user)
    at = timezone.now()
    payload = _Payloads(actor_id, name, at, key.id)
    sign = key.signer()
    last = head.last_hash
    # Every later link is a hex digest of ours; only the head's may need escaping.
    prev = _CANONICAL(last)
    table = Table(Event, _EVENT_COLUMNS, encoded=("changes",), fixed={
        "at": at, "actor_id": actor_id, "actor_name": name, "key_id": key.id})
    plain = _PLAIN
    for pk, entry in zip(reserve_ids(Event, len(entries)), entries, strict=True):
        problem, measure = entry.get("problem"), entry.get("measure")
        # The same links record() makes: a problem brings its round, a measure its problem.
        round_id = _link(entry, "round") or (problem.round_id if problem is not None else None)
        problem_id = _link(entry, "problem") or (
            measure.problem_id if measure is not None else None)
        measure_id = _link(entry, "measure")
        changes = {k: [old if type(old) in plain else _jsonable(old),
                       new if type(new) in plain else _jsonable(new)]
                   for k, (old, new) in (entry.get("changes") or {}).items()}
        signed = _CANONICAL(changes)
        # Stored in the order given (the history shows the fields so); signed sorted.
        stored = signed if list(changes) == sorted(changes) else _STORED(changes)
        action, comment = str(entry["action"]), entry.get("comment", "")
        previous = last
        last = sign(payload(action, signed, comment, measure_id, prev, problem_id, round_id))
        prev = f'"{last}"'
        table.add(pk, action, round_id, problem_id, measure_id, stored, comment, previous, last)
    table.flush()
    head.count += len(entries)
    head.last_hash = last
    _sign_head(head, key)
    return len(entries)
