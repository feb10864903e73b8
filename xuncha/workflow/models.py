"""What the rectification cycle records beyond the domain rows: history, evidence, clues,
notifications."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from xuncha.inspections.models import Measure, PartyOrganisation, Problem, ProgressReport, Round
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
    # Users (the office manages accounts; everyone changes their own password).
    USER_CREATED = "user_created", "新建用户"
    USER_DEACTIVATED = "user_deactivated", "停用用户"
    USER_REACTIVATED = "user_reactivated", "启用用户"
    USER_ROLE_CHANGED = "user_role_changed", "修改用户角色与范围"
    USER_EDITED = "user_edited", "修改用户信息"
    PASSWORD_RESET = "password_reset", "重置密码"
    USER_UNLOCKED = "user_unlocked", "解除登录锁定"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    EVIDENCE_SUPERSEDED = "evidence_superseded", "替换佐证材料"
    EVIDENCE_WITHDRAWN = "evidence_withdrawn", "撤回佐证材料"
    LONG_TERM_REQUESTED = "long_term_requested", "申请长期坚持"
    LONG_TERM_CONFIRMED = "long_term_confirmed", "确认长期坚持"
    LONG_TERM_RETURNED = "long_term_returned", "退回长期坚持申请"
    SUPERVISED = "supervised", "督办"
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
    # --- publishing (xuncha.inspections.publication) ---
    RECTIFICATION_EDITED = "rectification_edited", "编辑通报整改情况"
    DISCLOSURE_CHANGED = "disclosure_changed", "调整是否公开"
    NOTICE_PUBLISHED = "notice_published", "发布通报"
    # --- 整改评估 (xuncha.assessment) ---
    QUALITY_FLAG_DISMISSED = "quality_flag_dismissed", "排除整改质量提示"
    EVALUATION_WEIGHTS_CHANGED = "evaluation_weights_changed", "调整整改评估权重"


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
    #: The newer file that replaced this one; both are kept, only the newer one counts.
    superseded_by = models.ForeignKey(
        "self", verbose_name="替换为", null=True, blank=True, on_delete=models.PROTECT,
        related_name="supersedes",
    )
    #: Withdrawn by the unit before review: the file stays stored but no longer counts.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        """Counts as evidence: neither replaced by a newer file nor withdrawn."""
        return self.superseded_by_id is None and self.withdrawn_at is None

    @property
    def state(self) -> str:
        """``current``, ``superseded`` or ``withdrawn`` (the API's codes)."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "current" if self.superseded_by_id is None else "superseded"


#: Evidence that still counts (for a sign-off request): neither superseded nor withdrawn.
CURRENT_EVIDENCE = models.Q(superseded_by__isnull=True, withdrawn_at__isnull=True)


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
    """An in-app message: the daily reminder digest, or news of an event someone must act on.

    Events of one kind about one unit are grouped (``xuncha.workflow.notify``): while the
    recipient has not read the message, the next one is added to it (``count`` and ``body``
    grow) instead of becoming another message.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", "到期提醒"
        PLAN_SUBMITTED = "plan_submitted", "整改方案待审核"
        PLAN_RETURNED = "plan_returned", "整改方案被退回"
        SIGN_OFF_REQUESTED = "sign_off_requested", "申请销号待验收"
        SIGNED_OFF = "signed_off", "已销号"
        REVIEW_RETURNED = "review_returned", "整改被退回"
        SUPERVISED = "supervised", "督办"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices, default=Kind.DIGEST)
    unit = models.ForeignKey(
        PartyOrganisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When the last grouped event was added; the list is ordered by it.
    updated_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    #: Where the item is: a problem page, or the unit page when several are grouped.
    link = models.CharField("链接", max_length=300, blank=True)
    #: How many events this message stands for.
    count = models.PositiveIntegerField("事项数", default=1)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-updated_at", "-id"]
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
