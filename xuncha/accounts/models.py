"""Who a user is in the inspection cycle: a role and the scope it applies to."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

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
        cls.objects.create(user=user, key_hash=cls.hash(key))
        return key
