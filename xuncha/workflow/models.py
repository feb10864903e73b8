"""What the rectification cycle records beyond the domain rows: history, evidence, clues,
notifications."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from xuncha.inspections.models import Measure, Problem, ProgressReport, Round


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
    # --- setting up a round (xuncha.workflow.rounds) ---
    ROUND_CREATED = "round_created", "新建轮次"
    ROUND_EDITED = "round_edited", "修改轮次"
    GROUP_ADDED = "group_added", "新增巡察组"
    GROUP_EDITED = "group_edited", "修改巡察组"
    INSPECTION_ADDED = "inspection_added", "添加被巡察单位"
    INSPECTION_EDITED = "inspection_edited", "修改被巡察单位时限"
    UNIT_REGISTERED = "unit_registered", "单位名录新增单位"
    UNIT_RENAMED = "unit_renamed", "单位更名"
    UNITS_MERGED = "units_merged", "合并单位"
    REGION_ADDED = "region_added", "新增行政区划"
    REGION_RENAMED = "region_renamed", "行政区划更名"
    REGIONS_MERGED = "regions_merged", "合并行政区划"


class Event(models.Model):
    """One change of consequence: who, when, what changed (old → new).

    Every entry carries the hash of the one before it, so removing or editing an entry —
    a sign-off decision above all — breaks the chain where `xuncha audit verify` will find it.
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
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["problem", "id"], name="event_problem")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def compute_hash(self) -> str:
        payload: dict[str, Any] = {
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
        canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


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
