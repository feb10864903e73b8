"""`xuncha audit verify` against someone with database access but not the audit key.

Each test tampers the way issue 8 found unnoticed — delete the newest entries, rewrite one and
recompute the later hashes, append a forged sign-off, set a status in SQL — and expects exit 1
with the entry or item named. Run on SQLite and PostgreSQL (XUNCHA_DATABASE_URL).
"""

from __future__ import annotations

import hashlib
import hmac
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.workflow.conftest import MEASURE
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db

GUESSED_KEY = b"the attacker does not have the audit key"


def verify(*args: str) -> tuple[int, str]:
    """Run `xuncha audit verify`; (exit code, output)."""
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def attacker_hash(event: Event) -> str:
    """The best hash someone with SQL access but without the audit key can compute."""
    return hmac.new(GUESSED_KEY, event.signed_payload(), hashlib.sha256).hexdigest()


def rewrite_from(event: Event) -> None:
    """Recompute the hash of ``event`` and every later entry, as an attacker would."""
    previous = event.prev_hash
    for later in Event.objects.filter(id__gte=event.id).order_by("id"):
        later.prev_hash = previous
        later.hash = attacker_hash(later)
        Event.objects.filter(id=later.id).update(prev_hash=later.prev_hash, hash=later.hash)
        previous = later.hash
    forge_head(previous)


def forge_head(last_hash: str) -> None:
    """Point the head record (where there is one) at ``last_hash`` with a guessed MAC."""
    from xuncha.workflow import models

    head_model = getattr(models, "ChainHead", None)
    if head_model is None:
        return
    head = head_model.objects.get()
    head.count = Event.objects.count()
    head.last_hash = last_hash
    head.mac = hmac.new(GUESSED_KEY, head.signed_payload(), hashlib.sha256).hexdigest()
    head.save()


def test_an_untouched_history_verifies(signed_off: Measure) -> None:
    code, out = verify()
    assert code == 0, out
    assert "完整" in out


def test_deleting_the_newest_entries_is_found(signed_off: Measure) -> None:
    newest = list(Event.objects.order_by("-id").values_list("id", flat=True)[:2])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_event WHERE id IN (%s, %s)", newest)
    code, out = verify()
    assert code == 1
    assert f"#{min(newest) - 1}" in out and "2 条" in out


def test_rewriting_an_entry_and_recomputing_the_later_hashes_is_found(
    signed_off: Measure, people: dict[str, Any]
) -> None:
    approval = Event.objects.get(action=Action.PLAN_APPROVED)
    approval.comment = "经集体研究同意"  # a comment the approver never wrote
    Event.objects.filter(id=approval.id).update(comment=approval.comment)
    rewrite_from(approval)
    code, out = verify()
    assert code == 1
    assert f"记录 #{approval.id}" in out


def test_appending_a_forged_sign_off_is_found(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    last = Event.objects.order_by("-id").first()
    forged = Event(
        actor=people["office"], actor_name="巡察办", action=Action.SIGNED_OFF,
        round=open_measure.problem.round, problem=open_measure.problem, measure=open_measure,
        changes={"status": ["in_progress", "signed_off"]}, prev_hash=last.hash,
    )
    forged.key_id = last.key_id  # claim the real key; the signature still needs the secret
    forged.hash = attacker_hash(forged)
    forged.save()
    forge_head(forged.hash)
    Measure.objects.filter(id=open_measure.id).update(status="signed_off")
    code, out = verify()
    assert code == 1
    assert f"记录 #{forged.id}" in out


def test_a_sign_off_set_in_sql_is_named(open_measure: Measure) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inspections_measure SET status='signed_off' WHERE id = %s", [open_measure.id]
        )
    code, out = verify()
    assert code == 1
    assert f"整改措施 #{open_measure.id}" in out
    assert "已销号" in out and "推进中" in out


def test_a_problem_closed_while_its_measure_is_open_is_named(open_measure: Measure) -> None:
    problem = open_measure.problem
    Problem.objects.filter(id=problem.id).update(status="signed_off")
    code, out = verify()
    assert code == 1
    assert f"反馈问题 #{problem.id}" in out


def test_a_plan_approved_in_sql_is_named(people: dict[str, Any], problem_a: Problem) -> None:
    services.add_measure(people["unit_a"], problem_a, MEASURE)
    Problem.objects.filter(id=problem_a.id).update(plan_state="approved")
    code, out = verify()
    assert code == 1
    assert f"反馈问题 #{problem_a.id}" in out and "整改方案" in out


def test_a_status_changed_in_sql_before_a_real_sign_off_is_named(
    open_measure: Measure, people: dict[str, Any]
) -> None:
    """Skipping 申请销号 in SQL, then signing off through the service: the end state has an
    event, but the step before it does not."""
    Measure.objects.filter(id=open_measure.id).update(status="pending_review")
    services.review_measure(people["office"], open_measure, "approve")
    code, out = verify()
    assert code == 1
    assert f"整改措施 #{open_measure.id}" in out
