"""What 整改评估 keeps: quality flags the office dismissed, and the evaluation's weights."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from xuncha.analysis.evaluation import DEFAULT_WEIGHTS, Weights
from xuncha.inspections.models import Committee, Problem

_W = DEFAULT_WEIGHTS


class FlagDismissal(models.Model):
    """The office judged a quality flag not to apply, with a reason.

    Tied to the flag's code and the fingerprint of the texts it was raised on
    (``xuncha.analysis.quality.raised_on``): when the problem or its rectification text
    changes, the flag comes back. Rows are never deleted; the history records each one.
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="dismissals")
    code = models.CharField("提示类别", max_length=16)
    text_hash = models.CharField("所依据文字的指纹", max_length=64)
    reason = models.TextField("排除理由")
    reason_flag = models.TextField("被排除的提示", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField("排除人", max_length=150)
    at = models.DateTimeField("排除时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "排除的整改质量提示"
        ordering = ["id"]
        indexes = [models.Index(fields=["problem", "code"], name="dismissal_problem_code")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.code}"


class EvaluationWeights(models.Model):
    """The weights of the 整改评估 score for a committee's rounds (one row per committee; a
    row without committee serves an office that is not bound to one)."""

    committee = models.OneToOneField(Committee, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="evaluation_weights")
    completion = models.PositiveSmallIntegerField("整改完成度", default=_W["completion"])
    timeliness = models.PositiveSmallIntegerField("整改时效", default=_W["timeliness"])
    quality = models.PositiveSmallIntegerField("整改质量", default=_W["quality"])
    recurrence = models.PositiveSmallIntegerField("屡查屡犯", default=_W["recurrence"])
    effect = models.PositiveSmallIntegerField("整改成效", default=_W["effect"])
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改评估权重"

    def __str__(self) -> str:
        return f"{self.committee or '默认'} 权重"

    def weights(self) -> Weights:
        return Weights(self.completion, self.timeliness, self.quality, self.recurrence,
                       self.effect)
