"""The demo: the seed notice as a round, and one account per role to walk the cycle with."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Permission
from django.db import transaction

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.importer import import_notice
from xuncha.inspections.models import Inspection, InspectionGroup, Round
from xuncha.notices.parse import parse_document

SEED_NOTICE = Path(__file__).resolve().parent.parent / "demo" / "changji-12-5.txt"

#: (username, role, scope, description). Passwords are random and shown once.
DEMO_USERS: list[tuple[str, Role, dict[str, str], str]] = [
    ("office", Role.OFFICE, {}, "巡察办"),
    ("group1", Role.GROUP, {"group": "第一巡察组"}, "第一巡察组（巡察木垒县东城镇）"),
    ("dongcheng", Role.UNIT, {"unit": "木垒县东城镇党委"}, "被巡察单位 木垒县东城镇党委"),
    ("qihu", Role.UNIT, {"unit": "奇台县七户乡党委"}, "被巡察单位 奇台县七户乡党委"),
    ("jiwei", Role.SUPERVISOR, {"body": "纪委监委"}, "纪委监委"),
]


def load_demo() -> list[str]:
    """Import the seed round and create the demo accounts; returns what to tell the user.

    Passwords are random and shown only when an account is created: nothing in the repository
    lets anyone into a real installation.
    """
    data = SEED_NOTICE.read_bytes()
    with transaction.atomic():
        result = import_notice(
            parse_document(data, SEED_NOTICE.name), filename=SEED_NOTICE.name, content=data
        )
        _assign_groups(result.round)
        lines = [result.summary(), *_ensure_users()]
    return lines


def _assign_groups(round_: Round) -> None:
    """The notice says 7 groups went to 7 units but not which went where; the units' own notices
    (第六组 → 大丰镇, 第七组 → 乐土驿镇) follow the listed order, so the demo assumes it."""
    groups = list(InspectionGroup.objects.filter(round=round_).order_by("number"))
    inspections = Inspection.objects.filter(round=round_, group__isnull=True).order_by("order")
    for inspection in inspections:
        if inspection.order <= len(groups):
            inspection.group = groups[inspection.order - 1]
            inspection.save(update_fields=["group"])


#: What the demo office account may do in /admin/: read the domain, keep the problem taxonomy.
#: Not a superuser: workflow state changes only through the services (operators who need more
#: run `xuncha createsuperuser`).
OFFICE_ADMIN_PERMISSIONS = [
    *(f"view_{model}" for model in (
        "region", "committee", "partyorganisation", "round", "roundkind", "problemcategory",
        "problem",
    )),
    "add_problemcategory",
    "change_problemcategory",
]


def _make_staff(user: AbstractUser) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="inspections", codename__in=OFFICE_ADMIN_PERMISSIONS
        )
    )


def _ensure_users() -> list[str]:
    user_model = get_user_model()
    created, existing = [], []
    for username, role, scope, description in DEMO_USERS:
        if user_model.objects.filter(username=username).exists():
            existing.append(username)
            continue
        new = create_user(
            username, role, unit=scope.get("unit"), group=scope.get("group"),
            body=scope.get("body", ""), full_name=f"演示·{description}",
        )
        if role == Role.OFFICE:
            _make_staff(new.user)
        created.append(f"  {username:<10} {new.generated_password}   {description}")
    lines = []
    if created:
        lines += [
            "已创建演示账号（密码只显示这一次，请记下）：",
            "  用户名     密码           角色",
            *created,
        ]
    if existing:
        lines.append(
            f"演示账号 {'、'.join(existing)} 已存在（密码仅在创建时显示一次；"
            "如已遗忘，运行 .venv/bin/xuncha changepassword 用户名 重设）"
        )
    return lines
