"""Event notifications (xuncha.workflow.notify): who is told, grouping, email after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tests.workflow.conftest import MEASURE, PDF
from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import PlanState, Problem
from xuncha.workflow import services
from xuncha.workflow.models import Notification

pytestmark = pytest.mark.django_db

REVIEWERS = {"office", "office2", "group1"}


def _told(people: dict[str, Any], kind: str) -> set[str]:
    names = {user.pk: name for name, user in people.items()}
    return {names[n.user_id] for n in Notification.objects.filter(kind=kind)}


def _submitted(people: dict[str, Any], problem: Problem) -> None:
    services.add_measure(people["unit_a"], problem, MEASURE)
    services.submit_plan(people["unit_a"], problem)


def test_a_submitted_plan_tells_the_units_group_and_the_office(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _submitted(people, problem_a)
    assert _told(people, "plan_submitted") == REVIEWERS
    note = Notification.objects.get(user=people["group1"])
    assert note.subject == "木垒县东城镇党委报送了1个整改方案，待审核"
    assert note.link == reverse("problem-detail", args=[problem_a.pk])
    assert note.unit_id == problem_a.unit_id and note.count == 1


def test_a_returned_plan_tells_the_unit_with_the_reason(
    people: dict[str, Any], problem_a: Problem
) -> None:
    other_a = create_user("unit_a2", Role.UNIT, unit="木垒县东城镇党委").user
    _submitted(people, problem_a)
    services.decide_plan(people["group1"], problem_a, "return", "责任领导未落实到人")
    notes = Notification.objects.filter(kind="plan_returned")
    assert {n.user_id for n in notes} == {people["unit_a"].pk, other_a.pk}
    assert all("责任领导未落实到人" in n.body for n in notes)


def test_sign_off_requested_and_decided(people: dict[str, Any], problem_a: Problem) -> None:
    measure = services.add_measure(people["unit_a"], problem_a, MEASURE)
    services.submit_plan(people["unit_a"], problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    services.report_progress(people["unit_a"], measure, content="完成", status="done",
                             files=[("a.pdf", PDF)])
    assert _told(people, "sign_off_requested") == REVIEWERS
    services.review_measure(people["office"], measure, "return", "缺少会议记录")
    services.report_progress(people["unit_a"], measure, content="补交", status="done")
    services.review_measure(people["group1"], measure, "approve")
    assert _told(people, "review_returned") == {"unit_a"}
    assert "缺少会议记录" in Notification.objects.get(kind="review_returned").body
    assert _told(people, "signed_off") == {"unit_a"}
    # Approving a plan tells nobody: nothing waits on anyone because of it.
    assert not Notification.objects.filter(subject__contains="批准").exists()


def test_the_actor_is_not_told_of_their_own_action(
    people: dict[str, Any], problem_a: Problem
) -> None:
    _submitted(people, problem_a)
    services.decide_plan(people["office"], problem_a, "approve")
    assert not Notification.objects.filter(user=people["unit_a"], kind="plan_submitted").exists()


def test_thirty_plans_at_once_make_one_notification_per_recipient(
    people: dict[str, Any], problem_a: Problem, client: Any
) -> None:
    unit = problem_a.unit
    Problem.objects.bulk_create(
        Problem(round=problem_a.round, unit=unit, order=100 + n, text=f"问题{n}")
        for n in range(30)
    )
    problems = list(Problem.objects.filter(round=problem_a.round, unit=unit))
    for problem in problems:
        services.add_measure(people["unit_a"], problem, MEASURE)
    # Through the unit page's 全部报送 button: one submit_plan per problem.
    client.force_login(people["unit_a"])
    response = client.post(
        reverse("unit-plans-submit", args=[problem_a.round_id, unit.pk])
    )
    assert response.status_code == 302
    assert Problem.objects.filter(unit=unit, plan_state=PlanState.SUBMITTED).count() == len(
        problems
    )
    notes = Notification.objects.filter(kind="plan_submitted")
    assert notes.count() == len(REVIEWERS)
    note = notes.get(user=people["office"])
    assert note.count == len(problems)
    assert note.subject == f"木垒县东城镇党委报送了{len(problems)}个整改方案，待审核"
    assert note.body.count("\n") == len(problems) - 1
    # Grouped messages open the unit page, where all of them are.
    assert note.link == reverse("unit-detail", args=[problem_a.round_id, unit.pk])


def test_a_read_notification_is_not_grown_again(
    people: dict[str, Any], problem_a: Problem
) -> None:
    first, second = Problem.objects.filter(round=problem_a.round, unit=problem_a.unit)[:2]
    _submitted(people, first)
    Notification.objects.filter(user=people["office"]).update(read_at="2024-01-01T00:00Z")
    _submitted(people, second)
    assert Notification.objects.filter(user=people["office"]).count() == 2
    assert Notification.objects.filter(user=people["group1"]).get().count == 2


def test_outside_the_window_a_new_notification_starts(
    people: dict[str, Any], problem_a: Problem, settings: Any
) -> None:
    settings.NOTIFICATION_GROUP_MINUTES = 0
    first, second = Problem.objects.filter(round=problem_a.round, unit=problem_a.unit)[:2]
    _submitted(people, first)
    _submitted(people, second)
    assert Notification.objects.filter(user=people["office"]).count() == 2


def test_new_notifications_are_emailed_after_commit_once_per_group(
    people: dict[str, Any], problem_a: Problem, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people["group1"].email = "group1@example.com"
    people["group1"].save()
    first, second = Problem.objects.filter(round=problem_a.round, unit=problem_a.unit)[:2]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _submitted(people, first)
    assert mail.outbox == [] and len(callbacks) == 1  # nothing sent before the commit
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["group1@example.com"]]
    assert "报送了1个整改方案" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(people, second)
    assert len(mail.outbox) == 1  # grouped into the unread message: no second email


class BrokenMailServer:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_a_failing_mail_server_undoes_nothing(
    people: dict[str, Any], problem_a: Problem, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    people["group1"].email = "group1@example.com"
    people["group1"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(people, problem_a)
    problem_a.refresh_from_db()
    assert problem_a.plan_state == PlanState.SUBMITTED
    assert Notification.objects.filter(user=people["group1"]).exists()


def test_supervising_a_unit_tells_its_users_and_is_recorded(
    people: dict[str, Any], problem_a: Problem
) -> None:
    from xuncha import access
    from xuncha.workflow.models import Action, Event

    inspection = access.access_unit_inspection(people["office"], problem_a.unit_id)
    services.supervise(people["office"], inspection, "请于本周内补报逾期措施")
    note = Notification.objects.get(kind="supervised")
    assert note.user_id == people["unit_a"].pk and "请于本周内补报逾期措施" in note.body
    event = Event.objects.get(action=Action.SUPERVISED)
    assert event.comment == "请于本周内补报逾期措施" and event.round_id == problem_a.round_id
    with pytest.raises(services.ServiceError):
        services.supervise(people["office"], inspection, "  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.supervise(people["group1"], inspection, "x")
