"""The writes of 整改评估: dismissing a quality flag, setting the evaluation's weights. Each
checks, writes and records the history in one transaction."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.utils import timezone

from xuncha.analysis import quality
from xuncha.analysis.evaluation import COMPONENTS, Weights
from xuncha.assessment.models import EvaluationWeights, FlagDismissal
from xuncha.assessment.queries import problem_quality
from xuncha.inspections.models import Committee, Problem
from xuncha.workflow import history
from xuncha.workflow.models import Action

User = AbstractBaseUser | AnonymousUser
MAX_REASON = 500


class AssessmentError(ValueError):
    """A write refused: ``message`` in Chinese, ``field`` the input at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def dismiss_flag(actor: User, problem: Problem, code: str, reason: str) -> FlagDismissal:
    """The office judges the flag ``code`` of ``problem`` not to apply, saying why.

    Only a flag the problem has now (and not already dismissed) can be dismissed; the
    dismissal holds while the texts it was raised on stay the same.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError("请填写排除理由", "reason")
    if len(reason) > MAX_REASON:
        raise AssessmentError(f"排除理由不能超过 {MAX_REASON} 字", "reason")
    judged = problem_quality(problem)
    flag = next((f for f in judged.live if f.code == code), None)
    if flag is None:
        raise AssessmentError("此问题当前没有这一质量提示（可能已被排除，或文字已修改）", "code")
    user = actor if isinstance(actor, AuthUser) else None
    dismissal = FlagDismissal.objects.create(
        problem=problem, code=code, text_hash=judged.text_hash, reason=reason,
        reason_flag=flag.reason, by=user, by_name=history._name(user),
    )
    history.record(
        actor, Action.QUALITY_FLAG_DISMISSED, problem=problem,
        changes={"quality_flag": (quality.label_of(code), "已排除")},
        comment=f"{quality.label_of(code)}：{flag.reason}。排除理由：{reason}",
    )
    return dismissal


@transaction.atomic
def set_weights(actor: User, committee: Committee | None, weights: Weights) -> EvaluationWeights:
    """The office sets the evaluation's weights for its committee's rounds."""
    row = EvaluationWeights.objects.select_for_update().filter(committee=committee).first()
    old = row.weights() if row is not None else Weights()
    if row is None:
        row = EvaluationWeights(committee=committee)
    for code in COMPONENTS:
        setattr(row, code, getattr(weights, code))
    row.updated_by_name = history._name(actor if isinstance(actor, AuthUser) else None)
    row.updated_at = timezone.now()
    row.save()
    changes = {f"weight_{code}": (getattr(old, code), getattr(weights, code))
               for code in COMPONENTS if getattr(old, code) != getattr(weights, code)}
    history.record(actor, Action.EVALUATION_WEIGHTS_CHANGED, changes=changes,
                   comment=f"整改评估权重（{committee.name if committee else '默认'}）")
    return row
