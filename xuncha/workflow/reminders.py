"""The daily reminder digest for every user at once, in a fixed number of queries.

A province has tens of thousands of users and hundreds of thousands of due measures: asking the
database once per user (and writing one line per due item) took minutes and made digests no
one could read. Here the database counts open measures per (round, unit) and warning level and
picks the most urgent few per (round, unit) in two queries; each user's digest is then put
together in Python from the (round, unit) pairs in their scope, with the same scope rules as
``xuncha.access.inspections_for``. A digest summarises: counts per level, the units with the
most overdue items, the ten most urgent items, and a link to the overdue board.
"""

from __future__ import annotations

import datetime
import functools
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import Role
from xuncha.inspections.models import GroupMember, Inspection, Measure, Round
from xuncha.inspections.queries import analytic_session
from xuncha.workflow.deadlines import Digest, Level, _email, due_soon, level, level_counts
from xuncha.workflow.models import ClueHandover, Notification, ReminderDigest

#: How many items a digest lists one by one; the rest are counted and on the board.
URGENT_ITEMS = 10
#: How many units a digest names with their counts (those with the most overdue items first).
LISTED_UNITS = 20
_LEVELS = (Level.OVERDUE, Level.WARNING, Level.NOTICE)

Pair = tuple[int, int]  # (round id, unit id)


class _Item(NamedTuple):
    """A due item; a measure's line is written only if a digest lists it (most are only
    counted), a clue's comes written."""

    due: datetime.date
    id: int
    line: str
    unit_id: int = 0
    content: str = ""
    leader: str = ""


@dataclass
class _Data:
    """What the database said, once for all users."""

    counts: dict[Pair, dict[str, int]] = field(default_factory=dict)
    urgent: dict[Pair, list[_Item]] = field(default_factory=lambda: defaultdict(list))
    unit_names: dict[int, str] = field(default_factory=dict)
    committee_of: dict[int, int] = field(default_factory=dict)
    group_of: dict[Pair, int | None] = field(default_factory=dict)
    clues: list[tuple[Pair, str, _Item]] = field(default_factory=list)
    by_unit: dict[int, list[Pair]] = field(default_factory=lambda: defaultdict(list))
    by_committee: dict[int, list[Pair]] = field(default_factory=lambda: defaultdict(list))
    by_group: dict[int, list[Pair]] = field(default_factory=lambda: defaultdict(list))

    def index(self) -> None:
        for pair in self.counts:
            self.by_unit[pair[1]].append(pair)
            committee = self.committee_of.get(pair[0])
            if committee is not None:
                self.by_committee[committee].append(pair)
            group = self.group_of.get(pair)
            if group is not None:
                self.by_group[group].append(pair)


def _load(today: datetime.date) -> _Data:
    data = _Data()
    measures = due_soon(Measure.objects.all(), today)
    rows = (
        measures.values("problem__round_id", "problem__unit_id", "problem__unit__name")
        .annotate(**level_counts(today))
        .order_by()
    )
    for row in rows:
        pair = (row["problem__round_id"], row["problem__unit_id"])
        data.counts[pair] = {lvl.value: row[lvl.value] for lvl in _LEVELS}
        data.unit_names[pair[1]] = row["problem__unit__name"]
    # The most urgent few per (round, unit): the most urgent of any scope is among them. Only
    # the columns a line shows (the first 40 characters of the content), no unit join (the
    # names came with the counts) and no ordering (Measure's default ordering would sort every
    # ranked row once more).
    ranked = measures.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("problem__round_id"), F("problem__unit_id")],
            order_by=[F("due_date").asc(), F("id").asc()],
        ),
        head=Substr("content", 1, 40),
    ).filter(rank__lte=URGENT_ITEMS).order_by()
    for mid, round_id, unit_id, content, leader, due in ranked.values_list(
        "id", "problem__round_id", "problem__unit_id", "head", "leader", "due_date",
    ):
        if due is None:  # pragma: no cover - due_soon() keeps only measures with a due date
            continue
        data.urgent[(round_id, unit_id)].append(_Item(due, mid, "", unit_id, content, leader))
    data.committee_of = dict(Round.objects.values_list("id", "committee_id").order_by())
    for round_id, unit_id, group_id in Inspection.objects.values_list(
        "round_id", "unit_id", "group_id"
    ).order_by():
        data.group_of[(round_id, unit_id)] = group_id
    horizon = today + datetime.timedelta(days=settings.DEADLINE_WARNING_DAYS)
    for h in ClueHandover.objects.filter(outcome="", follow_up_due__lte=horizon).values_list(
        "id", "problem__round_id", "problem__unit_id", "problem__unit__name", "problem__text",
        "follow_up_due", "receiver",
    ):
        hid, round_id, unit_id, unit_name, text, due, receiver = h
        line = f"[线索反馈] {unit_name}｜{text[:40]}｜应于 {due} 前反馈办理结果"
        data.clues.append(((round_id, unit_id), receiver, _Item(due, hid, line)))
    data.index()
    return data


