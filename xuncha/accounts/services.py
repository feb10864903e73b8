"""Accounts: creating users with a role and scope, and the office's user management.

``create_user`` serves `xuncha createuser`, the demo and the test fixtures (no actor, nothing
recorded). The office's use cases below take the acting user, check that it is the office, run in
one transaction and record the change in the chained history. Passwords are never recorded,
logged or stored in clear: a generated one is returned to the caller to show once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha import access
from xuncha.accounts import lockout
from xuncha.accounts.models import ApiToken, Profile, Role
from xuncha.accounts.sheets import COLUMNS, ROLE_WORDS, RowError, UserRow
from xuncha.inspections.models import Committee, InspectionGroup, PartyOrganisation
from xuncha.workflow.history import record
from xuncha.workflow.models import Action
from xuncha.workflow.services import ServiceError


class AccountError(ServiceError):
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
        generated = password = generate_password()
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


def generate_password() -> str:
    """A random password of 12 URL-safe characters, to be shown once and never stored."""
    return secrets.token_urlsafe(9)


# --- the office manages users ---------------------------------------------------------------

#: The bodies a supervisor belongs to.
BODIES = ("纪委监委", "组织部")
_USERNAME = re.compile(r"^[\w.@+-]+\Z")
_NAME_MAX = 150

User = AbstractBaseUser | AnonymousUser
UnitRef = PartyOrganisation | int | str | None
GroupRef = InspectionGroup | int | str | None


class BulkImportError(ServiceError):
    """Rows of an import that cannot be created; ``errors`` names each (nothing was created)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("；".join(str(error) for error in errors), "file")
        self.errors = errors


def _require_office(actor: User) -> None:
    if not access.can_manage_round(actor):
        raise PermissionDenied("只有巡察办可以管理用户")


def _role(value: Role | str) -> Role:
    text = str(value or "").strip()
    if not text:
        raise ServiceError("请选择角色", "role")
    for role in Role:
        if text in (role.value, role.label):
            return role
    word = ROLE_WORDS.get(text)
    if word is not None:
        return Role(word)
    choices = "、".join(f"{role.value}（{role.label}）" for role in Role)
    raise ServiceError(f"角色“{text}”无效，可选：{choices}", "role")


def _username(value: str) -> str:
    name = str(value or "").strip()
    if not name:
        raise ServiceError("请填写用户名", "username")
    if len(name) > _NAME_MAX:
        raise ServiceError(f"用户名不能超过 {_NAME_MAX} 字", "username")
    if not _USERNAME.match(name):
        raise ServiceError("用户名只能包含字母、数字、汉字和 @ . + - _", "username")
    return name


def _full_name(value: str) -> str:
    name = str(value or "").strip()
    if len(name) > _NAME_MAX:
        raise ServiceError(f"姓名不能超过 {_NAME_MAX} 字", "full_name")
    return name


def resolve_scope(
    actor: User, role: Role, *, unit: UnitRef = None, group: GroupRef = None, body: str = ""
) -> dict[str, Any]:
    """The Profile fields (committee, group, unit, body) for ``role``, from what the office named.

    A unit must be one the office's rounds inspected, a group one of its rounds' groups (named
    by id, by name, or "轮次名称 · 组名" where several rounds have that name).
    """
    fields: dict[str, Any] = {"committee": None, "group": None, "unit": None, "body": ""}
    if role == Role.UNIT:
        fields["unit"] = _unit(actor, unit)
    elif role == Role.GROUP:
        found = _group(actor, group)
        fields["group"], fields["committee"] = found, found.round.committee
    else:
        fields["committee"] = _committee_of(actor)
        if role == Role.SUPERVISOR:
            text = str(body or "").strip()
            if text not in BODIES:
                raise ServiceError(
                    "请选择所属机关：纪委监委 或 组织部" if not text
                    else f"所属机关“{text}”无效，可选：纪委监委、组织部", "body",
                )
            fields["body"] = text
    return fields


