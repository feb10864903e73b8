"""Verifying only what was appended to the history since an archived anchor.

A full `xuncha audit verify` reads every entry (a million at a province's size). An office that
archives an anchor after each verify can instead check that the anchored entry still stands
where the anchor put it (one index lookup and one index count), then walk only the entries
appended after it and the head — and write the new anchor for the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from xuncha.workflow import auditkeys
from xuncha.workflow.history import (
    Break,
    _anchor_body,
    _check_entry,
    _check_head,
    _Walk,
    current_key,
    keys,
)
from xuncha.workflow.models import Event


def verify_since(archived: Any, walk: _Walk | None = None) -> Iterator[Break]:
    """Every place the chain fails after the anchor ``archived``, or the anchor itself no longer
    holds (its entry removed, rewritten or moved). ``walk`` ends at the newest entry."""
    body = _anchor_body(archived)
    key = keys().get(body["key_id"])
    if key is None or not auditkeys.verify(key, auditkeys.canonical(body), archived["mac"]):
        yield Break(None, "锚点的签名不符：不是本系统生成的锚点，或锚点文件被改动")
        return
    walk = walk if walk is not None else _Walk()
    count = body["count"]
    last_id = 0
    if count:
        entry = Event.objects.filter(hash=body["hash"]).values_list("id", flat=True).first()
        position = Event.objects.filter(id__lte=entry).count() if entry is not None else None
        if entry is None or position != count:
            total = Event.objects.count()
            yield Break(
                entry,
                f"锚点（{body['at']}）记载的第 {count} 条记录（现共 {total} 条）已不在原位："
                "锚定时已有的记录被删除、插入或改写；请运行完整的 xuncha audit verify",
            )
            return
        last_id = entry
        # Unsigned entries only ever precede signed ones, so counting them up to the anchor
        # gives the walk the same tally a full walk would have.
        walk.unkeyed = Event.objects.filter(id__lte=entry, key_id="").count()
    walk.count, walk.last_id, walk.last_hash = count, last_id or None, body["hash"]
    ring = keys()
    for event in Event.objects.filter(id__gt=last_id).order_by("id").iterator(chunk_size=2000):
        walk.count += 1
        if event.prev_hash != walk.last_hash:
            yield Break(event.id, "与前一条记录的链接断开（前面的记录被删除、插入或改写）")
        yield from _check_entry(event, ring, signed_before=walk.count - 1 > walk.unkeyed)
        walk.unkeyed += not event.key_id
        walk.last_id, walk.last_hash = event.id, event.hash
    yield from _check_head(walk, ring)


def anchor_from(walk: _Walk) -> dict[str, Any]:
    """An anchor for where a clean walk ended (same form as ``history.anchor``)."""
    key = current_key()
    body = {
        "count": walk.count,
        "hash": walk.last_hash,
        "key_id": key.id,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    return {**body, "mac": key.sign(auditkeys.canonical(body))}
