"""Fetching objects below a problem through ``xuncha.access``, and refusing actions by role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Measure
from xuncha.workflow.models import ClueHandover, Evidence


def require(allowed: bool, message: str) -> None:
    """Refuse (403 with ``message``) an action the user sees but may not take."""
    if not allowed:
        raise PermissionDenied(message)


def sees_clues(user: access.User) -> bool:
    """Clues handed to 纪委监委/组织部 are not the inspected unit's business."""
    return access.role_of(user) in (Role.OFFICE, Role.GROUP, Role.SUPERVISOR)


def access_measure(user: access.User, measure_id: int) -> Measure:
    try:
        return Measure.objects.select_related("problem__round", "problem__unit").get(
            pk=measure_id, problem__in=access.problems_for(user)
        )
    except Measure.DoesNotExist:
        raise Http404 from None


def access_evidence(user: access.User, evidence_id: int) -> Evidence:
    try:
        return Evidence.objects.get(pk=evidence_id, measure__problem__in=access.problems_for(user))
    except Evidence.DoesNotExist:
        raise Http404 from None


def access_handover(user: access.User, handover_id: int) -> ClueHandover:
    if not sees_clues(user):
        raise Http404
    try:
        return ClueHandover.objects.select_related("problem__round", "problem__unit").get(
            pk=handover_id, problem__in=access.problems_for(user)
        )
    except ClueHandover.DoesNotExist:
        raise Http404 from None
