"""The pages: rounds → a round → a unit → a problem, each with the forms its user may act with.

The ``*_page`` functions render a page with some forms already bound, so an action view that
refuses a submission shows the same page again with the errors next to the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.analysis.quality import FLAG_LABELS
from xuncha.assessment.queries import flag_counts, problem_quality
from xuncha.inspections.models import (
    Inspection,
    Measure,
    PlanState,
    Problem,
    ProgressReport,
    Round,
)
from xuncha.inspections.publishing import round_notice
from xuncha.inspections.queries import (
    NOTICE_SOURCES,
    counted_rounds_page,
    inspections_with_counts,
)
from xuncha.pagecache.pages import cached_page
from xuncha.similar import views as similar_views
from xuncha.web import history
from xuncha.web.forms import (
    EVIDENCE_ACCEPT,
    ClueForm,
    DeadlinesForm,
    DecisionForm,
    MeasureForm,
    OutcomeForm,
    ProblemForm,
    ProgressForm,
)
from xuncha.web.views import documents
from xuncha.web.views import ledgers as ledger_views
from xuncha.web.views import publishing as publishing_views
from xuncha.workflow.deadlines import board
from xuncha.workflow.models import ClueHandover, Event, Evidence, today
from xuncha.workflow.todo import returned_reasons
from xuncha.workflow.transitions import (
    AWAITING_REVIEW,
    REPORTABLE,
    evidence_is_changeable,
    is_long_term_request,
    plan_is_editable,
)

Bound = Mapping[str, forms.Form]


class _Forms:
    """The page's forms: those the failed request bound (with errors), else fresh ones.

    A refusal about the state of things (a plan no longer submitted, say) can come back on a
    form the page no longer shows; its errors then go to the top of the page, never nowhere.
    """

    def __init__(self, bound: Bound | None) -> None:
        self.bound = dict(bound or {})
        self.shown: set[str] = set()

    def get(self, key: str, make: Callable[[], forms.Form]) -> forms.Form:
        self.shown.add(key)
        return self.bound.get(key) or make()

    def report_unshown(self, request: HttpRequest) -> None:
        for key, form in self.bound.items():
            if key not in self.shown:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, str(error))


@require_GET
@login_required
@cached_page
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = access.rounds_for(user)
    # A page of rounds at a time, and only the page's rounds counted (each count is a
    # subquery): a province has thousands of rounds.
    page = Paginator(visible, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rounds = counted_rounds_page(visible, access.inspections_for(user), access.problems_for(user),
                                 max(0, page.start_index() - 1), settings.PAGE_SIZE)
    return render(request, "web/round_list.html", {"rounds": rounds, "page": page})


@require_GET
@login_required
@cached_page
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return round_page(request, access.access_round(request.user, round_id))


def round_page(
    request: HttpRequest, round_: Round, *, bound: Bound | None = None, status: int = 200
) -> HttpResponse:
    page_forms = _Forms(bound)
    inspections = list(
        inspections_with_counts(
            access.inspections_for(request.user).filter(round=round_),
            access.problems_for(request.user),
        )
    )
    # Deadline badges per unit row: the board's counts, in SQL, for this round only.
    in_round = access.problems_for(request.user).filter(round=round_)
    levels = {row.unit_id: row for row in board(
        Measure.objects.filter(problem__in=in_round), today(), problems=in_round
    )}
    flags = flag_counts(in_round)
    for inspection in inspections:
        inspection.levels = levels.get(inspection.unit_id)  # type: ignore[attr-defined]
        inspection.flag_count = flags.get(inspection.unit_id, 0)  # type: ignore[attr-defined]
    deadlines = None
    if access.can_manage_round(request.user):
        deadlines = page_forms.get("deadlines", lambda: DeadlinesForm(
            initial={"plan_due_date": round_.plan_due_date or round_.default_plan_due_date(),
                     "rectification_due_date": round_.rectification_due_date},
        ))
    context = {
        "round": round_,
        "kinds": list(round_.kinds.all()),
        "inspections": inspections,
        "group_count": round_.groups.count(),
        "problem_total": sum(i.problem_count for i in inspections),  # type: ignore[attr-defined]
        "deadlines_form": deadlines,
        "notice_figures": [source for source in NOTICE_SOURCES.filter(round=round_)
                           if source.figures],
        # Links shown only to those the download answers (the others would get 404).
        "reads_notice": reads_round_notice(request.user),
    } | publishing_views.round_context(request.user, round_) | ledger_views.round_actions(
        request.user, round_)
    page_forms.report_unshown(request)
    return render(request, "web/round_detail.html", context, status=status)


@require_GET
@login_required
@cached_page
def unit_detail(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    return unit_page(request, access.access_inspection(request.user, round_id, unit_id))


def unit_page(
    request: HttpRequest, inspection: Inspection, *, bound: Bound | None = None,
    status: int = 200,
) -> HttpResponse:
    page_forms = _Forms(bound)
    user = request.user
    problems = list(
        access.problems_for(user)
        .filter(round_id=inspection.round_id, unit_id=inspection.unit_id)
        .select_related("category")
        .prefetch_related("measures")
        .order_by("order")
    )
    # The unit's problems share round and unit, so one unsaved stand-in answers for all of them.
    stand_in = Problem(round_id=inspection.round_id, unit_id=inspection.unit_id)
    can_edit = access.can_edit_plan(user, stand_in)
    can_review = access.can_review(user, stand_in)
    records_problems = access.role_of(user) in (Role.OFFICE, Role.GROUP)
    context = {
        "inspection": inspection,
        "problems": problems,
        "can_submit_all": can_edit and any(
            plan_is_editable(p.plan_state) and p.measures.all() for p in problems
        ),
        "can_approve_all": can_review and any(
            p.plan_state == PlanState.SUBMITTED for p in problems
        ),
        "submitted_count": sum(p.plan_state == PlanState.SUBMITTED for p in problems),
        "problem_form": page_forms.get("problem", ProblemForm) if records_problems else None,
    } | publishing_views.unit_context(user, inspection) | ledger_views.unit_actions(inspection)
    page_forms.report_unshown(request)
    return render(request, "web/unit_detail.html", context, status=status)


@dataclass
class MeasureRow:
    measure: Measure
    progress_form: forms.Form | None
    review_form: forms.Form | None
    can_edit: bool
    #: The unit may replace or withdraw this measure's current evidence files.
    changes_evidence: bool = False
    #: The review form decides a 长期坚持 request rather than a sign-off.
    long_term_request: bool = False
    #: Why a returned measure came back (the reviewer's latest comment), shown on its block.
    returned_reason: str = ""


@dataclass
class HandoverRow:
    handover: ClueHandover
    outcome_form: forms.Form | None


@require_GET
@login_required
@cached_page
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    return problem_page(request, access.access_problem(request.user, problem_id))


def problem_page(
    request: HttpRequest, problem: Problem, *, bound: Bound | None = None, status: int = 200
) -> HttpResponse:
    page_forms = _Forms(bound)
    user = request.user
    can_edit = access.can_edit_plan(user, problem)
    can_review = access.can_review(user, problem)
    editable = plan_is_editable(problem.plan_state)
    approved = problem.plan_state == PlanState.APPROVED
    evidence = Evidence.objects.select_related("superseded_by")
    measures = list(
        problem.measures.prefetch_related(
            # Each report's 整改成效 (shown under it) comes with it, not one query per report.
            Prefetch("progress", queryset=ProgressReport.objects.select_related("figures")
                     .prefetch_related("rules")),
            Prefetch("evidence", queryset=evidence))
        .order_by("order", "id")
    )
    rows = [
        MeasureRow(
            measure=measure,
            progress_form=_prefixed(page_forms, f"progress-{measure.pk}", ProgressForm)
            if can_edit and approved and measure.status in REPORTABLE else None,
            review_form=_prefixed(page_forms, f"review-{measure.pk}", DecisionForm)
            if can_review and measure.status in AWAITING_REVIEW else None,
            can_edit=can_edit and editable,
            changes_evidence=can_edit and approved and evidence_is_changeable(measure.status),
            long_term_request=is_long_term_request(measure.status),
        )
        for measure in measures
    ]
    clues = access.sees_clues(user)
    plan_reason, measure_reasons = returned_reasons(problem)
    for row in rows:
        row.returned_reason = measure_reasons.get(row.measure.pk, "")
    context = {
        "problem": problem,
        "plan_reason": plan_reason,
        "rows": rows,
        "measure_form": page_forms.get("measure", MeasureForm) if can_edit and editable else None,
        "can_submit": can_edit and editable and bool(measures),
        "plan_form": page_forms.get("plan", DecisionForm)
        if can_review and problem.plan_state == PlanState.SUBMITTED else None,
        "sees_clues": clues,
        "handovers": _handovers(request, problem, page_forms) if clues else [],
        # The office reviews every problem in its scope, so reviewers are the ones who may
        # also edit the problem and hand its clue over.
        "clue_form": page_forms.get("clue", ClueForm) if can_review else None,
        "can_edit_problem": can_review,
        "events": _events(user, problem),
        "evidence_accept": EVIDENCE_ACCEPT,
        **_quality_context(user, problem),
    } | publishing_views.problem_context(user, problem) | (
        similar_views.problem_context(user, problem))
    page_forms.report_unshown(request)
    return render(request, "web/problem_detail.html", context, status=status)


def _quality_context(user: access.User, problem: Problem) -> dict[str, object]:
    """The quality flags that count, those the office dismissed (who, why), and whether the
    user may dismiss one."""
    judged = problem_quality(problem)
    return {"quality_flags": judged.live, "dismissed_flags": judged.dismissed,
            "flag_labels": FLAG_LABELS, "can_dismiss_flags": access.can_dismiss_flags(user)}


def _prefixed(page_forms: _Forms, key: str, form_class: type[forms.Form]) -> forms.Form:
    # Prefixes keep the many forms of one page (one per measure) apart.
    return page_forms.get(key, lambda: form_class(prefix=key))


def _handovers(request: HttpRequest, problem: Problem, page_forms: _Forms) -> list[HandoverRow]:
    return [
        HandoverRow(
            handover,
            _prefixed(page_forms, f"outcome-{handover.pk}", OutcomeForm)
            if access.can_record_outcome(request.user, handover) else None,
        )
        for handover in problem.handovers.all()
    ]


@dataclass
class EventRow:
    event: Event
    changes: list[history.Change]


def _events(user: access.User, problem: Problem) -> list[EventRow]:
    events = access.history_for(user, problem).select_related("measure")
    return [EventRow(event, history.describe(event.changes)) for event in events]


def reads_round_notice(user: access.User) -> bool:
    """The whole round's notice spans every unit: for the office and supervisors only."""
    return access.role_of(user) in (Role.OFFICE, Role.SUPERVISOR)


@require_GET
@login_required
def round_notice_download(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    if not reads_round_notice(request.user):
        raise Http404
    round_ = access.access_round(request.user, round_id)
    return documents.notice_response(round_notice(round_), fmt, f"round-{round_.pk}-notice")
