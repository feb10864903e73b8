"""整改成效: the figures notices report, totalled per unit and per round.

Each total is SQL aggregates over the rows of its scope, never a loop over reports: the
problem counts in one query, the progress figures in one, the rules in one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from xuncha.inspections.models import (
    ClearanceKind,
    Inspection,
    Problem,
    ProgressFigures,
    ProgressReport,
    RectificationStatus,
    Round,
    RuleMade,
)
from xuncha.notices.model import HeadlineFigures

#: Problems counted as rectified in the headline (已完成整改): signed off, or kept up long term.
COMPLETED = (RectificationStatus.SIGNED_OFF, RectificationStatus.LONG_TERM)


@dataclass(frozen=True)
class Totals:
    """The figures of a round or a unit: counts, and what rectification achieved."""

    problems: int = 0
    completed: int = 0
    rules: int = 0
    disciplined: int = 0
    organisational: int = 0
    recovered: Decimal = Decimal(0)

    @property
    def accountable(self) -> int:
        """追责问责 in all: 党纪政务处分 and 组织处理."""
        return self.disciplined + self.organisational

    @property
    def completion_rate(self) -> int:
        """Percent of problems rectified, rounded to a whole number as notices print it."""
        if not self.problems:
            return 0
        return round(100 * self.completed / self.problems)

    def headline(self) -> HeadlineFigures:
        """The figures as a notice's headline states them."""
        return HeadlineFigures(
            problems=self.problems, completed=self.completed,
            completion_rate=float(self.completion_rate), rules=self.rules,
            accountable=self.accountable, recovered=float(self.recovered),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "problems": self.problems, "completed": self.completed,
            "completion_rate": self.completion_rate, "rules": self.rules,
            "accountable": self.accountable, "disciplined": self.disciplined,
            "organisational": self.organisational, "recovered": str(self.recovered),
        }


def totals(scope: Round | Inspection, *, problems: QuerySet[Problem] | None = None) -> Totals:
    """The figures of a round, or of one inspected unit in its round.

    ``problems`` narrows the problems counted (e.g. leaving out those withheld from a public
    notice); the ledger and the pages pass nothing.
    """
    chosen = problems if problems is not None else Problem.objects.all()
    if isinstance(scope, Round):
        chosen = chosen.filter(round=scope)
    else:
        chosen = chosen.filter(round_id=scope.round_id, unit_id=scope.unit_id)
    counts = chosen.aggregate(
        problems=Count("id"), completed=Count("id", filter=Q(status__in=COMPLETED))
    )
    sums = ProgressFigures.objects.filter(report__measure__problem__in=chosen).aggregate(
        disciplined=Sum("disciplined"), organisational=Sum("organisational"),
        recovered=Sum("recovered"),
    )
    rules = RuleMade.objects.filter(report__measure__problem__in=chosen).count()
    return Totals(
        problems=counts["problems"], completed=counts["completed"], rules=rules,
        disciplined=sums["disciplined"] or 0, organisational=sums["organisational"] or 0,
        recovered=Decimal(sums["recovered"] or 0).quantize(Decimal("0.01")),
    )


