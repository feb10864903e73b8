"""Rows for tests that need more data than a notice carries."""

from __future__ import annotations

import datetime

from xuncha.inspections.models import (
    Inspection,
    Measure,
    PartyOrganisation,
    PlanState,
    Problem,
    ProgressReport,
    RectificationStatus,
    Region,
    Round,
)
from xuncha.workflow import evidence
from xuncha.workflow.models import ClueHandover, Evidence


def add_units(round_: Round, count: int, problems_each: int = 3) -> list[PartyOrganisation]:
    county = Region.objects.create(name=f"测试县{round_.pk}", level=Region.Level.COUNTY)
    units = []
    start = round_.inspections.count()
    for n in range(count):
        town = Region.objects.create(name=f"测试{n}镇", level=Region.Level.TOWNSHIP, parent=county)
        unit = PartyOrganisation.objects.create(
            name=f"{county.name}测试{n}镇党委", region=town, form=PartyOrganisation.Form.COMMITTEE
        )
        Inspection.objects.create(round=round_, unit=unit, order=start + n + 1)
        Problem.objects.bulk_create(
            Problem(round=round_, unit=unit, order=k + 1, text=f"问题{k}")
            for k in range(problems_each)
        )
        units.append(unit)
    return units


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def measure_under_review(problem: Problem) -> Measure:
    """An approved plan with one measure asking for sign-off, with a PDF of evidence.

    Written straight to the tables: for tests of who may see and do what, not of the cycle.
    """
    problem.plan_state = PlanState.APPROVED
    problem.save(update_fields=["plan_state"])
    measure = Measure.objects.create(
        problem=problem, order=1, content="制定村级后备干部培养计划", leader="张书记",
        department="镇党建办", due_date=datetime.date(2024, 3, 31),
        status=RectificationStatus.PENDING_REVIEW,
    )
    report = ProgressReport.objects.create(
        measure=measure, text="已完成", reported_on=datetime.date(2024, 3, 1),
        status=RectificationStatus.PENDING_REVIEW,
    )
    checked = evidence.check("培训签到表.pdf", PDF)
    Evidence.objects.create(
        measure=measure, progress=report, original_name=checked.original_name,
        stored_as=evidence.store(checked), content_type=checked.content_type,
        size=len(checked.data), sha256=checked.sha256,
    )
    return measure


def clue_handed_over(problem: Problem) -> ClueHandover:
    return ClueHandover.objects.create(
        problem=problem, receiver=ClueHandover.Receiver.DISCIPLINE,
        handed_over_on=datetime.date(2024, 1, 10), follow_up_due=datetime.date(2024, 4, 10),
    )
