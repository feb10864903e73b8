"""Template helpers for the web UI: coloured due dates and badges, the role-dependent navigation
and the 待办 counts in the header."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure, PlanState, Problem, RectificationStatus
from xuncha.pagecache import version
from xuncha.web import deadlines
from xuncha.workflow.deadlines import CLOSED, BoardRow, Level, level
from xuncha.workflow.models import Notification, today
from xuncha.workflow.todo import todo_counts

register = template.Library()


@register.simple_tag
def due(measure: Measure) -> SafeString | str:
    """The measure's due date as written (2024年3月底, 长期坚持), coloured by how near it is
    (signed-off measures are done)."""
    if measure.due_date is None:
        return "长期坚持" if measure.due_long_term else "—"
    written = (date_format(measure.due_date) if measure.due_precision == "day"
               and not measure.due_long_term else measure.deadline_display())
    if measure.status == RectificationStatus.SIGNED_OFF:
        return format_html('<span class="due">{}</span>', written)
    now = today()
    urgency = level(measure.due_date, now)
    words = deadlines.describe(measure.due_date, now)
    return format_html(
        '<span class="due due-{}" title="{}">{}{}</span>',
        urgency.value, words, written,
        format_html(" <small>{}</small>", words) if urgency != Level.OK else "",
    )


@register.simple_tag
def manages_users(user: access.User) -> bool:
    return user.is_authenticated and access.can_manage_round(user)


@register.simple_tag
def supervises(user: access.User) -> bool:
    """Whether the overdue board is for this user (everyone but the inspected units)."""
    return user.is_authenticated and access.role_of(user) in (
        Role.OFFICE, Role.GROUP, Role.SUPERVISOR
    )


@register.simple_tag
def unread_notifications(user: access.User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


@dataclass(frozen=True)
class TodoBadge:
    total: int
    #: "整改方案待审核 2 · 申请销号待验收 1": the counts per kind, for the badge's tooltip.
    title: str


@register.simple_tag(takes_context=True)
def todo_badge(context: template.Context, user: access.User) -> TodoBadge:
    """The user's 待办 counts, for the header (a few aggregate queries, whatever the data)."""
    if not user.is_authenticated:
        return TodoBadge(0, "")
    # The page cache read the data version for this request already (xuncha.pagecache.pages).
    known = getattr(context.get("request"), "xuncha_data_version", None)
    counts = _cached_counts(user, known)
    title = " · ".join(f"{kind.label} {n}" for kind, n in counts.items() if n)
    return TodoBadge(sum(counts.values()), title)


def _cached_counts(user: access.User, data_version: int | None = None) -> dict[Any, int]:
    """The counts, kept per process until anything is written.

    Every page shows the badge, and at a province's size its aggregates cost more than the rest
    of a page. Whatever changes a count (a plan submitted, a measure added or reported, a
    user's scope changed) is a write, which moves the data version (xuncha.pagecache.version):
    keyed by it (and by the day, for what falls due), a cached count is never stale, and one
    read replaces the aggregates.
    """
    day = today()
    if data_version is None:
        data_version = version.current()
    if data_version is None:
        return todo_counts(user, day)
    key = f"xuncha:todo-badge:{user.pk}:{day}:{data_version}"
    counts = cache.get(key)
    if counts is None:
        counts = todo_counts(user, day)
        cache.set(key, counts, 3600)
    return counts


@register.simple_tag
def sees_clue_register(user: access.User) -> bool:
    return user.is_authenticated and access.sees_clues(user)


@register.simple_tag
def problem_levels(problem: Problem, plan_due: datetime.date | None) -> SafeString | str:
    """Badges for a problem on the unit page: a late plan, and its measures at each level.

    Reads the measures already prefetched with the problem: no query per problem.
    """
    now = today()
    badges = []
    if plan_due is not None and plan_due < now and problem.plan_state != PlanState.APPROVED:
        badges.append((Level.OVERDUE, "整改方案逾期"))
    counts: dict[Level, int] = {}
    for measure in problem.measures.all():
        if measure.status in CLOSED:
            continue
        urgency = level(measure.due_date, now)
        if urgency != Level.OK:
            counts[urgency] = counts.get(urgency, 0) + 1
    for urgency in (Level.OVERDUE, Level.WARNING, Level.NOTICE):
        if counts.get(urgency):
            badges.append((urgency, f"{urgency.label} {counts[urgency]} 项"))
    return format_html_join(" ", '<span class="due due-{}">{}</span>', (
        (urgency.value, words) for urgency, words in badges
    ))


@register.simple_tag
def row_levels(row: BoardRow | None) -> SafeString | str:
    """Badges for a unit's row on the round page, from its board counts."""
    if row is None:
        return ""
    counts = [
        (Level.OVERDUE, "方案逾期", row.late_plans), (Level.OVERDUE, "已逾期", row.overdue),
        (Level.WARNING, "即将到期", row.warning), (Level.NOTICE, "临近时限", row.notice),
    ]
    return format_html_join(
        " ", '<span class="due due-{}">{} {}</span>',
        ((urgency.value, words, n) for urgency, words, n in counts if n),
    )
