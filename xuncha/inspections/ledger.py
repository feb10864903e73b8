"""The 整改台账 from and into the database: a thin shell around :mod:`xuncha.ledgers`.

Export builds a :class:`~xuncha.ledgers.model.Ledger` from a round's rows. Import stores a parsed
ledger into a round in ONE transaction, matching problems by (unit, text in compare form) and
measures by content, so importing the same ledger twice changes nothing the second time; each
changed cell updates its row with history. Only the columns the sheet has are compared: a
ledger without a 责任部门 column leaves departments alone.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils import timezone

from xuncha import access
from xuncha.inspections.models import (
    Inspection,
    Measure,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    ProgressReport,
    RectificationStatus,
    Round,
)
from xuncha.ledgers import model as lm
from xuncha.ledgers.read import ReadResult
from xuncha.ledgers.write import Levels, write_ledger
from xuncha.notices.normalize import compare_form
from xuncha.search.bulk import index_problems
from xuncha.workflow.deadlines import level
from xuncha.workflow.history import record_many
from xuncha.workflow.models import Action, Event, today
from xuncha.workflow.transitions import problem_status

User = AbstractBaseUser | AnonymousUser
S = RectificationStatus

#: Statuses only the review workflow may set (销号, 退回, a confirmed 长期坚持): an import brings
#: them in as the nearest status a unit may report (a request to review), and says so.
_REVIEW_ONLY = {
    S.SIGNED_OFF: S.PENDING_REVIEW,
    S.RETURNED: S.IN_PROGRESS,
    S.LONG_TERM: S.LONG_TERM_REVIEW,
}
_SHORT = 24


# --- export ---------------------------------------------------------------------------------


def round_ledger(round_: Round, unit: PartyOrganisation | None = None) -> lm.Ledger:
    """The round's problems and measures (of one unit, if given) as a ledger."""
    problems = (Problem.objects.filter(round=round_)
                .select_related("unit", "category")
                .prefetch_related(Prefetch("measures", queryset=Measure.objects.prefetch_related(
                    "progress", "evidence"))))
    if unit is not None:
        problems = problems.filter(unit=unit)
    order = {i.unit_id: (i.order, i.group.name if i.group else "") for i in
             Inspection.objects.filter(round=round_).select_related("group")}
    signed = dict(Event.objects.filter(action=Action.SIGNED_OFF, measure__problem__round=round_)
                  .values("measure_id").annotate(last=Max("at")).values_list("measure_id", "last"))
    ledger = lm.Ledger(f"{round_.display_name}反馈问题整改台账")
    rows = sorted(problems, key=lambda p: (order.get(p.unit_id, (9999, ""))[0], p.unit.name,
                                           p.order))
    for problem in rows:
        measures = [_ledger_measure(m, signed.get(m.pk)) for m in problem.measures.all()]
        ledger.unit(problem.unit.name).problems.append(lm.Problem(
            problem.text, number=str(problem.order), group=order.get(problem.unit_id, (0, ""))[1],
            category=problem.category.name if problem.category else "",
            immediate=problem.immediate, measures=measures))
    return ledger


def _ledger_measure(measure: Measure, signed_at: datetime.datetime | None) -> lm.Measure:
    progress = list(measure.progress.all())
    return lm.Measure(
        measure.content, leader=measure.leader, department=measure.department,
        deadline=lm.Deadline.on(measure.due_date) if measure.due_date else None,
        standard=measure.standard, progress=progress[-1].text if progress else "",
        status=measure.status, status_text=measure.get_status_display(),
        signed_off_on=signed_at.date() if signed_at else None,
        evidence="；".join(
            e.original_name for e in measure.evidence.all() if e.state == "current"))


def deadline_levels(on: datetime.date) -> Levels:
    """The warning level of a measure's deadline on `on`; finished measures have none."""
    finished = {S.SIGNED_OFF, S.LONG_TERM, S.PENDING_REVIEW, S.LONG_TERM_REVIEW}

    def levels(measure: lm.Measure) -> str:
        if measure.status in finished or measure.deadline is None:
            return ""
        return level(measure.deadline.date, on).value

    return levels