class FigureError(ValueError):
    """A figure that cannot be recorded: ``message`` in Chinese and the ``field`` at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ReportedFigures:
    """The 整改成效 a progress report states, checked (see ``read_figures``)."""

    disciplined: int = 0
    organisational: int = 0
    recovered: Decimal = Decimal(0)
    clearance_kind: str = ""
    cleared: Decimal = Decimal(0)
    #: (制度名称, 印发日期 or None) per rule made or revised.
    rules: tuple[tuple[str, datetime.date | None], ...] = ()

    def any(self) -> bool:
        return bool(self.disciplined or self.organisational or self.recovered or self.cleared
                    or self.rules)

    def changes(self) -> dict[str, tuple[object, object]]:
        """The figures as history records them (only those stated)."""
        stated: dict[str, tuple[object, object]] = {}
        for name in ("disciplined", "organisational"):
            if getattr(self, name):
                stated[name] = (None, getattr(self, name))
        if self.recovered:
            stated["recovered"] = (None, str(self.recovered))
        if self.cleared:
            stated["cleared"] = (None, f"{self.clearance_kind}:{self.cleared}")
        if self.rules:
            stated["rules"] = (None, "；".join(
                name + (f"（{day.isoformat()}）" if day else "") for name, day in self.rules))
        return stated


_MAX_AMOUNT = Decimal("999999999999.99")
_MAX_PEOPLE = 100000
_MAX_RULES = 50


def read_figures(data: Mapping[str, Any] | None) -> ReportedFigures:
    """Check the figures sent with a progress report (form or API) and type them.

    Keys: disciplined, organisational (人), recovered (万元), clearance_kind and cleared,
    rules (a list of {"name", "adopted_on"}). Raises FigureError naming the field.
    """
    if not data:
        return ReportedFigures()
    kind = str(data.get("clearance_kind") or "")
    if kind and kind not in ClearanceKind.values:
        raise FigureError(f"清退类别“{kind}”不在可选范围内", "clearance_kind")
    cleared = _amount(data.get("cleared"), "cleared", "清退数量")
    if cleared and not kind:
        raise FigureError("填写了清退数量，请选择清退类别", "clearance_kind")
    rules = tuple(_rule(item, index) for index, item in enumerate(data.get("rules") or (), 1))
    if len(rules) > _MAX_RULES:
        raise FigureError(f"一次最多登记 {_MAX_RULES} 项制度", "rules")
    return ReportedFigures(
        disciplined=_people(data.get("disciplined"), "disciplined", "党纪政务处分人数"),
        organisational=_people(data.get("organisational"), "organisational", "组织处理人数"),
        recovered=_amount(data.get("recovered"), "recovered", "追缴/挽回资金"),
        clearance_kind=kind if cleared else "", cleared=cleared, rules=rules,
    )


def store_figures(report: ProgressReport, figures: ReportedFigures) -> None:
    """Write the figures of a report just created (inside its transaction)."""
    if not figures.any():
        return
    ProgressFigures.objects.create(
        report=report, disciplined=figures.disciplined, organisational=figures.organisational,
        recovered=figures.recovered, clearance_kind=figures.clearance_kind,
        cleared=figures.cleared,
    )
    RuleMade.objects.bulk_create(
        RuleMade(report=report, name=name, adopted_on=day) for name, day in figures.rules
    )


def _people(value: Any, field: str, label: str) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FigureError(f"{label}“{value}”不是整数", field) from None
    if not 0 <= number <= _MAX_PEOPLE:
        raise FigureError(f"{label}须在 0 到 {_MAX_PEOPLE} 之间", field)
    return number


def _amount(value: Any, field: str, label: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise FigureError(f"{label}“{value}”不是数字（单位：万元，如 12.5）", field) from None
    if not number.is_finite() or number < 0 or number > _MAX_AMOUNT:
        raise FigureError(f"{label}须是不小于 0 的数字", field)
    if number != number.quantize(Decimal("0.01")):
        raise FigureError(f"{label}最多保留两位小数", field)
    return number.quantize(Decimal("0.01"))


def _rule(item: Any, index: int) -> tuple[str, datetime.date | None]:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping):
        raise FigureError(f"第{index}项制度格式不对（应为名称和印发日期）", "rules")
    name = str(item.get("name") or "").strip()
    if not name:
        raise FigureError(f"第{index}项制度缺少名称", "rules")
    if len(name) > 200:
        raise FigureError(f"第{index}项制度名称不能超过 200 字", "rules")
    day = item.get("adopted_on")
    if day in (None, ""):
        return name, None
    if isinstance(day, datetime.date):
        return name, day
    try:
        return name, datetime.date.fromisoformat(str(day).strip())
    except ValueError:
        raise FigureError(
            f"第{index}项制度的印发日期“{day}”不是有效日期（格式：2024-03-31）", "rules"
        ) from None
