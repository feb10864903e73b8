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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xuncha import access
from xuncha.analysis.categorize import match_category_label
from xuncha.inspections.bulk import Table, background_copies, gc_paused, reserve_ids
from xuncha.inspections.models import (
    DuePrecision,
    Inspection,
    Measure,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    ProgressReport,
    RectificationStatus,
    Round,
    deadline_of,
)
from xuncha.ledgers import model as lm
from xuncha.ledgers.read import ReadResult
from xuncha.ledgers.write import PROGRESS_EVERY, Levels, write_ledger
from xuncha.notices.normalize import compare_form
from xuncha.search.index import BulkDocs, measure_text, problem_text
from xuncha.search.models import SearchDoc
from xuncha.workflow.deadlines import level
from xuncha.workflow.history import record_many
from xuncha.workflow.models import Action, Evidence, today
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
    """The round's problems and measures (of one unit, if given) as a ledger.

    Read as plain rows (values_list), not model instances with prefetches: a round may have
    100,000 measures, and instances cost most of an export's time.
    """
    problems = Problem.objects.filter(round=round_)
    if unit is not None:
        problems = problems.filter(unit=unit)
    measures = Measure.objects.filter(problem__in=problems)
    order = {i.unit_id: (i.order, i.group.name if i.group else "") for i in
             Inspection.objects.filter(round=round_).select_related("group")}
    units = dict(PartyOrganisation.objects.filter(
        pk__in=problems.values("unit_id")).values_list("pk", "name"))
    categories = dict(ProblemCategory.objects.values_list("pk", "name"))
    latest = dict(ProgressReport.objects.filter(measure__in=measures)
                  .order_by("measure_id", "reported_on", "id").values_list("measure_id", "text"))
    evidence: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in (Evidence.objects.filter(measure__in=measures,
                                                     superseded_by__isnull=True,
                                                     withdrawn_at__isnull=True)
                             .order_by("uploaded_at", "id")
                             .values_list("measure_id", "original_name")):
        evidence[measure_id].append(name)
    by_problem: dict[int, list[lm.Measure]] = defaultdict(list)
    for row in measures.order_by("problem_id", "order", "id").values_list(*_EXPORTED):
        by_problem[row[1]].append(_ledger_measure(row, latest, evidence))
    ledger = lm.Ledger(f"{round_.display_name}反馈问题整改台账")
    # The flags live one layer up (they read dismissals); three queries for the whole round.
    from xuncha.assessment.queries import flag_summaries

    quality = flag_summaries(problems)
    rows = sorted(problems.values_list("pk", "unit_id", "order", "text", "immediate",
                                       "category_id"),
                  key=lambda p: (order.get(p[1], (9999, ""))[0], units[p[1]], p[2]))
    for pk, unit_id, number, text, immediate, category_id in rows:
        ledger.unit(units[unit_id]).problems.append(lm.Problem(
            text, number=str(number), group=order.get(unit_id, (0, ""))[1],
            category=categories.get(category_id, "") if category_id else "",
            immediate=immediate, measures=by_problem.get(pk, []),
            quality=quality.get(pk, "")))
    return ledger


_EXPORTED = ("pk", "problem_id", "content", "leader", "department", "due_date", "due_precision",
             "due_long_term", "standard", "status", "signed_off_on", "notes")
_STATUS_LABELS = dict(RectificationStatus.choices)


def _ledger_measure(row: tuple[Any, ...], latest: dict[int, str],
                    evidence: dict[int, list[str]]) -> lm.Measure:
    (pk, _problem, content, leader, department, due_date, precision, long_term, standard, status,
     signed_off_on, notes) = row
    deadline: lm.Deadline | None = (deadline_of(due_date, precision, long_term)
                                    if due_date is not None or long_term else None)
    return lm.Measure(
        content, leader=leader, department=department, deadline=deadline, standard=standard,
        progress=latest.get(pk, ""), status=status,
        status_text=str(_STATUS_LABELS.get(status, status)),
        signed_off_on=signed_off_on, notes=notes, evidence="；".join(evidence.get(pk, ())))


