"""The queries behind quality flags (with dismissals) and 整改评估: a handful of queries per
round, whatever its size; the scoring itself is pure (``xuncha.analysis.evaluation``)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from xuncha.analysis import quality
from xuncha.analysis.evaluation import RoundFigures, UnitFacts, Weights
from xuncha.assessment.models import EvaluationWeights, FlagDismissal
from xuncha.inspections.figures import COMPLETED
from xuncha.inspections.models import (
    Committee,
    Inspection,
    Measure,
    Problem,
    ProgressFigures,
    Round,
    RuleMade,
)
from xuncha.workflow.deadlines import CLOSED, late_plans
from xuncha.workflow.models import Action, Event

# --- quality flags and their dismissals ------------------------------------------------------


@dataclass(frozen=True)
class Dismissed:
    flag: quality.Flag
    dismissal: FlagDismissal


@dataclass(frozen=True)
class ProblemQuality:
    """A problem's flags as they stand: those that count, and those the office dismissed."""

    live: list[quality.Flag]
    dismissed: list[Dismissed]
    text_hash: str


def _texts(problems: QuerySet[Problem]) -> dict[int, tuple[str, str, str, int]]:
    """problem id -> (problem text, the rectification text the flags read, status, unit id):
    two queries."""
    rows = {pk: (text, published, status, unit_id) for pk, text, published, status, unit_id in
            problems.order_by().values_list("pk", "text", "published_rectification", "status",
                                            "unit_id")}
    drafted: dict[int, list[str]] = defaultdict(list)
    for problem_id, content in (Measure.objects.filter(problem_id__in=list(rows))
                                .order_by("problem_id", "order", "id")
                                .values_list("problem_id", "content")):
        drafted[problem_id].append(content)
    return {pk: (text, quality.rectification_of(published, drafted[pk]), status, unit_id)
            for pk, (text, published, status, unit_id) in rows.items()}


def _judge(text: str, rectification: str, status: str,
           dismissals: Iterable[FlagDismissal]) -> ProblemQuality:
    fingerprint = quality.raised_on(text, rectification)
    standing = {d.code: d for d in dismissals if d.text_hash == fingerprint}
    live, dismissed = [], []
    for flag in quality.flags(text, rectification, status):
        if flag.code in standing:
            dismissed.append(Dismissed(flag, standing[flag.code]))
        else:
            live.append(flag)
    return ProblemQuality(live, dismissed, fingerprint)


def problem_quality(problem: Problem) -> ProblemQuality:
    """The flags of one problem, its dismissals applied: one query for the dismissals, and
    one for the measures unless they were prefetched."""
    rectification = quality.rectification_of(
        problem.published_rectification, [m.content for m in problem.measures.all()])
    return _judge(problem.text, rectification, problem.status, problem.dismissals.all())


def qualities(problems: QuerySet[Problem]) -> dict[int, ProblemQuality]:
    """Every problem's flags, dismissals applied: three queries for any number of problems."""
    return {pk: judged for pk, (_unit, judged) in _qualities(problems).items()}


def _qualities(problems: QuerySet[Problem]) -> dict[int, tuple[int, ProblemQuality]]:
    texts = _texts(problems)
    dismissals: dict[int, list[FlagDismissal]] = defaultdict(list)
    for item in FlagDismissal.objects.filter(problem_id__in=list(texts)).order_by("id"):
        dismissals[item.problem_id].append(item)
    return {pk: (unit, _judge(text, rect, status, dismissals[pk]))
            for pk, (text, rect, status, unit) in texts.items()}


def flag_counts(problems: QuerySet[Problem]) -> dict[int, int]:
    """unit id -> the number of quality flags that count (not dismissed): three queries."""
    counts: Counter[int] = Counter()
    for unit, judged in _qualities(problems).values():
        counts[unit] += len(judged.live)
    return dict(counts)


def flag_summaries(problems: QuerySet[Problem]) -> dict[int, str]:
    """problem id -> its flags that count, as one line for a ledger cell ("" when none)."""
    return {pk: "；".join(f"{quality.label_of(f.code)}：{f.reason}" for f in judged.live)
            for pk, judged in qualities(problems).items()}


# --- 屡查屡犯 ----------------------------------------------------------------------------------


def recurrence_counts(round_: Round) -> dict[int, int]:
    """unit id -> the round's 屡查屡犯 problems (linked to a similar problem of an earlier
    round): the one place the evaluation gets recurrence from (``xuncha.similar``)."""
    from xuncha.similar.queries import recurrence_counts as counted

    return counted(round_)


# --- 整改评估 ----------------------------------------------------------------------------------


def weights_for(committee: Committee | None) -> Weights:
    """The weights the office set for the committee's rounds, else the defaults."""
    rows = EvaluationWeights.objects.filter(committee=committee)
    row = rows.first() if committee is not None else None
    row = row or EvaluationWeights.objects.filter(committee__isnull=True).first()
    return row.weights() if row is not None else Weights()


