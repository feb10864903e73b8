"""`xuncha audit anchor | verify --anchor | new-key`, key rotation, and an upgraded install's
unsigned history. Run on SQLite and PostgreSQL (XUNCHA_DATABASE_URL)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.workflow.conftest import MEASURE
from tests.workflow.test_audit_tampering import verify
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import auditkeys, services
from xuncha.workflow.history import current_key
from xuncha.workflow.models import Action, ChainHead, Event

pytestmark = pytest.mark.django_db

OTHER_SECRET = "a second audit key, long enough to be accepted"


def write_anchor(path: Path) -> dict[str, Any]:
    call_command("audit", "anchor", "-o", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def head_copy() -> dict[str, Any]:
    return dict(ChainHead.objects.values().get())


def test_anchor_prints_the_signed_head(signed_off: Measure, capsys: Any) -> None:
    call_command("audit", "anchor")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"count", "hash", "key_id", "at", "mac"}
    assert printed["count"] == Event.objects.count()
    assert printed["hash"] == Event.objects.order_by("-id").first().hash
    assert printed["key_id"] == current_key().id


def test_the_chain_still_extends_its_anchor_after_more_work(
    signed_off: Measure, people: dict[str, Any], tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    write_anchor(anchor)
    other = Problem.objects.exclude(id=signed_off.problem_id).filter(unit__name="木垒县东城镇党委")
    services.add_measure(people["unit_a"], other.get(order=2), MEASURE)
    code, out = verify("--anchor", str(anchor))
    assert code == 0, out
    assert "1 个存档锚点" in out


def test_an_archived_anchor_catches_deleted_entries_with_the_head_rolled_back(
    open_measure: Measure, people: dict[str, Any], tmp_path: Path
) -> None:
    """Someone who saved an old head row can delete the newest entries and put the old head
    back: the table agrees with itself, only an anchor kept elsewhere tells."""
    old_head = head_copy()
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    anchor = tmp_path / "anchor.json"
    archived = write_anchor(anchor)
    Event.objects.filter(id__gt=Event.objects.order_by("id")[old_head["count"] - 1].id).delete()
    ChainHead.objects.filter(pk=old_head["id"]).update(**old_head)
    Measure.objects.filter(id=open_measure.id).update(status="in_progress")
    Problem.objects.filter(id=open_measure.problem_id).update(status="in_progress")
    code, out = verify()
    assert code == 0, out  # the rollback is consistent in itself
    code, out = verify("--anchor", str(anchor))
    assert code == 1
    assert f"锚点 {anchor}" in out and f"记载 {archived['count']} 条记录" in out


def test_an_archived_anchor_catches_a_rewrite_by_someone_holding_the_key(
    signed_off: Measure, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    archived = write_anchor(anchor)
    key = current_key()
    approval = Event.objects.get(action=Action.PLAN_APPROVED)
    previous = approval.prev_hash
    for event in Event.objects.filter(id__gte=approval.id).order_by("id"):
        event.comment = "改写" if event.id == approval.id else event.comment
        event.prev_hash = previous
        event.hash = key.sign(event.signed_payload())
        event.save()
        previous = event.hash
    head = ChainHead.objects.get()
    head.last_hash = previous
    head.mac = key.sign(head.signed_payload())
    head.save()
    assert verify()[0] == 0  # with the key, the table can be made consistent again
    code, out = verify("--anchor", str(anchor))
    newest = Event.objects.order_by("id")[archived["count"] - 1]
    assert code == 1
    assert f"记录 #{newest.id}" in out and "改写" in out


def test_a_forged_anchor_is_refused(signed_off: Measure, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.json"
    archived = write_anchor(anchor)
    archived["count"] -= 1
    anchor.write_text(json.dumps(archived), encoding="utf-8")
    code, out = verify("--anchor", str(anchor))
    assert code == 1
    assert "锚点的签名不符" in out


def test_an_unreadable_anchor_file_is_named(tmp_path: Path, db: None) -> None:
    anchor = tmp_path / "anchor.json"
    anchor.write_text('{"count": "many"}', encoding="utf-8")
    with pytest.raises(CommandError, match="锚点文件格式不对"):
        call_command("audit", "verify", "--anchor", str(anchor))
    with pytest.raises(CommandError, match="不能读取锚点文件"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "missing.json"))


def test_no_anchor_is_written_for_a_broken_chain(signed_off: Measure, tmp_path: Path) -> None:
    Event.objects.filter(action=Action.SIGNED_OFF).update(comment="改写")
    with pytest.raises(CommandError, match="不能生成锚点"):
        call_command("audit", "anchor", "-o", str(tmp_path / "anchor.json"))
    assert not (tmp_path / "anchor.json").exists()


def test_entries_signed_before_a_rotation_still_verify(
    open_measure: Measure, people: dict[str, Any], settings: Any
) -> None:
    old_id = current_key().id
    settings.AUDIT_KEYS = [*settings.AUDIT_KEYS, OTHER_SECRET]
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    newest = Event.objects.order_by("-id").first()
    assert newest.key_id == auditkeys.key_id(OTHER_SECRET) != old_id
    assert Event.objects.filter(key_id=old_id).exists()
    assert verify()[0] == 0


def test_an_entry_whose_key_left_the_ring_is_named(open_measure: Measure, settings: Any) -> None:
    settings.AUDIT_KEYS = [OTHER_SECRET]
    code, out = verify()
    assert code == 1
    first = Event.objects.order_by("id").first()
    assert f"记录 #{first.id}：签名密钥 {first.key_id} 不在密钥环中" in out


def test_new_key_appends_to_the_ring_file(settings: Any, tmp_path: Path, capsys: Any) -> None:
    ring_file = tmp_path / "audit_keys"
    settings.AUDIT_KEY_FILE = ring_file
    first = auditkeys.ensure_file(ring_file)
    assert oct(ring_file.stat().st_mode & 0o777) == "0o600"
    call_command("audit", "new-key")
    keys = auditkeys.read_file(ring_file)
    assert keys[0] == first[0] and len(keys) == 2
    assert auditkeys.key_id(keys[1]) in capsys.readouterr().out


def test_new_key_refuses_when_the_key_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XUNCHA_AUDIT_KEY", OTHER_SECRET)
    with pytest.raises(CommandError, match="XUNCHA_AUDIT_OLD_KEYS"):
        call_command("audit", "new-key")


def test_a_deleted_head_is_reported_and_stays_reported(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    ChainHead.objects.all().delete()
    code, out = verify()
    assert code == 1 and "链头记录缺失" in out
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    code, out = verify()
    assert code == 1 and "链头记录曾被删除" in out


def test_a_forged_head_is_not_signed_over_by_the_next_append(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    """Delete the newest entries and point the head at what is left (without the key): the
    next real append must not re-sign that head as if nothing happened."""
    newest = Event.objects.order_by("-id")[:2]
    Event.objects.filter(id__in=[e.id for e in newest]).delete()
    survivor = Event.objects.order_by("-id").first()
    ChainHead.objects.update(count=Event.objects.count(), last_hash=survivor.hash, mac="0" * 64)
    Measure.objects.filter(id=open_measure.id).update(status="not_started")
    Problem.objects.filter(id=open_measure.problem_id).update(status="not_started")
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    code, out = verify()
    assert code == 1
    assert "链头记录曾被删除或改写" in out


# --- an install upgraded from the unsigned chain ----------------------------------------------


def make_unsigned() -> None:
    """Turn the chain into what an install before migration 0006 has: SHA-256 links, no key,
    no head."""
    previous = "0" * 64
    for event in Event.objects.order_by("id"):
        event.key_id, event.prev_hash = "", previous
        event.hash = event.unkeyed_hash()
        event.save()
        previous = event.hash
    ChainHead.objects.all().delete()


def seal() -> None:
    migration = importlib.import_module("xuncha.workflow.migrations.0006_event_hmac")
    migration.seal_existing_history(apps, None)


def test_an_upgraded_history_verifies_and_goes_on_signed(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    make_unsigned()
    seal()
    assert verify()[0] == 0
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    assert Event.objects.order_by("-id").first().key_id == current_key().id
    code, out = verify()
    assert code == 0, out


def test_an_unsigned_entry_rewritten_after_the_upgrade_is_found(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    make_unsigned()
    seal()
    services.report_progress(people["unit_a"], open_measure, content="基本完成",
                             status="basically_done")
    # Rewrite an old entry and recompute the unsigned hashes after it, as anyone could.
    approval = Event.objects.get(action=Action.PLAN_APPROVED)
    previous = approval.prev_hash
    for event in Event.objects.filter(id__gte=approval.id, key_id="").order_by("id"):
        event.comment = "改写" if event.id == approval.id else event.comment
        event.prev_hash = previous
        event.hash = event.unkeyed_hash()
        event.save()
        previous = event.hash
    first_signed = Event.objects.exclude(key_id="").order_by("id").first()
    code, out = verify()
    assert code == 1
    assert f"记录 #{first_signed.id}：与前一条记录的链接断开" in out


def test_an_unsigned_entry_after_signed_ones_is_a_forgery(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    last = Event.objects.order_by("-id").first()
    forged = Event(
        actor=people["office"], actor_name="巡察办", action=Action.SIGNED_OFF,
        problem=open_measure.problem, measure=open_measure, round=open_measure.problem.round,
        changes={"status": ["in_progress", "in_progress"]}, prev_hash=last.hash,
    )
    forged.hash = forged.unkeyed_hash()
    forged.save()
    code, out = verify()
    assert code == 1
    assert f"记录 #{forged.id}：未签名的记录出现在已签名的记录之后" in out
