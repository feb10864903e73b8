"""Template helpers for the web UI: coloured due dates and the role-dependent navigation."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure, RectificationStatus
from xuncha.web import deadlines
from xuncha.workflow.deadlines import Level, level
from xuncha.workflow.models import Notification, today

register = template.Library()


@register.simple_tag
def due(measure: Measure) -> SafeString | str:
    """The measure's due date, coloured by how near it is (signed-off measures are done)."""
    if measure.due_date is None:
        return "—"
    if measure.status == RectificationStatus.SIGNED_OFF:
        return format_html('<span class="due">{}</span>', date_format(measure.due_date))
    now = today()
    urgency = level(measure.due_date, now)
    words = deadlines.describe(measure.due_date, now)
    return format_html(
        '<span class="due due-{}" title="{}">{}{}</span>',
        urgency.value, words, date_format(measure.due_date),
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
