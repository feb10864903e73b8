"""Setting up a live round: the round, its groups, its units, the problems fed back, and the
unit register the units come from. One function per use case, one transaction each.

Like ``xuncha.workflow.services``: every function takes the acting user and objects already
fetched through ``xuncha.access``, checks that the user may act, writes, and records the change
in the history. Refusals are ``ServiceError`` (Chinese message, field at fault) or
``PermissionDenied``.

Only the office sets rounds up (``access.can_manage_round``); the office and the group that
inspected a unit record its problems. Group members must have the group role: a user of
another role is refused, so a group's member always signs in as the group (access scopes
group users by their memberships).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from xuncha import access
from xuncha.accounts.models import Profile, Role
from xuncha.analysis.categorize import CategoryRule, suggest_category
from xuncha.edges import date_out_of_range
from xuncha.inspections.models import (
    Committee,
    GroupMember,
    Inspection,
    InspectionGroup,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    Region,
    Round,
    RoundKind,
)
from xuncha.inspections.regions import committee_for, find_region, region_for
from xuncha.notices.items import MAX_ITEMS, split_items
from xuncha.notices.names import cn_to_int, int_to_cn, split_org_form
from xuncha.notices.places import level_of
from xuncha.similar import index as similar_index
from xuncha.workflow.history import record
from xuncha.workflow.models import Action, Event, Notification
from xuncha.workflow.services import ServiceError, next_problem_order

User = AbstractBaseUser | AnonymousUser

#: The fields of a round the office sets, as the API and forms name them.
ROUND_FIELDS = (
    "committee", "term", "number", "kinds", "inspection_start", "inspection_end",
    "feedback_date", "plan_due_date", "rectification_due_date", "scope_label", "title",
)
_ROUND_LABELS = {
    "committee": "巡察主体", "term": "届次", "number": "轮次", "kinds": "巡察类型",
    "inspection_start": "进驻开始日期", "inspection_end": "进驻结束日期",
    "feedback_date": "反馈日期", "plan_due_date": "整改方案报送时限",
    "rectification_due_date": "集中整改期截止", "scope_label": "被巡察单位类别", "title": "标题",
}
#: Every way a kind is written: its code, its label, the label without 巡察.
KIND_NAMES: dict[str, str] = {}
for _code, _label in RoundKind.Kind.choices:
    KIND_NAMES |= {_code: _code, _label: _code, _label.removesuffix("巡察"): _code}
KIND_NAMES |= {"回头看": RoundKind.Kind.FOLLOW_UP, "巡察回头看": RoundKind.Kind.FOLLOW_UP,
               "巡察\"回头看\"": RoundKind.Kind.FOLLOW_UP}
_FORMS = {label: code for code, label in PartyOrganisation.Form.choices}
_GROUP_NUMBER = re.compile(r"第([〇零一二两三四五六七八九十百\d]+)(?:巡察)?组")


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require_office(actor: User, doing: str) -> None:
    if not access.can_manage_round(actor):
        raise _deny(f"只有巡察办可以{doing}")


# --- cleaning what a person typed -------------------------------------------------------------


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise ServiceError(f"请填写{label}", field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 字", field)
    return text


def _day(value: Any, field: str, *, required: bool = False) -> datetime.date | None:
    label = _ROUND_LABELS.get(field, field)
    if value in (None, ""):
        if required:
            raise ServiceError(f"请填写{label}", field)
        return None
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError(f"{label}“{value}”不是有效日期（格式：2026-03-01）", field) from None
    if (refusal := date_out_of_range(value, label)) is not None:
        raise ServiceError(refusal, field)
    return value


def term_label(value: Any) -> str:
    """The 届 as stored and published: 12, "12", "十二" and "十二届" are all "十二届"."""
    text = str(value if value is not None else "").strip().removesuffix("届")
    if not text:
        raise ServiceError("请填写届次（如 十二届 或 12）", "term")
    try:
        number = cn_to_int(text)
    except ValueError:
        raise ServiceError(f"届次“{value}”无效，请写成 十二届 或 12", "term") from None
    if not 1 <= number <= 99:
        raise ServiceError(f"届次“{value}”超出范围（1 到 99）", "term")
    return f"{int_to_cn(number)}届"


def _number(value: Any) -> int:
    text = str(value if value is not None else "").strip().removeprefix("第").removesuffix("轮")
    if not text:
        raise ServiceError("请填写轮次（如 6）", "number")
    try:
        number = cn_to_int(text)
    except ValueError:
        raise ServiceError(f"轮次“{value}”须为整数（如 6）", "number") from None
    if not 1 <= number <= 99:
        raise ServiceError(f"轮次“{value}”超出范围（1 到 99）", "number")
    return number


@dataclass(frozen=True)
class KindSpec:
    """A kind of the round, with the subject of a 专项巡察 ("基层组织建设")."""

    kind: str
    subject: str = ""

    @property
    def label(self) -> str:
        return f"{self.subject}{RoundKind.Kind(self.kind).label}"


def parse_kinds(values: Iterable[Any], special_subject: str = "") -> list[KindSpec]:
    """Kinds from codes or labels ("regular", "常规", "常规巡察", "基层组织建设专项巡察").

    ``special_subject`` is the subject of a 专项巡察 given without one.
    """
    kinds: list[KindSpec] = []
    for value in values:
        spec = _kind(value, special_subject.strip())
        if spec.kind in {k.kind for k in kinds}:
            raise ServiceError(f"巡察类型“{spec.label}”重复", "kinds")
        kinds.append(spec)
    if not kinds:
        raise ServiceError("请至少选择一种巡察类型", "kinds")
    return kinds


def _kind(value: Any, special_subject: str) -> KindSpec:
    if isinstance(value, dict):
        spec = _kind(value.get("kind", ""), str(value.get("subject") or special_subject))
        return spec
    text = str(value).strip().replace("“", "\"").replace("”", "\"")
    if text in KIND_NAMES:
        code = KIND_NAMES[text]
        return KindSpec(code, special_subject if code == RoundKind.Kind.SPECIAL else "")
    for suffix in ("专项巡察", "专项"):
        if text.endswith(suffix):
            return KindSpec(RoundKind.Kind.SPECIAL, text.removesuffix(suffix))
    choices = "、".join(label.removesuffix("巡察") for _code, label in RoundKind.Kind.choices)
    raise ServiceError(f"巡察类型“{value}”无效，可选：{choices}", "kinds")


def committee_named(name: Any, *, create: bool = True) -> Committee:
    """The committee called ``name`` (see ``regions.committee_for``); created when there is
    none and ``create`` is set."""
    text = _text(name, "巡察主体", "committee", 64)
    committee = committee_for(text, create=create).committee
    if committee is None:
        raise ServiceError(f"没有名为“{text}”的巡察主体", "committee")
    return committee


# --- rounds -----------------------------------------------------------------------------------


def _clean_round(data: dict[str, Any], current: Round | None) -> dict[str, Any]:
    """The round fields present in ``data``, cleaned; all required ones when creating."""
    fields: dict[str, Any] = {}
    creating = current is None
    if "term" in data or creating:
        fields["term"] = term_label(data.get("term"))
    if "number" in data or creating:
        fields["number"] = _number(data.get("number"))
    if "kinds" in data or creating:
        kinds = data.get("kinds") or []
        if isinstance(kinds, str):
            kinds = [kinds]
        fields["kinds"] = parse_kinds(kinds, str(data.get("special_subject") or ""))
    for name in ("inspection_start", "inspection_end", "feedback_date", "plan_due_date",
                 "rectification_due_date"):
        if name in data:
            fields[name] = _day(data[name], name)
    for name, limit in (("scope_label", 32), ("title", 200)):
        if name in data:
            fields[name] = _text(data[name], _ROUND_LABELS[name], name, limit, required=False)
    start = fields.get("inspection_start", current and current.inspection_start)
    end = fields.get("inspection_end", current and current.inspection_end)
    if start and end and end < start:
        raise ServiceError("进驻结束日期不能早于开始日期", "inspection_end")
    plan = fields.get("plan_due_date", current and current.plan_due_date)
    period = fields.get("rectification_due_date", current and current.rectification_due_date)
    if plan and period and period < plan:
        raise ServiceError("集中整改期截止日不能早于整改方案报送时限", "rectification_due_date")
    return fields


def _own_committee(actor: User, committee: Committee) -> None:
    profile = access.profile_of(actor)
    if profile is not None and profile.committee_id not in (None, committee.pk):
        raise ServiceError(
            f"只能为本巡察主体（{profile.committee}）安排轮次，不能为“{committee.name}”",
            "committee",
        )


def _duplicate(committee: Committee, term: str, number: int) -> ServiceError:
    return ServiceError(
        f"{committee.name}{term}第{int_to_cn(number)}轮巡察已存在，请检查届次和轮次", "number"
    )


def create_round(actor: User, data: dict[str, Any]) -> Round:
    """新建轮次: committee (existing or new), 届, 轮, kinds, dates, scope label and title."""
    _require_office(actor, "新建巡察轮次")
    fields = _clean_round(data, None)
    kinds = fields.pop("kinds")
    try:
        with transaction.atomic(durable=True):
            committee = committee_named(data.get("committee"))
            _own_committee(actor, committee)
            if Round.objects.filter(committee=committee, term=fields["term"],
                                    number=fields["number"]).exists():
                raise _duplicate(committee, fields["term"], fields["number"])
            round_ = Round.objects.create(committee=committee, **fields)
            _set_kinds(round_, kinds)
            changes = _added({"committee": committee.name, **fields,
                              "kinds": "、".join(k.label for k in kinds)})
            record(actor, Action.ROUND_CREATED, round=round_, changes=changes)
    except IntegrityError:
        # Another clerk created the same round between our check and our insert.
        committee = committee_named(data.get("committee"), create=False)
        raise _duplicate(committee, fields["term"], fields["number"]) from None
    return round_


def edit_round(actor: User, round_: Round, data: dict[str, Any]) -> Round:
    """Change a round's facts; only the fields present in ``data`` change, each recorded."""
    _require_office(actor, "修改巡察轮次")
    try:
        with transaction.atomic(durable=True):
            current = Round.objects.select_for_update().select_related("committee").get(
                pk=round_.pk
            )
            fields = _clean_round(data, current)
            changes: dict[str, tuple[Any, Any]] = {}
            if "committee" in data:
                committee = committee_named(data["committee"])
                _own_committee(actor, committee)
                if committee.pk != current.committee_id:
                    changes["committee"] = (current.committee.name, committee.name)
                    current.committee = committee
            kinds = fields.pop("kinds", None)
            for name, value in fields.items():
                if getattr(current, name) != value:
                    changes[name] = (getattr(current, name), value)
                    setattr(current, name, value)
            if kinds is not None:
                old = "、".join(k.label for k in current.kinds.all())
                new = "、".join(k.label for k in kinds)
                if old != new:
                    changes["kinds"] = (old, new)
                    _set_kinds(current, kinds)
            # Only rounds with 届 and 轮 are unique by them (imported ones may lack both).
            if (
                {"committee", "term", "number"} & set(changes)
                and current.term and current.number is not None
                and Round.objects.filter(
                    committee=current.committee, term=current.term, number=current.number
                ).exclude(pk=current.pk).exists()
            ):
                raise _duplicate(current.committee, current.term, current.number)
            if "feedback_date" in changes:
                current.feedback_date_precision = Round.DatePrecision.DAY
            current.save()
            # Deadlines keep their own action, as set_deadlines records them.
            deadlines = {k: changes.pop(k) for k in _DEADLINES if k in changes}
            if changes:
                record(actor, Action.ROUND_EDITED, round=current, changes=changes)
            if deadlines:
                record(actor, Action.DEADLINES_CHANGED, round=current, changes=deadlines)
    except IntegrityError:
        raise ServiceError("该届次、轮次的巡察已存在，请检查届次和轮次", "number") from None
    return current