def _unit(actor: User, ref: UnitRef) -> PartyOrganisation:
    if ref in (None, ""):
        raise ServiceError("被巡察单位用户须指定被巡察单位", "unit")
    units = PartyOrganisation.objects.filter(pk__in=access.inspections_for(actor).values("unit"))
    if isinstance(ref, PartyOrganisation):
        found = units.filter(pk=ref.pk).first()
    elif isinstance(ref, int):
        found = units.filter(pk=ref).first()
    else:
        found = units.filter(name=str(ref).strip()).first()
    if found is None:
        raise ServiceError(f"没有名为“{ref}”的被巡察单位（须为本巡察办各轮次巡察的单位）", "unit")
    return found


def _group(actor: User, ref: GroupRef) -> InspectionGroup:
    if ref in (None, ""):
        raise ServiceError("巡察组用户须指定巡察组", "group")
    groups = InspectionGroup.objects.filter(round__in=access.rounds_for(actor)).select_related(
        "round__committee"
    )
    if isinstance(ref, InspectionGroup | int):
        found = groups.filter(pk=ref.pk if isinstance(ref, InspectionGroup) else ref).first()
        if found is None:
            raise ServiceError(f"没有编号为 {ref} 的巡察组", "group")
        return found
    round_name, _, name = str(ref).strip().rpartition("·")
    candidates = [g for g in groups.filter(name=name.strip())
                  if not round_name.strip() or g.round.display_name == round_name.strip()]
    if not candidates:
        raise ServiceError(f"没有名为“{ref}”的巡察组", "group")
    if len(candidates) > 1:
        raise ServiceError(
            f"多个轮次都有“{name.strip()}”，请写成“轮次名称 · {name.strip()}”，如“"
            f"{candidates[0].round.display_name} · {name.strip()}”", "group",
        )
    return candidates[0]


