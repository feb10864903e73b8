"""Replacing and withdrawing evidence: both files kept, both steps in the history."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.workflow.conftest import MEASURE, PDF
from xuncha.inspections.models import Measure, Problem
from xuncha.workflow import services
from xuncha.workflow.history import verify_chain
from xuncha.workflow.models import Action, Event, Evidence

pytestmark = pytest.mark.django_db

NEWER = PDF + b"% newer\n"


def _with_evidence(people: dict[str, Any], problem: Problem) -> tuple[Measure, Evidence]:
    unit, office = people["unit_a"], people["office"]
    measure = services.add_measure(unit, problem, MEASURE)
    services.submit_plan(unit, problem)
    services.decide_plan(office, problem, "approve")
    services.report_progress(unit, measure, content="推进中", status="in_progress",
                             files=[("签到表.pdf", PDF)])
    return measure, Evidence.objects.get(measure=measure)


def test_a_newer_file_supersedes_the_older_one(people: dict[str, Any], problem_a: Problem) -> None:
    measure, old = _with_evidence(people, problem_a)
    new = services.supersede_evidence(people["unit_a"], old, "签到表（补全）.pdf", NEWER)
    old.refresh_from_db()
    assert old.superseded_by == new and old.state == "superseded" and not old.is_current
    assert new.is_current and new.measure == measure and new.progress == old.progress
    assert Evidence.objects.filter(measure=measure).count() == 2  # both kept
    event = Event.objects.filter(action=Action.EVIDENCE_SUPERSEDED).get()
    assert event.changes == {"evidence": ["签到表.pdf", "签到表（补全）.pdf"]}
    assert event.measure == measure
    assert list(verify_chain()) == []


def test_a_superseded_file_cannot_be_superseded_again(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _measure, old = _with_evidence(people, problem_a)
    services.supersede_evidence(people["unit_a"], old, "新.pdf", NEWER)
    with pytest.raises(services.ServiceError, match="已被替换"):
        services.supersede_evidence(people["unit_a"], old, "再新.pdf", NEWER + b"x")


def test_a_refused_file_supersedes_nothing(people: dict[str, Any], problem_a: Problem) -> None:
    _measure, old = _with_evidence(people, problem_a)
    with pytest.raises(services.ServiceError, match="不是可接受"):
        services.supersede_evidence(people["unit_a"], old, "x.pdf", b"plain text")
    old.refresh_from_db()
    assert old.is_current
    assert not Event.objects.filter(action=Action.EVIDENCE_SUPERSEDED).exists()


def test_withdrawn_evidence_is_kept_but_no_longer_counts(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure, item = _with_evidence(people, problem_a)
    services.withdraw_evidence(people["unit_a"], item, "上传错了文件")
    item.refresh_from_db()
    assert item.state == "withdrawn" and item.withdrawn_by == people["unit_a"]
    event = Event.objects.filter(action=Action.EVIDENCE_WITHDRAWN).get()
    assert event.changes == {"evidence": ["签到表.pdf", None]}
    assert event.comment == "上传错了文件"
    with pytest.raises(services.ServiceError, match="佐证材料"):
        services.report_progress(people["unit_a"], measure, content="完成", status="done")
    with pytest.raises(services.ServiceError, match="已撤回"):
        services.withdraw_evidence(people["unit_a"], item)


def test_a_replacement_counts_for_a_sign_off_request(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure, old = _with_evidence(people, problem_a)
    services.supersede_evidence(people["unit_a"], old, "新.pdf", NEWER)
    services.report_progress(people["unit_a"], measure, content="完成", status="done")
    measure.refresh_from_db()
    assert measure.status == "pending_review"


def test_no_change_once_the_measure_waits_for_review(
    people: dict[str, Any], problem_a: Problem
) -> None:
    measure, item = _with_evidence(people, problem_a)
    services.report_progress(people["unit_a"], measure, content="完成", status="done")
    with pytest.raises(services.ServiceError, match="已完成待验收"):
        services.withdraw_evidence(people["unit_a"], item)
    with pytest.raises(services.ServiceError, match="已完成待验收"):
        services.supersede_evidence(people["unit_a"], item, "新.pdf", NEWER)
    item.refresh_from_db()
    assert item.is_current


def test_only_the_unit_changes_its_evidence(people: dict[str, Any], problem_a: Problem) -> None:
    _measure, item = _with_evidence(people, problem_a)
    for name in ("office", "group1", "unit_b"):
        with pytest.raises(PermissionDenied):
            services.withdraw_evidence(people[name], item)
        with pytest.raises(PermissionDenied):
            services.supersede_evidence(people[name], item, "新.pdf", NEWER)


def test_a_report_date_in_the_future_is_refused(
    people: dict[str, Any], problem_a: Problem
) -> None:
    import datetime

    from xuncha.workflow.models import today

    measure, _item = _with_evidence(people, problem_a)
    tomorrow = today() + datetime.timedelta(days=1)
    with pytest.raises(services.ServiceError, match="晚于今天") as error:
        services.report_progress(people["unit_a"], measure, content="x", status="in_progress",
                                 reported_on=tomorrow.isoformat())
    assert error.value.field == "reported_on"