def export_round(round_: Round, unit: PartyOrganisation | None = None,
                 *, lists: bool = True) -> bytes:
    """The round's (or one unit's) ledger workbook, coloured by today's deadline levels."""
    return write_ledger(round_ledger(round_, unit), levels=deadline_levels(today()), lists=lists)


# --- import ---------------------------------------------------------------------------------


@dataclass
class LedgerImport:
    """What an import did (or, in a dry run, would do), item by item, in Chinese."""

    round: Round
    filename: str
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    findings: list[lm.Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        """One line, as `xuncha ledger import` prints it last."""
        verb = "将" if self.dry_run else "已"
        name = f"{self.filename}：" if self.filename else ""
        if not self.changed:
            return (f"{name}与数据库一致，{'不会' if self.dry_run else '未'}作任何更改"
                    f"（{self.round}，{len(self.unchanged)}项不变）")
        return (f"{name}{self.round}，{verb}新建{len(self.created)}项，"
                f"{verb}更新{len(self.updated)}项，{len(self.unchanged)}项不变"
                + ("（试运行，未写入）" if self.dry_run else ""))


def import_ledger(actor: User | None, round_: Round, result: ReadResult, *, filename: str = "",
                  dry_run: bool = False) -> LedgerImport:
    """Store a parsed ledger into `round_` in one transaction (rolled back for a dry run).

    `actor` None is the console (trusted); a user must be the inspection office.
    """
    if actor is not None and not access.can_manage_round(actor):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    report = LedgerImport(round_, filename, dry_run, findings=list(result.findings))
    with transaction.atomic(durable=True):
        _Importer(actor, round_, result, report).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


def guess_round(ledger: lm.Ledger) -> Round | None:
    """The one round whose inspected units include every unit of the ledger, if exactly one."""
    names = {compare_form(u.name) for u in ledger.units}
    found = []
    for round_ in Round.objects.select_related("committee"):
        units = [compare_form(i.unit.name) for i in round_.inspections.select_related("unit")]
        if all(_match_name(name, units) is not None for name in names):
            found.append(round_)
    return found[0] if len(found) == 1 else None


def _match_name(name: str, candidates: list[str]) -> str | None:
    """`name` among `candidates` exactly, else the one candidate containing it (东城镇 →
    木垒县东城镇党委) or contained in it."""
    if name in candidates:
        return name
    near = [c for c in candidates if name and (name in c or c in name)]
    return near[0] if len(near) == 1 else None


class _Importer:
    """One import. Rows are written in batches (bulk inserts, one history append at the end)
    because a ledger may hold 100,000 measures; every change still gets its history event."""

    def __init__(self, actor: User | None, round_: Round, result: ReadResult,
                 report: LedgerImport) -> None:
        self.actor = actor
        self.round = round_
        self.result = result
        self.report = report
        self.comment = "由整改台账导入" + (f"（{report.filename}）" if report.filename else "")
        self.units = {compare_form(i.unit.name): i.unit for i in
                      Inspection.objects.filter(round=round_).select_related("unit")}
        self.categories = {c.name: c for c in ProblemCategory.objects.all()}
        self.problems: dict[tuple[int, str], Problem] = {}
        self.next_order: dict[int, int] = defaultdict(lambda: 1)
        rows = Problem.objects.filter(round=round_).select_related("unit")
        for problem in rows.select_for_update(of=("self",)):
            self.problems[(problem.unit_id, compare_form(problem.text))] = problem
            self.next_order[problem.unit_id] = max(self.next_order[problem.unit_id],
                                                   problem.order + 1)
        # Fetched once for the round, not per row.
        self.measures: dict[int, list[Measure]] = defaultdict(list)
        for measure in Measure.objects.filter(problem__round=round_).order_by("problem", "order",
                                                                               "id"):
            self.measures[measure.problem_id].append(measure)
        self.latest: dict[int, str] = dict(
            ProgressReport.objects.filter(measure__problem__round=round_)
            .order_by("measure_id", "reported_on", "id").values_list("measure_id", "text"))
        self.new_problems: list[Problem] = []
        self.new_measures: list[Measure] = []
        self.new_ids: set[int] = set()  # id() of the measures this import creates
        self.new_progress: list[tuple[Measure, str]] = []
        self.events: list[dict[str, Any]] = []
        self.touched: dict[int, Problem] = {}
        self.seen: set[int] = set()  # id() of the problems met so far in the ledger

    def note(self, source: lm.Source | None, column: str, reason: str) -> None:
        sheet, row = (source.sheet, source.row) if source else ("", None)
        self.report.findings.append(lm.Finding(sheet, row, column, reason))

    def column(self, source: lm.Source | None, key: str) -> str | None:
        """The letter of `key`'s column in the source sheet, None where the sheet lacks it."""
        if source is None:
            return None
        mapping = self.result.mappings.get(source.sheet)
        column = mapping.columns.get(key) if mapping else None
        return column.letter if column else None

    def event(self, action: Action, **entry: Any) -> None:
        self.events.append({"action": action, "comment": self.comment, **entry})

    def run(self) -> None:
        plan: list[tuple[lm.Problem, Problem]] = []
        for unit_ledger in self.result.ledger.units:
            unit = self._unit(unit_ledger)
            if unit is not None:
                plan.extend((item, self._problem(unit, item)) for item in unit_ledger.problems)
        Problem.objects.bulk_create(self.new_problems, batch_size=1000)
        for problem in self.new_problems:
            self.event(Action.PROBLEM_CREATED, problem=problem, changes={
                "text": (None, problem.text), "immediate": (None, problem.immediate),
                "category": (None, problem.category)})
        for item, problem in plan:
            self._measures(problem, item)
        Measure.objects.bulk_create(self.new_measures, batch_size=1000)
        # A new measure's first progress is told in its own 新增 event (one event, not two).
        first_progress = {id(m): text for m, text in self.new_progress if id(m) in self.new_ids}
        for measure in self.new_measures:
            changes = {key: (None, getattr(measure, key)) for key in (
                "content", "leader", "department", "due_date", "standard", "status")}
            if id(measure) in first_progress:
                changes["progress"] = (None, first_progress[id(measure)])
            self.event(Action.MEASURE_ADDED, measure=measure, changes=changes)
        self._write_progress()
        self._refresh_statuses()
        record_many(self.actor, self.events)
        index_problems([*self.touched, *(p.pk for p in self.new_problems)])  # bulk: no signals

    def _unit(self, unit_ledger: lm.UnitLedger) -> PartyOrganisation | None:
        key = _match_name(compare_form(unit_ledger.name), list(self.units))
        if key is not None:
            return self.units[key]
        first = unit_ledger.problems[0].source if unit_ledger.problems else None
        name = unit_ledger.name or "（未注明）"
        self.note(first, self.column(first, "unit") or "",
                  f"被巡察单位“{name}”不是{self.round}的巡察对象，其{len(unit_ledger.problems)}"
                  "个问题未导入")
        return None

    def _problem(self, unit: PartyOrganisation, item: lm.Problem) -> Problem:
        key = (unit.pk, compare_form(item.text))
        problem = self.problems.get(key)
        label = f"{unit.name} 问题“{_short(item.text)}”"
        category = self._category(item)
        if problem is None:
            problem = Problem(round=self.round, unit=unit, order=self.next_order[unit.pk],
                              text=item.text, immediate=item.immediate, category=category)
            self.next_order[unit.pk] += 1
            self.problems[key] = problem
            self.seen.add(id(problem))
            self.new_problems.append(problem)
            self.report.created.append(label)
            return problem
        if id(problem) in self.seen:
            return problem  # the same problem twice in one ledger: its first row decides
        self.seen.add(id(problem))
        changes: dict[str, tuple[Any, Any]] = {}
        if self.column(item.source, "immediate") and problem.immediate != item.immediate:
            changes["immediate"] = (problem.immediate, item.immediate)
        if category is not None and problem.category_id != category.pk:
            changes["category"] = (problem.category, category)
        if changes:
            for name, (_old, new) in changes.items():
                setattr(problem, name, new)
            problem.version += 1
            problem.save()
            self.event(Action.PROBLEM_EDITED, problem=problem, changes=changes)
            self.report.updated.append(label)
        else:
            self.report.unchanged.append(label)
        return problem

    def _measures(self, problem: Problem, item: lm.Problem) -> None:
        label = f"{problem.unit.name} 问题“{_short(item.text)}”"
        existing = {compare_form(m.content): m for m in self.measures[problem.pk]}
        for number, measure in enumerate(item.measures, start=1):
            if measure.content and self._measure(problem, existing, measure,
                                                 f"{label} 措施{number}"):
                self.touched[problem.pk] = problem

    def _category(self, item: lm.Problem) -> ProblemCategory | None:
        if not item.category:
            return None
        category = self.categories.get(item.category)
        if category is None:
            self.note(item.source, self.column(item.source, "category") or "",
                      f"问题类别“{item.category}”不在分类表中，未设置")
        return category

    def _status(self, measure: lm.Measure) -> str | None:
        if measure.status is None or not self.column(measure.source, "status"):
            return None
        status = S(measure.status)
        if status in _REVIEW_ONLY:
            nearest = _REVIEW_ONLY[status]
            self.note(measure.source, self.column(measure.source, "status") or "",
                      f"“{status.label}”须由巡察办在系统中审核办理，已按“{nearest.label}”导入")
            return nearest
        return status

    def _fields(self, measure: lm.Measure) -> dict[str, Any]:
        """The measure's fields the sheet has columns for, as the model stores them."""
        fields: dict[str, Any] = {}
        for key in ("leader", "department", "standard"):
            if self.column(measure.source, key):
                fields[key] = getattr(measure, key)
        if self.column(measure.source, "deadline"):
            fields["due_date"] = measure.deadline.date if measure.deadline else None
        status = self._status(measure)
        if status is not None:
            fields["status"] = status
        return fields

    def _measure(self, problem: Problem, existing: dict[str, Measure], item: lm.Measure,
                 label: str) -> bool:
        fields = self._fields(item)
        key = compare_form(item.content)
        current = existing.get(key)
        if current is None:
            current = Measure(problem=problem, order=len(existing) + 1, content=item.content,
                              **fields)
            existing[key] = current
            self.measures[problem.pk].append(current)
            self.new_measures.append(current)
            self.new_ids.add(id(current))
            self.report.created.append(label)
            self._progress(current, item)
            return True
        if current.pk is None:
            return False  # the same measure twice under one problem: its first row decides
        changes = {k: (getattr(current, k), v) for k, v in fields.items()
                   if getattr(current, k) != v}
        if changes:
            for name, (_old, new) in changes.items():
                setattr(current, name, new)
            current.version += 1
            current.save()
            self.event(Action.MEASURE_EDITED, measure=current, changes=changes)
        reported = self._progress(current, item)
        if changes or reported:
            self.report.updated.append(label)
            return True
        self.report.unchanged.append(label)
        return False

    def _progress(self, measure: Measure, item: lm.Measure) -> bool:
        """Queue a progress report for new 整改进展 text; False when it is already the latest."""
        if not item.progress or not self.column(item.source, "progress"):
            return False
        latest = self.latest.get(measure.pk) if measure.pk else None
        if latest is not None and compare_form(latest) == compare_form(item.progress):
            return False
        self.new_progress.append((measure, item.progress))
        return True

    def _write_progress(self) -> None:
        day = today()
        reports = [ProgressReport(measure=m, text=text, reported_on=day, status=m.status)
                   for m, text in self.new_progress]
        ProgressReport.objects.bulk_create(reports, batch_size=1000)
        for report in reports:
            if id(report.measure) not in self.new_ids:
                self.event(Action.PROGRESS_REPORTED, measure=report.measure, changes={
                    "progress": (self.latest.get(report.measure.pk), report.text)})
            self.latest[report.measure.pk] = report.text

    def _refresh_statuses(self) -> None:
        # One UPDATE per resulting status (bulk_update's CASE per row is slow on many rows).
        by_status: dict[str, list[int]] = defaultdict(list)
        for problem in self.touched.values():
            status = problem_status(m.status for m in self.measures[problem.pk])
            if status != problem.status:
                problem.status = status
                by_status[status].append(problem.pk)
        now = timezone.now()
        for new_status, ids in by_status.items():
            for start in range(0, len(ids), 500):
                Problem.objects.filter(pk__in=ids[start:start + 500]).update(
                    status=new_status, version=F("version") + 1, updated_at=now)


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[:_SHORT] + "…"