def _committee_of(actor: User) -> Committee | None:
    profile = access.profile_of(actor)
    if profile is not None and profile.committee_id is not None:
        return profile.committee
    only = list(Committee.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def scope_label(profile: Profile) -> str:
    """Where a profile's role applies, as the users page shows it."""
    if profile.unit is not None:
        return profile.unit.name
    if profile.group is not None:
        return f"{profile.group.round.display_name} · {profile.group.name}"
    if profile.body:
        return profile.body
    return profile.committee.name if profile.committee is not None else "全部"


def _subject(user: AbstractBaseUser) -> str:
    return f"用户：{user.get_username()}"


def add_user(
    actor: User, *, username: str, role: Role | str, unit: UnitRef = None,
    group: GroupRef = None, body: str = "", full_name: str = "",
) -> NewUser:
    """The office creates a user with a generated password (returned once, never stored)."""
    _require_office(actor)
    name, chosen = _username(username), _role(role)
    scope = resolve_scope(actor, chosen, unit=unit, group=group, body=body)
    person = _full_name(full_name)
    with transaction.atomic(durable=True):
        return _create(actor, name, chosen, scope, person)


def _create(
    actor: User, username: str, role: Role, scope: dict[str, Any], full_name: str
) -> NewUser:
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ServiceError(f"用户名“{username}”已存在", "username")
    password = generate_password()
    user = user_model.objects.create_user(
        username=username, password=password, first_name=full_name
    )
    profile = Profile.objects.create(user=user, role=role, **scope)
    record(
        actor, Action.USER_CREATED, comment=_subject(user),
        changes={"role": (None, role.label), "scope": (None, scope_label(profile)),
                 "full_name": (None, full_name)},
    )
    return NewUser(user, password)


def set_user_active(actor: User, target: AbstractBaseUser, active: bool) -> AbstractBaseUser:
    """Deactivate (停用) or reactivate (启用) an account; an office cannot deactivate itself."""
    _require_office(actor)
    if not active and target.pk == getattr(actor, "pk", None):
        raise ServiceError("不能停用自己的账号", "is_active")
    with transaction.atomic(durable=True):
        current = get_user_model().objects.select_for_update().get(pk=target.pk)
        if current.is_active != active:
            old, current.is_active = current.is_active, active
            current.save(update_fields=["is_active"])
            action = Action.USER_REACTIVATED if active else Action.USER_DEACTIVATED
            record(actor, action, comment=_subject(current), changes={"is_active": (old, active)})
    return current


def change_role(
    actor: User, target: AbstractBaseUser, role: Role | str, *, unit: UnitRef = None,
    group: GroupRef = None, body: str = "",
) -> Profile:
    """Give an account another role or scope (a unit, a group, a supervising body)."""
    _require_office(actor)
    chosen = _role(role)
    scope = resolve_scope(actor, chosen, unit=unit, group=group, body=body)
    with transaction.atomic(durable=True):
        # Only the profile row is locked: PostgreSQL cannot lock the nullable side of a join.
        profile = Profile.objects.select_for_update(of=("self",)).select_related(
            "unit", "group__round__committee", "committee"
        ).get(user_id=target.pk)
        old_role, old_scope = Role(profile.role), scope_label(profile)
        profile.role = chosen
        for name, value in scope.items():
            setattr(profile, name, value)
        profile.save()
        new_scope = scope_label(profile)
        changes: dict[str, tuple[Any, Any]] = {}
        if old_role != chosen:
            changes["role"] = (old_role.label, chosen.label)
        if old_scope != new_scope:
            changes["scope"] = (old_scope, new_scope)
        if changes and target.pk == getattr(actor, "pk", None):
            # An office demoting itself would lock the last manager out of this page.
            raise ServiceError("不能修改自己的角色与范围，请由其他巡察办用户操作", "role")
        if changes:
            record(actor, Action.USER_ROLE_CHANGED, comment=_subject(target), changes=changes)
    return profile


def rename_user(actor: User, target: AbstractBaseUser, full_name: str) -> AbstractBaseUser:
    """Correct an account's 姓名."""
    _require_office(actor)
    name = _full_name(full_name)
    with transaction.atomic(durable=True):
        current = get_user_model().objects.select_for_update().get(pk=target.pk)
        if current.first_name != name:
            old, current.first_name = current.first_name, name
            current.save(update_fields=["first_name"])
            record(actor, Action.USER_EDITED, comment=_subject(current),
                   changes={"full_name": (old, name)})
    return current


def reset_password(actor: User, target: AbstractBaseUser) -> str:
    """Give an account a new random password and return it, to be shown once."""
    _require_office(actor)
    if target.pk == getattr(actor, "pk", None):
        raise ServiceError("请在“修改密码”页修改自己的密码", "password")
    password = generate_password()
    with transaction.atomic(durable=True):
        current = get_user_model().objects.select_for_update().get(pk=target.pk)
        current.set_password(password)
        current.save(update_fields=["password"])
        # Whoever knew the old password may have issued tokens: they go with it.
        ApiToken.revoke_all(current)
        # The history says that it happened, never what the password is.
        record(actor, Action.PASSWORD_RESET, comment=_subject(current))
    return password


def unlock_user(actor: User, target: AbstractBaseUser) -> int:
    """Lift a login lock-out (django-axes) of the account's user name; attempts forgotten."""
    _require_office(actor)
    username = target.get_username()
    if username not in lockout.locked_until([username]):
        raise ServiceError(f"用户“{username}”当前没有被锁定", "locked")
    with transaction.atomic(durable=True):
        count = lockout.unlock(username)
        record(actor, Action.USER_UNLOCKED, comment=f"用户：{username}",
               changes={"locked": (True, False)})
    return count


def change_own_password(user: User, *, old_password: str, new_password: str) -> None:
    """Any signed-in user changes their own password: the old one first, then Django's rules."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("请先登录")
    if not user.check_password(old_password or ""):
        raise ServiceError("原密码不正确", "old_password")
    if not new_password:
        raise ServiceError("请填写新密码", "new_password")
    if new_password == old_password:
        raise ServiceError("新密码不能与原密码相同", "new_password")
    try:
        validate_password(new_password, user)  # type: ignore[arg-type]
    except ValidationError as error:
        message = "新密码不符合要求：" + "；".join(error.messages)
        raise ServiceError(message, "new_password") from None
    with transaction.atomic(durable=True):
        current = get_user_model().objects.select_for_update().get(pk=user.pk)
        current.set_password(new_password)
        current.save(update_fields=["password"])
        ApiToken.revoke_all(current)
        record(current, Action.PASSWORD_CHANGED, comment=_subject(current))
    user.password = current.password  # the caller's session keeps working (see the view)


def bulk_create_users(actor: User, rows: list[UserRow]) -> list[NewUser]:
    """Create every user of an imported sheet, or none: BulkImportError lists each bad row."""
    _require_office(actor)
    errors: list[RowError] = []
    ready: list[tuple[str, Role, dict[str, Any], str]] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.problems:
            errors += row.problems
            seen.setdefault(row.username, row.row)
            continue
        try:
            name = _username(row.username)
            if name in seen:
                raise ServiceError(f"与第{seen[name]}行的用户名“{name}”重复", "username")
            seen[name] = row.row
            role = _role(row.role or Role.UNIT)
            body = row.body or (row.role if row.role in BODIES else "")
            scope = resolve_scope(actor, role, unit=row.unit, group=row.group, body=body)
            ready.append((name, role, scope, _full_name(row.full_name)))
        except ServiceError as error:
            errors.append(RowError(row.row, _COLUMN_OF_FIELD.get(error.field or "", "—"),
                                   error.message))
    taken = set(get_user_model().objects.filter(username__in=[n for n in seen if n]).values_list(
        "username", flat=True))
    errors += [RowError(seen[name], COLUMNS["username"], f"用户名“{name}”已存在")
               for name in sorted(taken, key=seen.__getitem__)]
    if errors:
        raise BulkImportError(sorted(errors, key=lambda e: e.row or 0))
    with transaction.atomic(durable=True):
        return [_create(actor, *item) for item in ready]


_COLUMN_OF_FIELD = {"username": COLUMNS["username"], "full_name": COLUMNS["full_name"],
                    "role": COLUMNS["role"], "unit": COLUMNS["unit"], "group": COLUMNS["group"],
                    "body": COLUMNS["body"]}


# --- API tokens ---


def list_tokens(actor: User, target: AbstractBaseUser) -> list[ApiToken]:
    """The API tokens of ``target``, newest first: for the user themself or the office."""
    _require_self_or_office(actor, target)
    return list(ApiToken.objects.filter(user_id=target.pk).order_by("-created_at", "-pk"))


def revoke_tokens(actor: User, target: AbstractBaseUser, token_id: int | None = None) -> int:
    """Revoke one token of ``target`` (``token_id``) or all; how many were still valid.

    The user themself or the office; the office's revocation of another's tokens is recorded.
    """
    _require_self_or_office(actor, target)
    with transaction.atomic(durable=True):
        tokens = ApiToken.objects.select_for_update().filter(
            user_id=target.pk, revoked_at__isnull=True
        )
        if token_id is not None:
            if not ApiToken.objects.filter(user_id=target.pk, pk=token_id).exists():
                raise ServiceError("没有这个令牌", "token")
            tokens = tokens.filter(pk=token_id)
        ids = list(tokens.values_list("pk", flat=True))
        count = ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
        if count and target.pk != getattr(actor, "pk", None):
            record(actor, Action.USER_EDITED, comment=_subject(target),
                   changes={"api_tokens_revoked": (None, count)})
    return count


def _require_self_or_office(actor: User, target: AbstractBaseUser) -> None:
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("请先登录")
    if actor.pk != target.pk:
        _require_office(actor)