@dataclass(frozen=True)
class _Profile:
    role: str
    committee_id: int | None
    group_id: int | None
    unit_id: int | None
    body: str


@dataclass(frozen=True)
class _User:
    """What a digest needs of a user: read as plain values, not 25,000 model instances."""

    pk: int
    email: str
    is_superuser: bool
    profile: _Profile


@dataclass
class _Scope:
    """A user's (round, unit) pairs as a predicate, as ``access.inspections_for`` draws them."""

    everything: bool = False
    committee: int | None = None
    groups: frozenset[int] = frozenset()
    unit: int | None = None

    def pairs(self, data: _Data) -> Iterable[Pair]:
        """The pairs with something due that this scope covers, from the index that fits:
        looking through every pair for every user would grow as users × units."""
        if self.everything:
            return data.counts.keys()
        if self.committee is not None:
            return data.by_committee.get(self.committee, ())
        if self.groups:
            return [p for g in self.groups for p in data.by_group.get(g, ())]
        return data.by_unit.get(self.unit, ()) if self.unit is not None else ()

    def covers(self, pair: Pair, data: _Data) -> bool:
        if self.everything:
            return True
        if self.committee is not None:
            return data.committee_of.get(pair[0]) == self.committee
        if self.groups:
            return data.group_of.get(pair) in self.groups
        return self.unit is not None and pair[1] == self.unit


def _scope(user: _User, memberships: dict[int, set[int]]) -> tuple[_Scope, Role | None]:
    profile = user.profile
    if user.is_superuser:
        return _Scope(everything=True), Role.OFFICE
    if profile is None:
        return _Scope(), None
    role = Role(profile.role)
    if role in (Role.OFFICE, Role.SUPERVISOR):
        if profile.committee_id is None:
            return _Scope(everything=True), role
        return _Scope(committee=profile.committee_id), role
    if role == Role.GROUP:
        groups = {profile.group_id, *memberships.get(user.pk, ())}
        return _Scope(groups=frozenset(g for g in groups if g is not None)), role
    return _Scope(unit=profile.unit_id), role


def _receiver(profile: _Profile | None) -> str:
    receivers = {label: value for value, label in ClueHandover.Receiver.choices}
    return receivers.get((profile.body or "").strip(), "") if profile is not None else ""


def _digest(user: _User, scope: _Scope, role: Role | None, data: _Data, today: datetime.date,
            board_link: str) -> Digest | None:
    totals: dict[str, int] = defaultdict(int)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    items: list[_Item] = []
    if role != Role.SUPERVISOR:
        # Supervisors read everything but act only on clues: measures are not theirs to chase.
        for pair in scope.pairs(data):
            for name, n in data.counts[pair].items():
                totals[name] += n
                per_unit[pair[1]][name] += n
            items.extend(data.urgent.get(pair, ()))
    clues = 0
    if role == Role.SUPERVISOR:
        receiver = _receiver(user.profile)
        for pair, clue_receiver, item in data.clues:
            if clue_receiver == receiver and receiver and scope.covers(pair, data):
                clues += 1
                items.append(item)
        totals[Level.WARNING.value] += clues
    total = sum(totals.values())
    if not total:
        return None
    summary = "，".join(
        f"{lvl.label}{totals[lvl.value]}项" for lvl in _LEVELS if totals[lvl.value]
    )
    subject = f"巡察整改提醒（{today:%Y-%m-%d}）：{summary}"
    lines = [subject, ""]
    if per_unit:
        ranked = heapq.nsmallest(
            LISTED_UNITS, per_unit.items(),
            key=lambda kv: (-kv[1][Level.OVERDUE.value], -sum(kv[1].values()),
                            data.unit_names.get(kv[0], "")),
        )
        lines.append(f"按单位（{len(per_unit)} 个单位）：")
        for unit_id, counts in ranked[:LISTED_UNITS]:
            parts = "，".join(f"{lvl.label}{counts[lvl.value]}项" for lvl in _LEVELS
                             if counts[lvl.value])
            lines.append(f"  {data.unit_names.get(unit_id, '')}：{parts}")
        if len(per_unit) > LISTED_UNITS:
            lines.append(f"  另有 {len(per_unit) - LISTED_UNITS} 个单位，见逾期看板")
        lines.append("")
    # (due, id) lead each item: the smallest ten without sorting them all.
    urgent = heapq.nsmallest(URGENT_ITEMS, items)
    lines.append(f"最紧急的 {len(urgent)} 项：")
    lines.extend(item.line or _line(item, data, today) for item in urgent)
    if total > URGENT_ITEMS:
        lines.append(f"……共 {total} 项")
    if role != Role.SUPERVISOR:
        lines += ["", f"全部事项见逾期看板：{board_link}"]
    return Digest(subject=subject, body="\n".join(lines), items=total)


