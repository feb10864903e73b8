"""`xuncha audit verify --since-anchor FILE`: only what was appended since the anchor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.workflow.conftest import MEASURE
from tests.workflow.test_audit_tampering import verify
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Event

pytestmark = pytest.mark.django_db


def _anchor(path: Path) -> dict[str, Any]:
    call_command("audit", "anchor", "-o", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _more_work(people: dict[str, Any], measure: Measure) -> None:
    other = Problem.objects.exclude(id=measure.problem_id).filter(unit__name="木垒县东城镇党委")
    services.add_measure(people["unit_a"], other.get(order=2), MEASURE)


def test_appended_entries_verify_and_the_anchor_moves_forward(
    signed_off: Measure, people: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    before = _anchor(path)
    _more_work(people, signed_off)
    code, out = verify("--since-anchor", str(path))
    assert code == 0, out
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["count"] == Event.objects.count() > before["count"]
    assert after["hash"] == Event.objects.order_by("-id").first().hash
    # The anchor written back is a real anchor: the full verify accepts it too.
    assert verify("--anchor", str(path))[0] == 0
    # Nothing new: still clean, nothing appended.
    code, out = verify("--since-anchor", str(path))
    assert code == 0 and "新追加的 0 条" in out


def test_an_entry_edited_after_the_anchor_is_found(
    signed_off: Measure, people: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    _anchor(path)
    _more_work(people, signed_off)
    newest = Event.objects.order_by("-id").first()
    Event.objects.filter(pk=newest.pk).update(comment="改过")
    code, out = verify("--since-anchor", str(path))
    assert code == 1
    assert f"记录 #{newest.pk}" in out
    # A failed check leaves the archived anchor as it was.
    assert json.loads(path.read_text(encoding="utf-8"))["count"] < Event.objects.count()


def test_an_anchored_entry_that_was_deleted_fails(
    signed_off: Measure, people: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "anchor.json"
    anchored = _anchor(path)
    Event.objects.filter(pk=Event.objects.order_by("id").first().pk).delete()
    code, out = verify("--since-anchor", str(path))
    assert code == 1
    assert f"第 {anchored['count']} 条记录" in out


def test_a_forged_anchor_is_refused(signed_off: Measure, tmp_path: Path) -> None:
    path = tmp_path / "anchor.json"
    anchored = _anchor(path)
    path.write_text(json.dumps({**anchored, "count": anchored["count"] - 1}), encoding="utf-8")
    code, out = verify("--since-anchor", str(path))
    assert code == 1 and "锚点的签名不符" in out
