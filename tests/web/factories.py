"""Rows for tests that need more data than a notice carries."""

from __future__ import annotations

from xuncha.inspections.models import Inspection, PartyOrganisation, Problem, Region, Round


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