def deadline_levels(on: datetime.date) -> Levels:
    """The warning level of a measure's deadline on `on`; finished measures have none."""
    finished = {S.SIGNED_OFF, S.LONG_TERM, S.PENDING_REVIEW, S.LONG_TERM_REVIEW}

    def levels(measure: lm.Measure) -> str:
        if measure.status in finished or measure.deadline is None:
            return ""
        return level(measure.deadline.date, on).value

    return levels


def export_round(round_: Round, unit: PartyOrganisation | None = None,
                 *, lists: bool = True,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
    """The round's (or one unit's) ledger workbook, coloured by today's deadline levels.

    `progress`, if given, is told (rows written, rows to write) every few hundred rows and
    (total, total) once the workbook is complete.
    """
    return write_ledger(round_ledger(round_, unit), levels=deadline_levels(today()), lists=lists,
                        quality=True, progress=progress)


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
                  dry_run: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> LedgerImport:
    """Store a parsed ledger into `round_` in one transaction (rolled back for a dry run).

    `actor` None is the console (trusted); a user must be the inspection office. `progress`,
    if given, is told (measure rows handled, measure rows in the ledger) every few hundred rows
    while the rows are compared, and (total, total) once the transaction has ended; it stays
    below total until everything is written.
    """
    if actor is not None and not access.can_manage_round(actor):
        raise PermissionDenied("只有巡察办可以导入整改台账")
    report = LedgerImport(round_, filename, dry_run, findings=list(result.findings))
    total = result.ledger.measure_count()
    with gc_paused(), transaction.atomic(durable=True):
        with background_copies():
            _Importer(actor, round_, result, report, progress).run()
        if dry_run:
            transaction.set_rollback(True)
    if progress is not None:
        progress(total, total)
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


#: What a new measure's 新增 event records.
_NEW_MEASURE_FIELDS = ("content", "leader", "department", "due_date", "due_precision",
                       "due_long_term", "standard", "notes", "status")
_MEASURE_STATUS = Measure._meta.get_field("status").get_default()


def _deadline_fields(deadline: lm.Deadline | None) -> dict[str, Any]:
    """A ledger's 完成时限 as the measure stores it: date, precision, 长期坚持 (立行立改 and
    words we could not read leave no date)."""
    dated = deadline is not None and deadline.kind in ("date", "long_term")
    return {
        "due_date": deadline.date if deadline is not None and dated else None,
        "due_precision": (deadline.precision if deadline is not None and dated
                          and deadline.date is not None else DuePrecision.DAY),
        "due_long_term": deadline is not None and deadline.kind == "long_term",
    }


class _NewMeasure:
    """A measure this import creates: just what is compared and written (no model instance,
    they cost more than the rest of a row's work)."""

    __slots__ = (
        "content",
        "department",
        "due_date",
        "due_long_term",
        "due_precision",
        "leader",
        "notes",
        "order",
        "pk",
        "problem",
        "standard",
        "status",
    )

    def __init__(self, problem: Problem, order: int, content: str, *, leader: str = "",
                 department: str = "", due_date: datetime.date | None = None,
                 due_precision: str = DuePrecision.DAY, due_long_term: bool = False,
                 standard: str = "", notes: str = "", status: str = _MEASURE_STATUS) -> None:
        self.problem = problem
        self.order = order
        self.content = content
        self.leader = leader
        self.department = department
        self.due_date = due_date
        self.due_precision = due_precision
        self.due_long_term = due_long_term
        self.standard = standard
        self.notes = notes
        self.status = status
        self.pk: int | None = None

    @property
    def problem_id(self) -> int | None:
        return self.problem.pk


class _Importer:
    """One import. New rows are written in bulk (:mod:`xuncha.inspections.bulk`, with their
    search index rows and one history append at the end) because a ledger may hold 100,000
    measures; every change still gets its signed history event."""

    def __init__(self, actor: User | None, round_: Round, result: ReadResult,
                 report: LedgerImport, progress: Callable[[int, int], None] | None = None) -> None:
        self.actor = actor
        self.progress = progress
        self.total = result.ledger.measure_count()
        self.done = 0
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
        self.measures: dict[int, list[Measure | _NewMeasure]] = defaultdict(list)
        for measure in Measure.objects.filter(problem__round=round_).order_by("problem", "order",
                                                                               "id"):
            self.measures[measure.problem_id].append(measure)
        self.latest: dict[int, str] = dict(
            ProgressReport.objects.filter(measure__problem__round=round_)
            .order_by("measure_id", "reported_on", "id").values_list("measure_id", "text"))
        self.new_problems: list[Problem] = []
        self.new_items: list[lm.Problem] = []  # the ledger's row of each new problem
        self.new_measures: list[_NewMeasure] = []
        self.new_progress: list[tuple[Measure | _NewMeasure, str]] = []
        self.index = BulkDocs()
        self.events: list[dict[str, Any]] = []
        self.touched: dict[int, Problem] = {}
        self.seen: set[int] = set()  # id() of the problems met so far in the ledger
        self.sheets: dict[str, dict[str, str]] = {}

    def note(self, source: lm.Source | None, column: str, reason: str) -> None:
        sheet, row = (source.sheet, source.row) if source else ("", None)
        self.report.findings.append(lm.Finding(sheet, row, column, reason))

    def column(self, source: lm.Source | None, key: str) -> str | None:
        """The letter of `key`'s column in the source sheet, None where the sheet lacks it."""
        return self.letters(source).get(key)

    def letters(self, source: lm.Source | None) -> dict[str, str]:
        """{field: column letter} of the source sheet (worked out once per sheet)."""
        if source is None:
            return {}
        letters = self.sheets.get(source.sheet)
        if letters is None:
            mapping = self.result.mappings.get(source.sheet)
            letters = self.sheets[source.sheet] = {
                key: column.letter for key, column in mapping.columns.items()} if mapping else {}
        return letters

    def event(self, action: Action, **entry: Any) -> None:
        self.events.append({"action": action, "comment": self.comment, **entry})

    def run(self) -> None:
        plan: list[tuple[lm.Problem, Problem]] = []
        for unit_ledger in self.result.ledger.units:
            unit = self._unit(unit_ledger)
            if unit is not None:
                plan.extend((item, self._problem(unit, item)) for item in unit_ledger.problems)
        # Written before their measures are planned (PostgreSQL starts on them meanwhile),
        # with the status their measures' cells give; _refresh_statuses corrects the rare
        # guess the planning proves wrong.
        self._write_problems()
        for item, problem in plan:
            self._measures(problem, item)
        self._write_measures()
        self._write_progress()
        self._refresh_statuses()
        self.index.flush()
        record_many(self.actor, self.events)

    def _write_problems(self) -> None:
        rows = Table(Problem, ("id", "round_id", "unit_id", "order", "text", "immediate",
                               "category_id", "status"))
        self.index.follow(rows)
        for pk, problem, item in zip(reserve_ids(Problem, len(self.new_problems)),
                                     self.new_problems, self.new_items, strict=True):
            problem.pk = pk
            problem.status = self._expected_status(item, problem.status)
            rows.add(pk, problem.round_id, problem.unit_id, problem.order, problem.text,
                     problem.immediate, problem.category_id, problem.status)
            self.index.add(SearchDoc.Kind.PROBLEM, pk, pk, problem_text("", problem.text))
            self.event(Action.PROBLEM_CREATED, problem_id=pk, round_id=self.round.pk, changes={
                "text": (None, problem.text), "immediate": (None, problem.immediate),
                "category": (None, problem.category)})
        rows.flush()

    def _expected_status(self, item: lm.Problem, default: str) -> str:
        """A new problem's status from its measures' cells, before they are planned."""
        statuses = [self._status_value(m) or _MEASURE_STATUS for m in item.measures
                    if m.content]
        return problem_status(statuses) if statuses else default

    def _write_measures(self) -> None:
        rows = Table(Measure, ("id", "problem_id", "order", "content", "leader", "department",
                               "due_date", "due_precision", "due_long_term", "standard", "notes",
                               "status"))
        self.index.follow(rows)
        # A new measure's first progress is told in its own 新增 event (one event, not two).
        first_progress = {id(m): text for m, text in self.new_progress
                          if isinstance(m, _NewMeasure)}
        for pk, measure in zip(reserve_ids(Measure, len(self.new_measures)), self.new_measures,
                               strict=True):
            measure.pk = pk
            problem_id = measure.problem_id
            rows.add(pk, problem_id, measure.order, measure.content, measure.leader,
                     measure.department, measure.due_date, measure.due_precision,
                     measure.due_long_term, measure.standard, measure.notes, measure.status)
            self.index.add(SearchDoc.Kind.MEASURE, pk, problem_id, measure_text(
                measure.content, measure.standard, measure.leader, measure.department))
            changes = {key: (None, getattr(measure, key)) for key in _NEW_MEASURE_FIELDS}
            if id(measure) in first_progress:
                changes["progress"] = (None, first_progress[id(measure)])
            self.event(Action.MEASURE_ADDED, measure_id=pk, problem_id=problem_id,
                       round_id=self.round.pk, changes=changes)
        rows.flush()

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
            self.new_items.append(item)
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
            self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            # Never the total here: the rows still have to be written.
            self.progress(min(self.done, self.total - 1), self.total)

    def _category(self, item: lm.Problem) -> ProblemCategory | None:
        if not item.category:
            return None
        category = self.categories.get(item.category)
        if category is not None:
            return category
        column = self.column(item.source, "category") or ""
        name = match_category_label(item.category, self.categories)
        if name is None:
            self.note(item.source, column, f"问题类别“{item.category}”不在分类表中，未设置")
            return None
        self.note(item.source, column, f"问题类别“{item.category}”按分类表中的“{name}”导入")
        return self.categories[name]

    def _status_value(self, measure: lm.Measure) -> str | None:
        """The status the measure's cell sets, if any (what _status returns, quietly)."""
        if measure.status is None or not self.column(measure.source, "status"):
            return None
        status = S(measure.status)
        return _REVIEW_ONLY.get(status, status)

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
        letters = self.letters(measure.source)
        for key in ("leader", "department", "standard", "notes"):
            if key in letters:
                fields[key] = getattr(measure, key)
        if "deadline" in letters:
            fields.update(_deadline_fields(measure.deadline))
        status = self._status(measure)
        if status is not None:
            fields["status"] = status
        return fields

    def _measure(self, problem: Problem, existing: dict[str, Measure | _NewMeasure],
                 item: lm.Measure,
                 label: str) -> bool:
        fields = self._fields(item)
        key = compare_form(item.content)
        current = existing.get(key)
        if current is None:
            new = _NewMeasure(problem, len(existing) + 1, item.content, **fields)
            existing[key] = new
            self.measures[problem.pk].append(new)
            self.new_measures.append(new)
            self.report.created.append(label)
            self._progress(new, item)
            return True
        if isinstance(current, _NewMeasure):
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

    def _progress(self, measure: Measure | _NewMeasure, item: lm.Measure) -> bool:
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
        rows = Table(ProgressReport, ("id", "measure_id", "text", "reported_on", "status"))
        self.index.follow(rows)
        for pk, (measure, text) in zip(reserve_ids(ProgressReport, len(self.new_progress)),
                                       self.new_progress, strict=True):
            rows.add(pk, measure.pk, text, day, measure.status)
            problem_id = measure.problem_id
            self.index.add(SearchDoc.Kind.PROGRESS, pk, problem_id, text)
            if not isinstance(measure, _NewMeasure):
                self.event(Action.PROGRESS_REPORTED, measure_id=measure.pk,
                           problem_id=problem_id, round_id=self.round.pk,
                           changes={"progress": (self.latest.get(measure.pk), text)})
                self.latest[measure.pk] = text
        rows.flush()

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
