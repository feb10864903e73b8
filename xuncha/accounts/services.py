"""Creating users with a role and scope; used by `xuncha createuser`, the demo and the web UI."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.accounts.models import Profile, Role
from xuncha.inspections.models import Committee, InspectionGroup, PartyOrganisation


class AccountError(ValueError):
    """A user that cannot be created as asked; the message is in Chinese for the user."""


@dataclass(frozen=True)
class NewUser:
    user: AbstractUser
    #: The password when xuncha generated it (to be shown once); None when the caller chose it.
    generated_password: str | None


def create_user(
    username: str,
    role: Role,
    *,
    unit: str | None = None,
    group: str | None = None,
    round_id: int | None = None,
    committee: str | None = None,
    password: str | None = None,
    full_name: str = "",
    body: str = "",
) -> NewUser:
    """Create ``username`` with ``role`` and its scope in one transaction.

    ``unit`` is the unit's name as published ("木垒县东城镇党委"); ``group`` a group's name
    ("第一巡察组"), with ``round_id`` where several rounds have a group of that name.
    """
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise AccountError(f"用户名“{username}”已存在")
    scope = _scope(role, unit=unit, group=group, round_id=round_id, committee=committee)
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(9)
    else:
        try:
            validate_password(password)
        except ValidationError as error:
            raise AccountError("密码不符合要求：" + "；".join(error.messages)) from None
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=username, password=password, first_name=full_name
        )
        Profile.objects.create(user=user, role=role, body=body, **scope)
    return NewUser(user, generated)


def _scope(
    role: Role, *, unit: str | None, group: str | None, round_id: int | None,
    committee: str | None,
) -> dict[str, object]:
    if role == Role.UNIT:
        if not unit:
            raise AccountError("被巡察单位用户须用 --unit 指定单位（按公布的名称）")
        found = PartyOrganisation.objects.filter(name=unit).first()
        if found is None:
            raise AccountError(f"没有名为“{unit}”的被巡察单位")
        return {"unit": found}
    if role == Role.GROUP:
        if not group:
            raise AccountError("巡察组用户须用 --group 指定巡察组")
        groups = InspectionGroup.objects.filter(name=group).select_related("round")
        if round_id is not None:
            groups = groups.filter(round_id=round_id)
        found_groups = list(groups.order_by("-round_id")[:2])
        if not found_groups:
            raise AccountError(f"没有名为“{group}”的巡察组")
        if len(found_groups) > 1 and round_id is None:
            raise AccountError(f"多个轮次都有“{group}”，请用 --round 指定轮次编号")
        return {"group": found_groups[0], "committee": found_groups[0].round.committee}
    if committee:
        found_committee = (
            Committee.objects.filter(name=committee).first()
            or Committee.objects.filter(short_name=committee).first()
        )
        if found_committee is None:
            raise AccountError(f"没有名为“{committee}”的巡察主体")
        return {"committee": found_committee}
    only = list(Committee.objects.all()[:2])
    # On a single-committee installation (every county office) the scope is obvious.
    return {"committee": only[0]} if len(only) == 1 else {}
