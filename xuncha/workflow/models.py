"""What the rectification cycle records beyond the domain rows: history, evidence, clues,
notifications."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from xuncha.inspections.models import Measure, Problem, ProgressReport, Round
from xuncha.workflow.auditkeys import canonical


class Action(models.TextChoices):
    PROBLEM_CREATED = "problem_created", "录入问题"
    PROBLEM_EDITED = "problem_edited", "修改问题"
    MEASURE_ADDED = "measure_added", "新增整改措施"
    MEASURE_EDITED = "measure_edited", "修改整改措施"
    PLAN_SUBMITTED = "plan_submitted", "报送整改方案"
    PLAN_APPROVED = "plan_approved", "批准整改方案"
    PLAN_RETURNED = "plan_returned", "退回整改方案"
    PROGRESS_REPORTED = "progress_reported", "报告整改进展"
    EVIDENCE_ADDED = "evidence_added", "上传佐证材料"
    SIGN_OFF_REQUESTED = "sign_off_requested", "申请销号"
    SIGNED_OFF = "signed_off", "销号"
    REVIEW_RETURNED = "review_returned", "退回整改"
    DEADLINES_CHANGED = "deadlines_changed", "调整时限"
    CLUE_HANDED_OVER = "clue_handed_over", "移交问题线索"
    CLUE_OUTCOME = "clue_outcome", "反馈线索办理结果"


class Event(models.Model):
    """One change of consequence: who, when, what changed (old → new).

    Every entry carries the hash of the one before it and is signed (HMAC-SHA256) with an audit
    key kept outside the database, so removing, editing or adding an entry — a sign-off decision
    above all — without the key breaks the chain where `xuncha audit verify` will find it.
    """

    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
        related_name="+",
    )
    #: Kept apart from the user row, so the record stays readable if the account is renamed.
    actor_name = models.CharField("操作人姓名", max_length=150)
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    round = models.ForeignKey(Round, null=True, on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        Problem, null=True, on_delete=models.PROTECT, related_name="events"
    )
    measure = models.ForeignKey(
        Measure, null=True, on_delete=models.PROTECT, related_name="events"
    )
    #: {"field": [old, new], …} with JSON-safe values.
    changes = models.JSONField("变更内容", default=dict)
    comment = models.TextField("说明", blank=True)
    prev_hash = models.CharField(max_length=64)
    #: The entry's HMAC under key ``key_id``; for entries written before keys (``key_id`` empty)
    #: a bare SHA-256, which the first signed entry after them pins.
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField("密钥编号", max_length=16, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["problem", "id"], name="event_problem")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def _content(self) -> dict[str, Any]:
        return {
            "prev": self.prev_hash,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "round": self.round_id,
            "problem": self.problem_id,
            "measure": self.measure_id,
            "changes": self.changes,
            "comment": self.comment,
        }

    def signed_payload(self) -> bytes:
        """What the key signs: the entry's content, its link and the key's id."""
        return canonical({**self._content(), "key": self.key_id})

    def unkeyed_hash(self) -> str:
        """The hash entries had before the history was keyed (kept so old entries verify)."""
        return hashlib.sha256(canonical(self._content())).hexdigest()


class ChainHead(models.Model):
    """The chain's length and newest hash, signed, in a row of its own (there is one).

    Every append updates it, so deleting the newest entries shows as a head that counts more
    than the table holds. `xuncha audit anchor` copies it out for an office to archive: a head
    rolled back together with the entries is caught by an anchor kept elsewhere.
    """

    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    #: Entries from before the history was keyed; fixed when the upgrade sealed them.
    unkeyed = models.PositiveBigIntegerField(default=0)
    #: Set when an append found entries but no head: the head was deleted, which only an
    #: archived anchor can tell more about.
    rebuilt_at = models.PositiveBigIntegerField(null=True, blank=True)
    key_id = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录链头"

    def __str__(self) -> str:
        return f"{self.count} · {self.last_hash[:12]}"

    def signed_payload(self) -> bytes:
        return head_payload(self.count, self.last_hash, self.unkeyed, self.rebuilt_at, self.key_id)


def head_payload(
    count: int, last_hash: str, unkeyed: int, rebuilt_at: int | None, key_id: str
) -> bytes:
    """What the key signs for the head (a function, so the upgrade migration signs the same)."""
    return canonical(
        {"count": count, "last": last_hash, "unkeyed": unkeyed, "rebuilt_at": rebuilt_at,
         "key": key_id}
    )


class Evidence(models.Model):
    """A 佐证材料 file, stored under the data directory (outside any web root)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="evidence")
    progress = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    original_name = models.CharField("文件名", max_length=255)
    #: Path relative to the evidence directory; named by content hash, never by the user.
    stored_as = models.CharField(max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ClueHandover(models.Model):
    """A problem clue handed over (移交) to 纪委监委 or 组织部, and what the receiver did."""

    class Receiver(models.TextChoices):
        DISCIPLINE = "discipline", "纪委监委"
        ORGANISATION = "organisation", "组织部"

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="handovers")
    receiver = models.CharField("接收单位", max_length=16, choices=Receiver.choices)
    handed_over_on = models.DateField("移交日期")
    follow_up_due = models.DateField("反馈办理结果时限")
    note = models.TextField("移交说明", blank=True)
    outcome = models.TextField("办理结果", blank=True)
    outcome_on = models.DateField("反馈日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题线索移交"
        ordering = ["handed_over_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_receiver_display()} · {self.problem}"


class Notification(models.Model):
    """An in-app message (the reminder digest lands here as well as in email)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


class ReminderDigest(models.Model):
    """That a user got their digest for a day: what makes `xuncha remind` safe to rerun."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"


def today() -> datetime.date:
    return timezone.localdate()
