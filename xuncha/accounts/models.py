"""Who a user is in the inspection cycle: a role and the scope it applies to."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xuncha.inspections.models import Committee, InspectionGroup, PartyOrganisation


class Role(models.TextChoices):
    OFFICE = "office", "巡察办"
    GROUP = "group", "巡察组"
    UNIT = "unit", "被巡察单位"
    SUPERVISOR = "supervisor", "纪委监委/组织部"


class Profile(models.Model):
    """A user's role and scope. Users without one see nothing (except superusers: everything)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    #: The committee whose rounds an office or supervisor user works on; None means all.
    committee = models.ForeignKey(
        Committee, verbose_name="巡察主体", null=True, blank=True, on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        InspectionGroup, verbose_name="巡察组", null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        PartyOrganisation, verbose_name="被巡察单位", null=True, blank=True,
        on_delete=models.PROTECT,
    )
    #: For supervisors: which body they belong to ("纪委监委" or "组织部").
    body = models.CharField("所属机关", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="group") | Q(group__isnull=False), name="group_role_has_group"
            ),
            models.CheckConstraint(
                condition=~Q(role="unit") | Q(unit__isnull=False), name="unit_role_has_unit"
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.group or self.committee or "全部"
        return f"{self.user} · {self.get_role_display()} · {scope}"


class ApiToken(models.Model):
    """An API token; only its hash is stored, so the database cannot leak usable tokens."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    #: After this moment the token is refused (settings.TOKEN_DAYS after issue; None: never).
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    #: When the token was revoked (by its owner, the office, a password change); None: valid.
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: models.Model) -> str:
        """Create a token for ``user`` and return the key, which is shown once and not kept."""
        key = secrets.token_urlsafe(32)
        days = settings.TOKEN_DAYS
        expires = timezone.now() + datetime.timedelta(days=days) if days > 0 else None
        cls.objects.create(user=user, key_hash=cls.hash(key), expires_at=expires)
        return key

    @property
    def prefix(self) -> str:
        """A short, harmless label to tell tokens apart in lists (from the hash, not the key)."""
        return self.key_hash[:8]

    def state(self, now: datetime.datetime | None = None) -> str:
        """有效, 已过期 or 已撤销, in words for lists."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "已撤销"
        if self.expires_at is not None and self.expires_at <= now:
            return "已过期"
        return "有效"

    @classmethod
    def usable(cls) -> models.QuerySet[ApiToken]:
        """Tokens neither revoked nor expired."""
        return cls.objects.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )

    @classmethod
    def revoke_all(cls, user: models.Model) -> int:
        """Revoke every token of ``user`` still valid; how many were."""
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
