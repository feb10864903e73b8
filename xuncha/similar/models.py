"""What similarity needs stored: the LSH band keys of each problem's text, the office's
threshold, and the 共性问题 整改要求 raised from a group.

``BandKey`` repeats the problem's round and its place (the unit's region, or the negated unit
id for a unit without one) so both lookups are one index range: a round's keys for 共性
groups, a key within a place for 屡查屡犯 (``xuncha.similar.queries``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from xuncha.analysis.similarity import DEFAULT_THRESHOLD
from xuncha.inspections.models import Problem, Round


class BandKey(models.Model):
    """One LSH band of a problem text's MinHash signature (``xuncha.analysis.similarity``)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    round_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    #: The unit's region id; -unit id for a unit without a region (matches only itself).
    place = models.BigIntegerField()
    key = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "相似索引"
        indexes = [
            models.Index(fields=["round_id"], name="bandkey_round"),
            models.Index(fields=["key", "place"], name="bandkey_key_place"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}:{self.key}"


class SimilaritySettings(models.Model):
    """The office's tuning, one row (pk 1): when two problem texts count as similar."""

    threshold = models.DecimalField(
        "相似度阈值", max_digits=3, decimal_places=2,
        default=Decimal(str(DEFAULT_THRESHOLD)),
        validators=[MinValueValidator(Decimal("0.20")), MaxValueValidator(Decimal("1.00"))],
        help_text="两段问题文字共有的字词（相邻两字）占两者全部字词的比例，达到此值即视为相似。",
    )
    #: A 共性 group is shown when its problems come from at least this many units.
    min_units = models.PositiveSmallIntegerField(
        "共性问题最少单位数", default=2,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="修改人",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "相似度设置"

    def __str__(self) -> str:
        return f"阈值 {self.threshold}"

    @classmethod
    def current(cls) -> SimilaritySettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)


class CommonRequirement(models.Model):
    """A 共性问题 整改要求 (举一反三) the office raised from a group to all units of a round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="common_requirements",
        verbose_name="巡察轮次",
    )
    text = models.TextField("整改要求")
    #: The group it was raised from: its problem ids and matched words, as shown then.
    source_problems = models.JSONField("来源问题", default=list)
    terms = models.JSONField("相同字词", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name="提出人",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "共性问题整改要求"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class CommonRequirementItem(models.Model):
    """The problem a unit answers for a 共性 requirement, through the normal workflow."""

    requirement = models.ForeignKey(
        CommonRequirement, on_delete=models.CASCADE, related_name="items"
    )
    problem = models.OneToOneField(
        Problem, on_delete=models.CASCADE, related_name="common_requirement_item"
    )

    class Meta:
        verbose_name = verbose_name_plural = "共性问题整改事项"

    def __str__(self) -> str:
        return f"{self.requirement_id} → {self.problem_id}"