def unit_facts(round_: Round, today: datetime.date,
               recurrences: dict[int, int] | None = None) -> list[UnitFacts]:
    """What the evaluation reads, for every unit the round inspected (a fixed number of
    queries: the statuses, measures, overdue and late counts, flags and 整改成效 each in one
    or two)."""
    units = list(Inspection.objects.filter(round=round_).order_by("order", "unit__name")
                 .values_list("unit_id", "unit__name"))
    problems = Problem.objects.filter(round=round_)
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, status, n in (problems.order_by().values("unit_id", "status")
                               .annotate(n=Count("id")).values_list("unit_id", "status", "n")):
        statuses[unit_id][status] = n
    measures = Measure.objects.filter(problem__round=round_)
    today_q = Q(due_date__lt=today) & ~Q(status__in=[*CLOSED, "long_term"])
    per_measure = {
        row["problem__unit_id"]: row for row in measures.order_by().values("problem__unit_id")
        .annotate(n=Count("id"), overdue=Count("id", filter=today_q))
    }
    late = dict(late_plans(problems, today).order_by().values("unit_id")
                .annotate(n=Count("id")).values_list("unit_id", "n"))
    signed_late = dict(
        Event.objects.filter(action=Action.SIGNED_OFF, measure__problem__round=round_,
                             measure__due_date__isnull=False,
                             at__date__gt=F("measure__due_date"))
        .order_by().values("measure__problem__unit_id")
        .annotate(n=Count("measure_id", distinct=True))
        .values_list("measure__problem__unit_id", "n"))
    flags = flag_counts(problems)
    sums = {row["report__measure__problem__unit_id"]: row for row in
            ProgressFigures.objects.filter(report__measure__problem__round=round_).order_by()
            .values("report__measure__problem__unit_id")
            .annotate(d=Sum("disciplined"), o=Sum("organisational"), r=Sum("recovered"))}
    rules = dict(RuleMade.objects.filter(report__measure__problem__round=round_).order_by()
                 .values("report__measure__problem__unit_id").annotate(n=Count("id"))
                 .values_list("report__measure__problem__unit_id", "n"))
    facts = []
    for unit_id, name in units:
        figures = sums.get(unit_id, {})
        facts.append(UnitFacts(
            unit_id=unit_id, unit=name, statuses=statuses.get(unit_id, {}),
            measures=per_measure.get(unit_id, {}).get("n", 0),
            overdue=per_measure.get(unit_id, {}).get("overdue", 0),
            late_plans=late.get(unit_id, 0), signed_late=signed_late.get(unit_id, 0),
            flags=flags.get(unit_id, 0),
            recurrences=None if recurrences is None else recurrences.get(unit_id, 0),
            rules=rules.get(unit_id, 0),
            accountable=(figures.get("d") or 0) + (figures.get("o") or 0),
            recovered=float(figures.get("r") or 0),
        ))
    return facts


# --- benchmarks --------------------------------------------------------------------------------


def round_figures(rounds: QuerySet[Round], *, notices: bool = True) -> list[RoundFigures]:
    """Each round's benchmark figures: counted from its problems where it has them, else as its
    imported notice states them (a figures-only notice). Five queries for any number of
    rounds. ``notices=False`` counts the records only (the round being evaluated: what the
    system tracks now, not what a notice once said)."""
    chosen = list(rounds.select_related("committee").order_by("-inspection_start", "pk"))
    ids = [r.pk for r in chosen]
    counts = {row["round_id"]: row for row in Problem.objects.filter(round_id__in=ids)
              .order_by().values("round_id")
              .annotate(n=Count("id"), done=Count("id", filter=Q(status__in=COMPLETED)),
                        tracked=Count("id", filter=Q(source__isnull=True)))}
    units = dict(Inspection.objects.filter(round_id__in=ids).order_by().values("round_id")
                 .annotate(n=Count("id")).values_list("round_id", "n"))
    rules = dict(RuleMade.objects.filter(report__measure__problem__round_id__in=ids).order_by()
                 .values("report__measure__problem__round_id").annotate(n=Count("id"))
                 .values_list("report__measure__problem__round_id", "n"))
    categories: dict[int, dict[str, int]] = defaultdict(dict)
    for round_id, name, n in (Problem.objects.filter(round_id__in=ids, category__isnull=False)
                              .order_by().values("round_id", "category__name")
                              .annotate(n=Count("id"))
                              .values_list("round_id", "category__name", "n")):
        categories[round_id][name] = n
    stated: dict[int, dict[str, object]] = {}
    for round_id, figures in (Round.objects.filter(pk__in=ids).order_by()
                              .values_list("pk", "documents__figures")):
        if notices and isinstance(figures, dict) and figures:
            stated.setdefault(round_id, figures)
    return [_figures(r, counts.get(r.pk), units.get(r.pk), rules.get(r.pk),
                     categories.get(r.pk, {}), stated.get(r.pk, {}), tracked=not notices)
            for r in chosen]


def _figures(round_: Round, counted: dict | None, units: int | None, rules: int | None,
             categories: dict[str, int], stated: dict[str, object], *,
             tracked: bool = False) -> RoundFigures:
    """A notice's own figures win for what the rows of an imported round cannot say (its
    problems are stored 未启动; the notice states how many were rectified and the rules
    made); the records count the rest, and everything for a round run in the system."""
    name, committee = round_.display_name, round_.committee.name
    problems = counted["n"] if counted else 0
    # Problems read from a notice are stored 未启动 whatever the notice says of them: their
    # statuses tell nothing unless the round was (also) run in the system.
    tracked = tracked or bool(counted and (counted["tracked"] or counted["done"]))
    done = counted["done"] if counted and tracked else None
    return RoundFigures(
        round_.pk, name, committee, units or None,
        problems or _int(stated.get("problems")) or 0,
        _int(stated.get("completed")) if "completed" in stated else done,
        _int(stated.get("rules")) if "rules" in stated else ((rules or 0) if tracked else None),
        categories)


def _int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(float(str(value)))
    except ValueError:
        return None
