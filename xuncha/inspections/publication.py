"""What a notice says about each problem, and the notices and reports built from the rows.

The notice's 整改情况 of a problem is, in order of precedence: the unit's edited wording
(``ProblemPublication.text``), the text a published notice gave it (imported), else a draft
made from its measures and their signed-off progress ("一是…;二是…"). Problems marked 不宜公开
are left out of every public notice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from xuncha.inspections.figures import COMPLETED, totals
from xuncha.inspections.models import (
    Inspection,
    Measure,
    Problem,
    ProgressReport,
    RectificationStatus,
    Round,
)
from xuncha.notices.model import Notice
from xuncha.notices.writers.compose import unit_notice
from xuncha.notices.writers.report import MeasureFacts, ProblemFacts, ReportFacts

_ORDINALS = "一二三四五六七八九十"
#: Said of a problem none of whose measures is done yet.
NOT_YET = "正在整改中。"


class Source:
    """Where a problem's 整改情况 in the notice comes from (shown next to it)."""

    EDITED = "单位编辑稿"
    PUBLISHED = "已公布原文"
    DRAFTED = "由整改措施起草"


def with_measures(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """Problems with what drafting their 整改情况 reads, fetched in a fixed number of queries."""
    return problems.select_related("publication").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order", "id").prefetch_related(
            Prefetch("progress", queryset=ProgressReport.objects.order_by("reported_on", "id"))
        ))
    )


def draft_rectification(problem: Problem) -> str:
    """The 整改情况 drafted from the measures that are done: "一是…;二是…。"."""
    done = [m for m in problem.measures.all() if m.status in COMPLETED]
    if not done:
        return NOT_YET
    clauses = []
    for index, measure in enumerate(done):
        reports = list(measure.progress.all())
        said = (reports[-1].text if reports else measure.content).strip().rstrip("。;；")
        ordinal = _ORDINALS[index] if index < len(_ORDINALS) else str(index + 1)
        clauses.append(f"{ordinal}是{said}")
    return ";".join(clauses) + "。"


def rectification_of(problem: Problem) -> tuple[str, str]:
    """The problem's 整改情况 as the notice prints it, and where it comes from (``Source``)."""
    publication = getattr(problem, "publication", None)
    if publication is not None and publication.text:
        return publication.text, Source.EDITED
    if problem.published_rectification:
        return problem.published_rectification, Source.PUBLISHED
    return draft_rectification(problem), Source.DRAFTED


def is_withheld(problem: Problem) -> bool:
    publication = getattr(problem, "publication", None)
    return publication is not None and publication.withheld


def public_problems(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """Leave out the problems marked 不宜公开."""
    return problems.exclude(publication__withheld=True)


def public_round_notice(round_: Round) -> Notice:
    """The round's notice (shape A) as it would be published now: 不宜公开 problems left out."""
    from xuncha.inspections.publishing import round_notice

    return round_notice(round_, public=True)


def public_unit_notice(inspection: Inspection) -> Notice:
    """The unit's own notice as it would be published now, with its headline figures."""
    from xuncha.inspections.publishing import round_notice

    whole = round_notice(inspection.round, public=True, keep_empty=True)
    section = next(unit for unit in whole.units if unit.name == inspection.unit.name)
    chosen = public_problems(Problem.objects.all())
    return unit_notice(whole, section, totals(inspection, problems=chosen).headline())


def report_facts(inspection: Inspection) -> ReportFacts:
    """What the unit's 整改情况报告 states, read from the rows (every problem: it goes to the
    committee, not the public)."""
    problems = with_measures(
        Problem.objects.filter(round_id=inspection.round_id, unit_id=inspection.unit_id)
    ).order_by("order")
    figures = totals(inspection)
    details = []
    if figures.disciplined:
        details.append(f"党纪政务处分{figures.disciplined}人")
    if figures.organisational:
        details.append(f"组织处理{figures.organisational}人")
    from xuncha.notices.names import short_issuer

    committee = inspection.round.committee.name
    return ReportFacts(
        unit=inspection.unit.name,
        round_name=inspection.round.display_name,
        addressee=f"{short_issuer(committee)}巡察工作领导小组",
        problems=[_problem_facts(problem) for problem in problems],
        figures=figures.headline(),
        details=details,
    )


def _problem_facts(problem: Problem) -> ProblemFacts:
    return ProblemFacts(
        text=problem.text,
        status=problem.get_status_display(),
        measures=[_measure_facts(measure) for measure in problem.measures.all()],
    )


def _measure_facts(measure: Measure) -> MeasureFacts:
    reports = list(measure.progress.all())
    return MeasureFacts(
        content=measure.content, status=measure.get_status_display(), leader=measure.leader,
        due=measure.due_date, progress=reports[-1].text if reports else "",
        open=measure.status not in COMPLETED,
    )


def render_report(
    inspection: Inspection, fmt: str, *, issued: datetime.date | None = None
) -> bytes:
    """The unit's 整改情况报告 as .docx or .pdf bytes (``issued`` defaults to today)."""
    from xuncha.notices.writers import docx, pdf
    from xuncha.notices.writers.report import report_document

    day = issued or today()
    parts = report_document(report_facts(inspection), day)
    writer = {"docx": docx.render_document, "pdf": pdf.render_document}.get(fmt)
    if writer is None:
        raise ValueError(f"整改情况报告没有 {fmt} 格式（可用：docx、pdf）")
    return writer(parts, author=inspection.unit.name, issued=day)


def drafters(problems: Iterable[Problem]) -> set[int]:
    """Ids of the users whose wording of 整改情况 a notice of these problems would print."""
    return {
        problem.publication.edited_by_id
        for problem in problems
        if getattr(problem, "publication", None) is not None
        and problem.publication.text and problem.publication.edited_by_id is not None
    }


def today() -> datetime.date:
    return datetime.datetime.now().astimezone().date()


__all__ = ["RectificationStatus", "Source", "draft_rectification", "rectification_of"]