def _line(item: _Item, data: _Data, today: datetime.date) -> str:
    current = level(item.due, today)
    days = (item.due - today).days
    when = f"已逾期{-days}天" if days < 0 else f"还剩{days}天"
    return (
        f"[{current.label}] {data.unit_names.get(item.unit_id, '')}｜{item.content}｜"
        f"责任领导 {item.leader or '未填写'}｜完成时限 {item.due}（{when}）"
    )


def send_all(today: datetime.date) -> tuple[int, int]:
    """Send each active user with a role and something due one digest for ``today``.

    Returns (digests sent, users skipped because they already had today's). The (user, day)
    records are written in the same transaction as the notifications, so a second run the
    same day sends nothing.
    """
    users = [
        _User(pk, email, superuser, _Profile(role, committee, group, unit, body or ""))
        for pk, email, superuser, role, committee, group, unit, body in
        get_user_model().objects.filter(is_active=True, profile__isnull=False)
        .order_by("pk").values_list(
            "pk", "email", "is_superuser", "profile__role", "profile__committee_id",
            "profile__group_id", "profile__unit_id", "profile__body",
        )
    ]
    done = set(ReminderDigest.objects.filter(day=today).values_list("user_id", flat=True))
    pending = [u for u in users if u.pk not in done]
    skipped = len(users) - len(pending)
    if not pending:
        return 0, skipped
    with analytic_session():
        data = _load(today)
    memberships: dict[int, set[int]] = defaultdict(set)
    for user_id, group_id in GroupMember.objects.values_list("user_id", "group_id"):
        memberships[user_id].add(group_id)
    board_link = reverse("overdue-board")
    digests = []
    for user in pending:
        scope, role = _scope(user, memberships)
        digest = _digest(user, scope, role, data, today, board_link)
        if digest is not None:
            digests.append((user, digest))
    try:
        with transaction.atomic():
            _insert(digests, today)
            for user, digest in digests:
                if user.email:
                    transaction.on_commit(functools.partial(_email, digest, user.email))
    except IntegrityError:
        # Another run wrote some of today's digests meanwhile: theirs stand; send the rest.
        return _one_by_one(digests, today, skipped)
    return len(digests), skipped


def _insert(digests: list[tuple[_User, Digest]], today: datetime.date) -> None:
    """The (user, day) records and the notifications: building 50,000 model instances for
    bulk_create cost more than the database's work."""
    now = timezone.now()
    link = reverse("todo")
    kind = Notification.Kind.DIGEST.value
    digest_table = connection.ops.quote_name(ReminderDigest._meta.db_table)
    notification_table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        # One statement, many rows: the driver sends them in one go (psycopg's pipeline).
        cursor.executemany(
            f"INSERT INTO {digest_table} (user_id, day, items) VALUES (%s, %s, %s)",  # noqa: S608
            [(u.pk, today, d.items) for u, d in digests],
        )
        cursor.executemany(
            f"INSERT INTO {notification_table} (user_id, kind, created_at, "  # noqa: S608
            "updated_at, subject, body, link, count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(u.pk, kind, now, now, d.subject, d.body, link, 1) for u, d in digests],
        )


def _one_by_one(
    digests: Iterable[tuple[_User, Digest]], today: datetime.date, skipped: int
) -> tuple[int, int]:
    sent = 0
    for user, digest in digests:
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user_id=user.pk, day=today, items=digest.items)
                Notification.objects.create(
                    user_id=user.pk, subject=digest.subject, body=digest.body,
                    link=reverse("todo"),
                )
                if user.email:
                    transaction.on_commit(functools.partial(_email, digest, user.email))
        except IntegrityError:
            skipped += 1
            continue
        sent += 1
    return sent, skipped
