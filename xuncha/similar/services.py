"""Writes of the similarity app: the office's threshold, and raising one 共性问题 整改要求
(举一反三) to every unit of a round."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from xuncha import access
from xuncha.inspections.models import Problem, Round
from xuncha.similar.models import CommonRequirement, CommonRequirementItem, SimilaritySettings
from xuncha.workflow.history import record
from xuncha.workflow.models import Action
from xuncha.workflow.services import ServiceError, next_problem_order

User = AbstractBaseUser | AnonymousUser
#: How a requirement's item is headed on every unit's list, so it reads as what it is.
HEADING = "共性问题整改要求（举一反三）"
MAX_TEXT = 2000


def _require_office(actor: User, doing: str) -> None:
    if not access.can_manage_round(actor):
        raise PermissionDenied(f"只有巡察办可以{doing}")


def update_settings(actor: User, threshold: Any, min_units: Any) -> SimilaritySettings:
    """Set the similarity threshold (0.20–1.00) and the units a 共性 group needs (2–100)."""
    _require_office(actor, "调整相似度设置")
    try:
        level = Decimal(str(threshold)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ServiceError("相似度阈值应为 0.20 至 1.00 之间的数", "threshold") from None
    if not Decimal("0.20") <= level <= Decimal("1.00"):
        raise ServiceError("相似度阈值应为 0.20 至 1.00 之间的数", "threshold")
    try:
        units = int(min_units)
    except (TypeError, ValueError):
        raise ServiceError("共性问题最少单位数应为 2 至 100 的整数", "min_units") from None
    if not 2 <= units <= 100:
        raise ServiceError("共性问题最少单位数应为 2 至 100 的整数", "min_units")
    with transaction.atomic(durable=True):
        current = SimilaritySettings.objects.select_for_update().filter(pk=1).first()
        current = current or SimilaritySettings(pk=1)
        current.threshold, current.min_units = level, units
        current.updated_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
        current.save()
    return current


def raise_requirement(actor: User, round_: Round, text: Any, source_problems: Sequence[int],
                      terms: Sequence[str]) -> CommonRequirement:
    """Give every unit of ``round_`` one item to answer: ``text``, as a problem of its own.

    Each item goes through the normal workflow (the unit drafts measures, the office approves,
    progress, 销号) and is on the unit's 待办 from the start; all are created in one
    transaction, each with its history entry, or none.
    """
    _require_office(actor, "提出共性问题整改要求")
    body = str(text or "").strip()
    if not body:
        raise ServiceError("请填写整改要求", "text")
    if len(body) > MAX_TEXT:
        raise ServiceError(f"整改要求不能超过 {MAX_TEXT} 字", "text")
    ids = sorted({int(pid) for pid in source_problems})
    with transaction.atomic(durable=True):
        if CommonRequirement.objects.filter(round=round_, text=body).exists():
            raise ServiceError("本轮已提出过相同的共性问题整改要求", "text")
        inspections = list(round_.inspections.select_related("unit").order_by("order", "id"))
        if not inspections:
            raise ServiceError("本轮还没有被巡察单位", "text")
        requirement = CommonRequirement.objects.create(
            round=round_, text=body, source_problems=ids, terms=list(terms),
            created_by=actor,  # type: ignore[misc]
        )
        for inspection in inspections:
            problem = Problem.objects.create(
                round=round_, unit=inspection.unit, order=next_problem_order(inspection),
                heading=HEADING, text=body,
            )
            CommonRequirementItem.objects.create(requirement=requirement, problem=problem)
            record(actor, Action.PROBLEM_CREATED, problem=problem,
                   changes={"text": (None, body)},
                   comment=f"{HEADING}，依据相似问题 {', '.join(map(str, ids))}")
    return requirement
