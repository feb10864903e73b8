"""Turn a round in the database back into a :class:`~xuncha.notices.model.Notice` to publish."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from xuncha.inspections.figures import totals
from xuncha.inspections.models import Inspection, Problem, Round
from xuncha.inspections.publication import public_problems, rectification_of, with_measures
from xuncha.notices.model import Notice, PartialDate, ProblemPair, UnitSection
from xuncha.notices.writers.compose import unit_notice


def round_notice(round_: Round, *, public: bool = False, keep_empty: bool = False) -> Notice:
    """The round-level notice (shape A) of ``round_`` as it stands now.

    Each problem's 整改情况 is ``publication.rectification_of`` (edited, published or drafted).
    ``public`` leaves out the problems marked 不宜公开, and the units left with none (unless
    ``keep_empty``).
    """
    problems = Problem.objects.filter(round=round_)
    if public:
        problems = public_problems(problems)
    inspections = (
        Inspection.objects.filter(round=round_)
        .select_related("unit__region__parent__parent")
        .prefetch_related(
            Prefetch(
                "unit__problems",
                queryset=with_measures(problems).order_by("order"),
                to_attr="round_problems",
            )
        )
        .order_by("order", "id")
    )
    units = [
        UnitSection(
            name=inspection.unit.name,
            region=_county_name(inspection),
            problems=[
                ProblemPair(p.text, rectification_of(p)[0], p.heading or None)
                for p in inspection.unit.round_problems  # type: ignore[attr-defined]
            ],
        )
        for inspection in inspections
    ]
    if public and not keep_empty:
        units = [unit for unit in units if unit.problems]
    month_only = round_.feedback_date_precision == Round.DatePrecision.MONTH
    return Notice(
        shape="A",
        title=round_.title,
        issuer=round_.committee.name,
        term=round_.term or None,
        round=round_.number,
        kinds=[kind.label for kind in round_.kinds.all()],
        inspection_start=_partial(round_.inspection_start),
        inspection_end=_partial(round_.inspection_end),
        feedback_date=_partial(round_.feedback_date, month_only=month_only),
        units=units,
        group_count=round_.groups.count() or None,
        scope_label=round_.scope_label or None,
    )


def unit_notice_of(inspection: Inspection) -> Notice:
    """The inspected unit's own notice of its rectification in the round, its headline
    figures (整改成效) after the opening (shape "C" as our parser reads it)."""
    whole = round_notice(inspection.round)
    section = next(unit for unit in whole.units if unit.name == inspection.unit.name)
    return unit_notice(whole, section, totals(inspection).headline())


def _county_name(inspection: Inspection) -> str | None:
    county = inspection.unit.county
    return county.name if county is not None else None


def _partial(value: datetime.date | None, *, month_only: bool = False) -> PartialDate | None:
    if value is None:
        return None
    return PartialDate(value.year, value.month, None if month_only else value.day)