_DEADLINES = ("plan_due_date", "rectification_due_date")


def _set_kinds(round_: Round, kinds: Sequence[KindSpec]) -> None:
    round_.kinds.all().delete()
    RoundKind.objects.bulk_create(
        RoundKind(round=round_, kind=k.kind, subject=k.subject, order=n)
        for n, k in enumerate(kinds)
    )


def _added(values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """History changes for something new: each value given, none for what was left blank."""
    return {k: (None, v) for k, v in values.items() if v not in (None, "")}


def round_history(round_: Round) -> QuerySet[Event]:
    """What was changed about the round itself (its facts, groups, units), oldest first."""
    return Event.objects.filter(round=round_, problem=None).order_by("id")


# --- groups -----------------------------------------------------------------------------------


def users_named(usernames: Iterable[Any], field: str = "members") -> list[AbstractBaseUser]:
    """The users with these user names, in order; a ServiceError names the first unknown one."""
    model = get_user_model()
    names = [str(n).strip() for n in usernames if str(n).strip()]
    found = {u.get_username(): u for u in model.objects.filter(username__in=names)}
    for name in names:
        if name not in found:
            raise ServiceError(f"没有用户名为“{name}”的用户", field)
    return [found[name] for name in dict.fromkeys(names)]


def _check_group_users(leader: AbstractBaseUser | None,
                       members: Sequence[AbstractBaseUser]) -> None:
    for user, field in [(leader, "leader"), *((m, "members") for m in members)]:
        if user is None:
            continue
        profile = Profile.objects.filter(user_id=user.pk).first()
        if profile is None or profile.role != Role.GROUP or not user.is_active:
            raise ServiceError(
                f"用户“{user.get_username()}”不是巡察组角色的在用账号，不能加入巡察组"
                "（请先在用户管理中建立巡察组账号）", field,
            )


def _clean_group(round_: Round, data: dict[str, Any],
                 current: InspectionGroup | None) -> dict[str, Any]:
    number = data.get("number")
    name = str(data.get("name") or "").strip()
    if number not in (None, ""):
        number = _number(number)
    if not name and number:
        name = f"第{int_to_cn(number)}巡察组"
    name = _text(name, "巡察组名称", "name", 64)
    if number in (None, "") and (match := _GROUP_NUMBER.search(name)):
        number = cn_to_int(match.group(1))
    taken = InspectionGroup.objects.filter(round=round_, name=name)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ServiceError(f"本轮已有“{name}”", "name")
    return {"name": name, "number": number or None}


def add_group(
    actor: User, round_: Round, data: dict[str, Any], *,
    leader: AbstractBaseUser | None = None, members: Sequence[AbstractBaseUser] = (),
) -> InspectionGroup:
    """A group of the round: name (第N巡察组) and number, its 组长 and members as users."""
    _require_office(actor, "组建巡察组")
    fields = _clean_group(round_, data, None)
    _check_group_users(leader, members)
    published = _leader_name(data, leader)
    with transaction.atomic(durable=True):
        Round.objects.select_for_update().filter(pk=round_.pk).first()
        group = InspectionGroup.objects.create(round=round_, leader=published, **fields)
        _set_members(group, leader, members)
        record(actor, Action.GROUP_ADDED, round=round_, changes=_added({
            "group": group.name, "group_leader": published, "members": _names(group),
        }))
    return group


def edit_group(
    actor: User, group: InspectionGroup, data: dict[str, Any], *,
    leader: AbstractBaseUser | None = None, members: Sequence[AbstractBaseUser] = (),
) -> InspectionGroup:
    """Rename a group, renumber it, or change its 组长 and members (the whole list)."""
    _require_office(actor, "调整巡察组")
    fields = _clean_group(group.round, data, group)
    _check_group_users(leader, members)
    published = _leader_name(data, leader)
    with transaction.atomic(durable=True):
        current = InspectionGroup.objects.select_for_update().get(pk=group.pk)
        before = {"group": current.name, "group_leader": current.leader,
                  "members": _names(current)}
        current.name, current.number, current.leader = fields["name"], fields["number"], published
        current.save()
        _set_members(current, leader, members)
        after = {"group": current.name, "group_leader": current.leader,
                  "members": _names(current)}
        changes = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if changes:
            record(actor, Action.GROUP_EDITED, round=current.round, changes=changes,
                   comment=current.name)
    return current


def _leader_name(data: dict[str, Any], leader: AbstractBaseUser | None) -> str:
    """The 组长's name as published: given, else the leader's full name or user name."""
    given = str(data.get("leader_name") or "").strip()
    if given:
        return _text(given, "组长姓名", "leader_name", 64)
    if leader is None:
        return ""
    full = getattr(leader, "get_full_name", lambda: "")()
    return (full or leader.get_username())[:64]


def _set_members(group: InspectionGroup, leader: AbstractBaseUser | None,
                 members: Sequence[AbstractBaseUser]) -> None:
    group.members.all().delete()
    people = ([leader] if leader is not None else []) + [
        m for m in members if leader is None or m.pk != leader.pk
    ]
    GroupMember.objects.bulk_create(
        GroupMember(group=group, user_id=user.pk, is_leader=user is leader) for user in people
    )


def _names(group: InspectionGroup) -> str:
    rows = group.members.select_related("user").order_by("-is_leader", "user__username")
    return "、".join(
        f"{m.user.get_username()}{'（组长）' if m.is_leader else ''}" for m in rows
    )


# --- units of a round -------------------------------------------------------------------------


def _form_code(value: Any, name: str) -> str:
    text = str(value or "").strip()
    if not text:
        _place, form = split_org_form(name)
        form = {"委员会": "党委", "工作委员会": "党工委", "支部委员会": "党支部",
                "总支部委员会": "党总支"}.get(form, form)
        return _FORMS.get(form, PartyOrganisation.Form.OTHER)
    if text in PartyOrganisation.Form.values:
        return text
    if text in _FORMS:
        return _FORMS[text]
    raise ServiceError(f"组织形式“{text}”无效，可选：{'、'.join(_FORMS)}", "form")


def _region(value: Any, unit_name: str, root: Region | None) -> Region | None:
    """The unit's region: the place its name gives, read below the region given (a Region, or
    a name picked or typed) or else below the committee's region. "木垒县雀仁乡党委" with 木垒县
    given is placed on 雀仁乡 under 木垒县."""
    place, _form = split_org_form(unit_name)
    if isinstance(value, Region):
        return region_for(place, value)[0]
    text = str(value or "").strip()
    if text:
        found = find_region(text)
        if found is not None:
            return region_for(place, found)[0]
        if Region.objects.filter(name=text).count() > 1:
            raise ServiceError(
                f"有多个名为“{text}”的区划，请连同上级一起写（如 木垒县东城镇）", "region")
        if level_of(text) is None:
            raise ServiceError(
                f"无法识别区划“{text}”（应以 州、市、县、区、乡、镇、街道、村 等结尾）", "region")
        return region_for(place, region_for(text, root)[0])[0]
    return region_for(place, root)[0]


def _register(actor: User, name: str, region: Any, form: Any,
              root: Region | None) -> PartyOrganisation:
    """Add a unit to the register inside the caller's transaction, and record it."""
    if PartyOrganisation.objects.filter(name=name).exists():
        raise ServiceError(f"单位名录中已有“{name}”", "name")
    unit = PartyOrganisation.objects.create(
        name=name, form=_form_code(form, name), region=_region(region, name, root)
    )
    record(actor, Action.UNIT_REGISTERED, changes=_added({
        "unit": unit.name, "region": unit.region, "form": unit.form,
    }))
    return unit


def register_unit(actor: User, *, name: Any, region: Any = None,
                  form: Any = None) -> PartyOrganisation:
    """单位名录: add a unit (name as published, region picked or typed, organisation form)."""
    _require_office(actor, "维护单位名录")
    text = _text(name, "单位名称", "name", 128)
    try:
        with transaction.atomic(durable=True):
            return _register(actor, text, region, form, _home_region(actor))
    except IntegrityError:
        raise _taken(text) from None


def _taken(name: str) -> ServiceError:
    # Another clerk added the same unit (or region) a moment before this transaction.
    return ServiceError(f"单位名录中已有“{name}”（刚由他人加入），请刷新后再试", "name")


def _home_region(actor: User) -> Region | None:
    profile = access.profile_of(actor)
    committee = profile.committee if profile is not None else None
    if committee is None and Committee.objects.count() == 1:
        committee = Committee.objects.first()
    return committee.region if committee is not None else None


def _group_of(round_: Round, group: Any) -> InspectionGroup | None:
    if group in (None, ""):
        return None
    if isinstance(group, InspectionGroup):
        found: InspectionGroup | None = group if group.round_id == round_.pk else None
    else:
        try:
            found = InspectionGroup.objects.filter(round=round_, pk=int(group)).first()
        except (TypeError, ValueError):
            found = InspectionGroup.objects.filter(round=round_, name=str(group).strip()).first()
    if found is None:
        raise ServiceError(f"巡察组“{group}”不属于本轮巡察", "group")
    return found


def add_inspection(
    actor: User, round_: Round, *, unit: Any, group: Any = None, region: Any = None,
    form: Any = None, order: Any = None, feedback_date: Any = None,
) -> Inspection:
    """添加被巡察单位: a unit of the register (or a new one, added to it) and its group."""
    _require_office(actor, "添加被巡察单位")
    name = unit.name if isinstance(unit, PartyOrganisation) else _text(
        unit, "被巡察单位", "unit", 128)
    the_group = _group_of(round_, group)
    day = _day(feedback_date, "feedback_date")
    position = None if order in (None, "") else _position(order)
    try:
        with transaction.atomic(durable=True):
            # The round's row lock queues two clerks adding units to one round.
            Round.objects.select_for_update().filter(pk=round_.pk).first()
            found = PartyOrganisation.objects.filter(name=name).first()
            if found is None:
                found = _register(actor, name, region, form, round_.committee.region)
            if Inspection.objects.filter(round=round_, unit=found).exists():
                raise ServiceError(f"本轮已有被巡察单位“{name}”", "unit")
            if position is None:
                position = (round_.inspections.aggregate(n=Max("order"))["n"] or 0) + 1
            inspection = Inspection.objects.create(
                round=round_, unit=found, group=the_group, order=position, feedback_date=day
            )
            record(actor, Action.INSPECTION_ADDED, round=round_, changes=_added({
                "unit": found.name, "group": the_group, "feedback_date": day,
                "order": position,
            }))
    except IntegrityError:
        raise _taken(name) from None
    return inspection


def _position(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"顺序“{value}”须为整数", "order") from None
    if not 0 <= number <= 9999:
        raise ServiceError("顺序须在 0 到 9999 之间", "order")
    return number


INSPECTION_FIELDS = ("group", "order", "feedback_date", "plan_due_date", "rectification_due_date")


def edit_inspection(actor: User, inspection: Inspection, data: dict[str, Any]) -> Inspection:
    """A unit's own group, order, feedback date and deadline overrides (None: the round's)."""
    _require_office(actor, "调整被巡察单位的时限")
    fields: dict[str, Any] = {}
    if "group" in data:
        fields["group"] = _group_of(inspection.round, data["group"])
    if "order" in data:
        fields["order"] = _position(data["order"])
    for name in ("feedback_date", "plan_due_date", "rectification_due_date"):
        if name in data:
            fields[name] = _day(data[name], name)
    with transaction.atomic(durable=True):
        current = Inspection.objects.select_for_update().select_related("round", "unit").get(
            pk=inspection.pk
        )
        plan = fields.get("plan_due_date", current.plan_due_date) or current.round.plan_due_date
        period = (fields.get("rectification_due_date", current.rectification_due_date)
                  or current.round.rectification_due_date)
        if plan and period and period < plan:
            raise ServiceError("集中整改期截止日不能早于整改方案报送时限", "rectification_due_date")
        changes = {
            k: (getattr(current, k), v) for k, v in fields.items() if getattr(current, k) != v
        }
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        if changes:
            record(actor, Action.INSPECTION_EDITED, round=current.round, changes=changes,
                   comment=current.unit.name)
    return current


# --- problems fed back ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProblem:
    """A problem about to be recorded: what the preview shows and the clerk may correct."""

    text: str
    immediate: bool = False
    category: ProblemCategory | None = None
    heading: str = ""


def preview_block(block: Any) -> list[NewProblem]:
    """The problems in a pasted block, each with the category the taxonomy suggests."""
    text = str(block or "")
    if not text.strip():
        raise ServiceError("请粘贴反馈问题（每行一个，或按 一、/（一）/1. 编号）", "block")
    items = split_items(text)
    if len(items) > MAX_ITEMS:
        raise ServiceError(f"一次最多录入 {MAX_ITEMS} 个问题，本次有 {len(items)} 个", "block")
    categories = list(ProblemCategory.objects.all())
    rules = [CategoryRule.from_text(c.code, c.keywords) for c in categories]
    by_code = {c.code: c for c in categories}
    return [
        NewProblem(item.text, category=by_code.get(suggest_category(item.text, rules) or ""),
                   heading=item.heading[:255])
        for item in items
    ]


def check_may_record(actor: User, inspection: Inspection) -> None:
    """Refuse (PermissionDenied) anyone but the office and the unit's group."""
    if not (access.can_manage_round(actor) or access.is_group_of(actor, inspection)):
        raise _deny("只有巡察办或负责该单位的巡察组可以录入反馈问题")


def add_problems(actor: User, inspection: Inspection,
                 problems: Sequence[NewProblem]) -> list[Problem]:
    """Record several problems of a unit at once, numbered on from its last, all or none."""
    check_may_record(actor, inspection)
    if not problems:
        raise ServiceError("没有要录入的问题", "block")
    for n, item in enumerate(problems, 1):
        _text(item.text, f"第{n}个问题", "text", 8000)
    created = []
    with transaction.atomic(durable=True):
        order = next_problem_order(inspection)
        for offset, item in enumerate(problems):
            problem = Problem.objects.create(
                round_id=inspection.round_id, unit_id=inspection.unit_id, order=order + offset,
                text=item.text.strip(), category=item.category, immediate=item.immediate,
                heading=item.heading,
            )
            record(actor, Action.PROBLEM_CREATED, problem=problem, changes={
                "text": (None, problem.text), "immediate": (None, problem.immediate),
                "category": (None, problem.category),
            })
            created.append(problem)
    return created


# --- the unit register ------------------------------------------------------------------------


def rename_unit(actor: User, unit: PartyOrganisation, name: Any) -> PartyOrganisation:
    """Rename a unit (its name as published); every round it was inspected in follows."""
    _require_office(actor, "维护单位名录")
    text = _text(name, "单位名称", "name", 128)
    with transaction.atomic(durable=True):
        current = PartyOrganisation.objects.select_for_update().get(pk=unit.pk)
        if text == current.name:
            return current
        if PartyOrganisation.objects.filter(name=text).exists():
            raise ServiceError(f"单位名录中已有“{text}”；如是同一单位，请用合并", "name")
        old, current.name = current.name, text
        current.save(update_fields=["name"])
        record(actor, Action.UNIT_RENAMED, changes={"unit": (old, text)})
    return current


def merge_units(actor: User, source: PartyOrganisation,
                target: PartyOrganisation) -> PartyOrganisation:
    """Merge ``source`` into ``target``: its inspections, problems and users move to ``target``
    and it leaves the register. Refused where both were inspected in the same round."""
    _require_office(actor, "合并单位")
    if source.pk == target.pk:
        raise ServiceError("不能把单位并入它自己", "into")
    with transaction.atomic(durable=True):
        units = PartyOrganisation.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        rows = {u.pk: u for u in units}
        if len(rows) != 2:
            raise ServiceError("要合并的单位已不存在", "into")
        shared = Inspection.objects.filter(
            unit=source, round__in=Inspection.objects.filter(unit=target).values("round")
        ).select_related("round__committee").first()
        if shared is not None:
            raise ServiceError(
                f"“{source.name}”和“{target.name}”都在{shared.round.display_name}中被巡察，"
                "不能合并", "into",
            )
        moved = {
            "inspections": Inspection.objects.filter(unit=source).update(unit=target),
            "problems": Problem.objects.filter(unit=source).update(unit=target),
            "users": Profile.objects.filter(unit=source).update(unit=target),
            # Notifications hang on the unit (cascade): keep them with the merged unit.
            "notifications": Notification.objects.filter(unit=source).update(unit=target),
        }
        name = rows[source.pk].name
        rows[source.pk].delete()
        similar_index.follow_units([rows[target.pk]])
        record(actor, Action.UNITS_MERGED, changes={"unit": (name, rows[target.pk].name)},
               comment="，".join(f"{k} {n}" for k, n in moved.items()))
    return rows[target.pk]


_LEVELS = {label: code for code, label in Region.Level.choices}


def _level(value: Any, name: str) -> str:
    text = str(value or "").strip()
    if text in Region.Level.values:
        return text
    if text in _LEVELS:
        return _LEVELS[text]
    if not text and (level := level_of(name)):
        return level
    raise ServiceError(f"请选择层级（{'、'.join(_LEVELS)}）", "level")


def add_region(actor: User, *, name: Any, level: Any = None,
               parent: Region | None = None) -> Region:
    """A region of the tree, under ``parent`` (None: a root, such as a prefecture)."""
    _require_office(actor, "维护行政区划")
    text = _text(name, "区划名称", "name", 64)
    code = _level(level, text)
    with transaction.atomic(durable=True):
        if Region.objects.filter(parent=parent, name=text).exists():
            where = f"“{parent.name}”下" if parent else "顶层"
            raise ServiceError(f"{where}已有区划“{text}”", "name")
        region = Region.objects.create(name=text, level=code, parent=parent)
        record(actor, Action.REGION_ADDED, changes=_added({"region": text, "parent": parent}))
    return region


def rename_region(actor: User, region: Region, name: Any) -> Region:
    _require_office(actor, "维护行政区划")
    text = _text(name, "区划名称", "name", 64)
    with transaction.atomic(durable=True):
        current = Region.objects.select_for_update().get(pk=region.pk)
        if text == current.name:
            return current
        if Region.objects.filter(parent_id=current.parent_id, name=text).exists():
            raise ServiceError(f"同一上级下已有区划“{text}”；如是同一区划，请用合并", "name")
        old, current.name = current.name, text
        current.save(update_fields=["name"])
        record(actor, Action.REGION_RENAMED, changes={"region": (old, text)})
    return current


def merge_regions(actor: User, source: Region, target: Region) -> Region:
    """Merge ``source`` into ``target``: its sub-regions, units and committees move over."""
    _require_office(actor, "合并行政区划")
    if source.pk == target.pk:
        raise ServiceError("不能把区划并入它自己", "into")
    with transaction.atomic(durable=True):
        ancestor: Region | None = target
        while ancestor is not None:
            if ancestor.pk == source.pk:
                raise ServiceError(f"“{target.name}”是“{source.name}”的下级，不能并入", "into")
            ancestor = ancestor.parent
        names = set(target.children.values_list("name", flat=True))
        clash = source.children.filter(name__in=names).first()
        if clash is not None:
            raise ServiceError(
                f"两个区划下都有“{clash.name}”，请先合并这两个下级区划", "into")
        Region.objects.filter(parent=source).update(parent=target)
        PartyOrganisation.objects.filter(region=source).update(region=target)
        Committee.objects.filter(region=source).update(region=target)
        similar_index.follow_units(PartyOrganisation.objects.filter(region=target))
        name = source.name
        Region.objects.filter(pk=source.pk).delete()
        record(actor, Action.REGIONS_MERGED, changes={"region": (name, target.name)})
    return target


def units_page(query: str = "") -> QuerySet[PartyOrganisation]:
    """The register, searched by name or region name, with how often each unit was inspected."""
    from django.db.models import Count, Q

    units = PartyOrganisation.objects.select_related("region__parent").annotate(
        inspection_count=Count("inspections", distinct=True)
    )
    if query.strip():
        q = query.strip()
        units = units.filter(Q(name__icontains=q) | Q(region__name__icontains=q))
    return units.order_by("name", "id")
