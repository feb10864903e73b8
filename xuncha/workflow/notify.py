"""Who is told of what: the one table from a recorded action to the people who must act on it.

``xuncha.workflow.history.record`` calls :func:`event_recorded` for every event, inside the
transaction that makes the change, so a notification exists exactly when its change does.
Emails go out only after that transaction commits, and a mail server that fails is logged,
never allowed to undo anything.

Grouping: a unit that submits 30 plans at once must not bury its reviewers under 30 messages.
While a recipient has not read a message of the same kind about the same unit, written within
``NOTIFICATION_GROUP_MINUTES``, the next event is added to it (its count, subject and body grow)
instead of becoming another message; only a new message is emailed.
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import User as AuthUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import Role
from xuncha.inspections.models import Inspection, PartyOrganisation
from xuncha.workflow.models import Action, Event, Notification

logger = logging.getLogger(__name__)

Kind = Notification.Kind

#: Lines kept in a grouped message's body; the count keeps counting beyond them.
MAX_LINES = 50


class Audience(StrEnum):
    REVIEWERS = "reviewers"  # the group that inspected the unit, and the office
    UNIT = "unit"  # the inspected unit's own users


@dataclass(frozen=True)
class Rule:
    kind: Notification.Kind
    audience: Audience
    #: The subject, with {unit} and {n} (how many events the message stands for).
    subject: str


RULES: dict[Action, Rule] = {
    Action.PLAN_SUBMITTED: Rule(
        Kind.PLAN_SUBMITTED, Audience.REVIEWERS, "{unit}报送了{n}个整改方案，待审核"
    ),
    Action.PLAN_RETURNED: Rule(Kind.PLAN_RETURNED, Audience.UNIT, "{n}个整改方案被退回修改"),
    Action.SIGN_OFF_REQUESTED: Rule(
        Kind.SIGN_OFF_REQUESTED, Audience.REVIEWERS, "{unit}申请销号{n}项，待验收"
    ),
    Action.SIGNED_OFF: Rule(Kind.SIGNED_OFF, Audience.UNIT, "{n}项整改措施已销号"),
    Action.REVIEW_RETURNED: Rule(Kind.REVIEW_RETURNED, Audience.UNIT, "{n}项整改措施被退回整改"),
    Action.SUPERVISED: Rule(Kind.SUPERVISED, Audience.UNIT, "巡察办督办（{n}次）：请抓紧整改"),
    # 长期坚持 is asked for and decided like a sign-off.
    Action.LONG_TERM_REQUESTED: Rule(
        Kind.SIGN_OFF_REQUESTED, Audience.REVIEWERS, "{unit}申请长期坚持或销号{n}项，待确认"
    ),
    Action.LONG_TERM_CONFIRMED: Rule(Kind.SIGNED_OFF, Audience.UNIT, "{n}项整改措施已确认或销号"),
    Action.LONG_TERM_RETURNED: Rule(
        Kind.REVIEW_RETURNED, Audience.UNIT, "{n}项整改措施或申请被退回"
    ),
}


def event_recorded(event: Event, unit_id: int | None) -> None:
    """Tell the people ``RULES`` names about ``event`` (about the unit ``unit_id``).

    Call inside the transaction that recorded the event.
    """
    rule = RULES.get(Action(event.action))
    if rule is None or unit_id is None:
        return
    # Measure events carry their problem but not always the round.
    round_id = event.problem.round_id if event.problem is not None else event.round_id
    recipients = [
        user for user in _audience(rule.audience, unit_id, round_id)
        if user.pk != event.actor_id
    ]
    if not recipients:
        return
    line = _line(event)
    now = timezone.now()
    since = now - datetime.timedelta(minutes=settings.NOTIFICATION_GROUP_MINUTES)
    open_ones = {
        note.user_id: note
        for note in Notification.objects.select_for_update()
        .filter(
            user__in=recipients, kind=rule.kind, unit_id=unit_id, read_at__isnull=True,
            updated_at__gte=since,
        )
        .order_by("updated_at", "id")
    }
    unit_name = event.problem.unit.name if event.problem else _unit_name(unit_id)
    grown: list[Notification] = []
    fresh: list[Notification] = []
    for user in recipients:
        note = open_ones.get(user.pk)
        if note is None:
            note = Notification(
                user=user, kind=rule.kind, unit_id=unit_id, created_at=now, body="",
                count=0,
            )
            fresh.append(note)
        else:
            grown.append(note)
        note.count += 1
        note.updated_at = now
        note.subject = rule.subject.format(unit=unit_name, n=note.count)[:200]
        note.body = _grow(note.body, line, note.count)
        note.link = _link(event, round_id, unit_id, grouped=note.count > 1)
    Notification.objects.bulk_update(grown, ["count", "updated_at", "subject", "body", "link"])
    Notification.objects.bulk_create(fresh)
    for note in fresh:
        email = getattr(note.user, "email", "")
        if email:
            transaction.on_commit(functools.partial(_email, note.subject, note.body, email))


def _audience(audience: Audience, unit_id: int, round_id: int | None) -> list[AuthUser]:
    users = AuthUser.objects.filter(is_active=True)
    if audience == Audience.UNIT:
        return list(users.filter(profile__role=Role.UNIT, profile__unit_id=unit_id))
    if round_id is None:
        return []
    inspection = (
        Inspection.objects.filter(round_id=round_id, unit_id=unit_id)
        .select_related("round")
        .first()
    )
    if inspection is None:
        return []
    office = Q(profile__role=Role.OFFICE) & (
        Q(profile__committee__isnull=True)
        | Q(profile__committee_id=inspection.round.committee_id)
    )
    # A group's users: its members and leader, and users scoped to it the older way.
    group = Q(is_active=True, group_memberships__group_id=inspection.group_id) | Q(
        profile__role=Role.GROUP, profile__group_id=inspection.group_id
    )
    who = office | group if inspection.group_id is not None else office
    return list(users.filter(who).distinct().order_by("pk"))


def _line(event: Event) -> str:
    """One line of the message: which item, and the reason or note given."""
    parts = []
    if event.problem is not None:
        parts.append(f"问题{event.problem.order}：{_short(event.problem.text)}")
    if event.measure is not None:
        parts.append(f"措施{event.measure.order}：{_short(event.measure.content)}")
    if event.comment:
        label = "督办说明" if event.action == Action.SUPERVISED else "理由"
        parts.append(f"{label}：{event.comment}")
    return "｜".join(parts) or Action(event.action).label


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _grow(body: str, line: str, count: int) -> str:
    lines = body.splitlines() if body else []
    if count <= MAX_LINES:
        lines.append(f"{count}. {line}")
    else:
        more = f"……另有 {count - MAX_LINES} 项，请在待办中查看"
        lines = [*lines[:MAX_LINES], more]
    return "\n".join(lines)


def _link(event: Event, round_id: int | None, unit_id: int, *, grouped: bool) -> str:
    if event.action == Action.SUPERVISED or round_id is None:
        return reverse("todo")
    if grouped or event.problem_id is None:
        return reverse("unit-detail", args=[round_id, unit_id])
    url = reverse("problem-detail", args=[event.problem_id])
    return f"{url}#measure-{event.measure_id}" if event.measure_id else url


def _unit_name(unit_id: int) -> str:
    return PartyOrganisation.objects.values_list("name", flat=True).get(pk=unit_id)


def _email(subject: str, body: str, to: str) -> None:
    # The notification is committed already; a mail server being down must not undo it.
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError:
        logger.exception("notification email to %s failed", to)
