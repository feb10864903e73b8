"""GET /api/rounds/{id}/evaluation, and dismissed flags in GET /api/problems/{id}."""

from __future__ import annotations

from typing import Any

import pytest

from xuncha.assessment import services
from xuncha.inspections.models import Problem, Round

pytestmark = pytest.mark.django_db


def test_the_office_gets_every_unit_with_its_components(api: Any, seed_round: Round) -> None:
    body = api("office").get(f"/api/rounds/{seed_round.pk}/evaluation").json()
    assert body["unit_count"] == 7 and len(body["units"]) == 7
    first = body["units"][0]
    assert first["rank"] == 1
    assert set(first["components"]) == {"completion", "timeliness", "quality", "recurrence",
                                        "effect"}
    quality = body["units"][-1]["components"]["quality"]
    assert body["units"][-1]["unit"] == "玛纳斯县乐土驿镇党委"
    assert quality["value"] == 0.0 and quality["working"] == "100 × (1 − 3 ÷ 3) = 0"
    assert sum(body["weights"].values()) == 100
    assert body["benchmarks"]["this"]["problems"] == 21


def test_a_unit_gets_its_own_row_only(api: Any, seed_round: Round) -> None:
    body = api("unit_a").get(f"/api/rounds/{seed_round.pk}/evaluation").json()
    assert [row["unit"] for row in body["units"]] == ["木垒县东城镇党委"]
    assert body["unit_count"] == 7


def test_dismissed_flags_leave_quality_flags(api: Any, people: dict[str, Any],
                                             seed_round: Round) -> None:
    problem = Problem.objects.get(round=seed_round, text__contains="郑家庄村")
    services.dismiss_flag(people["office"], problem, "unaddressed", "两村已逐项说明")
    body = api("office").get(f"/api/problems/{problem.pk}").json()
    assert body["quality_flags"] == []
    [dismissed] = body["dismissed_quality_flags"]
    assert dismissed["code"] == "unaddressed" and dismissed["dismissal_reason"] == "两村已逐项说明"
    scores = api("office").get(f"/api/rounds/{seed_round.pk}/evaluation").json()["units"]
    [letuyi] = [row for row in scores if row["unit"] == "玛纳斯县乐土驿镇党委"]
    assert letuyi["facts"]["quality_flags"] == 2


def test_benchmarks_read_other_committees_notices(api: Any, seed_round: Round) -> None:
    from pathlib import Path

    from xuncha.inspections.importer import import_notice
    from xuncha.notices.parse import parse_document

    shapes = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "real-shapes"
    for name in ("12-round-summary-figures.txt", "52-head-title-dash-suffix.html"):
        data = (shapes / name).read_bytes()
        import_notice(parse_document(data, name), filename=name, content=data)
    bench = api("unit_a").get(f"/api/rounds/{seed_round.pk}/evaluation").json()["benchmarks"]
    others = {row["committee"]: row for row in bench["others"]}
    assert set(others) == {"云岭市委", "石门区委"}
    # A figures-only notice: its stated figures.
    assert others["云岭市委"]["problems"] == 512
    assert others["云岭市委"]["completion_rate"] == round(498 / 512, 4)
    assert others["云岭市委"]["rules_per_problem"] == round(236 / 512, 2)
    # Problems read from a notice that states no figures: counted, their completion unknown.
    assert others["石门区委"]["problems"] == 3 and others["石门区委"]["units"] == 2
    assert others["石门区委"]["completion_rate"] is None
    assert bench["this"]["completion_rate"] == 0.0  # the round evaluated counts its records
    assert bench["median"]["completion_rate"] == round(498 / 512, 4)
