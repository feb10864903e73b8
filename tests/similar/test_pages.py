"""屡查屡犯 on the problem page and in the API, 共性 groups on their page and in the API, the
office's threshold, all scoped by role."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import (
    Inspection,
    PartyOrganisation,
    Problem,
    RectificationStatus,
)
from xuncha.similar.models import CommonRequirement, SimilaritySettings
from xuncha.workflow.history import record
from xuncha.workflow.models import Action
from xuncha.workflow.rounds import NewProblem, add_problems

DONGCHENG = "木垒县东城镇党委"
#: Two wordings of one problem: similarity 0.74 (numbers aside, most character pairs shared).
RESERVE = ("村级后备力量不足，3个村“两委”干部年龄偏大，后备干部培养不够。",
           "村级后备力量不足,5个村两委干部年龄偏大、后备干部储备少。")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pair(seed_round: Any, later_round: Any) -> tuple[Problem, Problem]:
    new = Problem.objects.get(round=later_round, unit__name=DONGCHENG, order=1)
    old = Problem.objects.get(round=seed_round, unit__name=DONGCHENG, order=1)
    return new, old


def _sign_off(problem: Problem, at: datetime.datetime) -> None:
    problem.status = RectificationStatus.SIGNED_OFF
    problem.save(update_fields=["status"])
    event = record(None, Action.SIGNED_OFF, problem=problem)
    event.at = at
    event.save(update_fields=["at"])


def test_the_problem_page_links_to_the_earlier_signed_off_problem(
    seed_round: Any, later_round: Any, alice: Any
) -> None:
    new, old = _pair(seed_round, later_round)
    _sign_off(old, datetime.datetime(2024, 3, 15, 10, tzinfo=datetime.UTC))
    page = _client(alice).get(f"/problems/{new.pk}/").content.decode()
    assert "曾于 十二届第五轮 反馈，已于 2024年3月 销号" in page
    assert f'href="/problems/{old.pk}/"' in page
    assert "人才振兴" in page.split('id="recurrence"')[1]  # the matched words are shown


def test_the_api_gives_related_with_round_and_status(
    seed_round: Any, later_round: Any, alice: Any
) -> None:
    new, old = _pair(seed_round, later_round)
    data = _client(alice).get(f"/api/problems/{new.pk}").json()
    [first] = data["related"]
    assert first["id"] == old.pk
    assert first["round"] == {"id": seed_round.pk, "name": seed_round.display_name}
    assert first["status"] == old.status and first["signed_off_at"] is None
    assert first["score"] == 1.0 and first["terms"]
    # Nothing is earlier than the first round.
    assert _client(alice).get(f"/api/problems/{old.pk}").json()["related"] == []


def test_a_unit_sees_its_own_earlier_problem_but_not_a_region_mates(
    seed_round: Any, later_round: Any, alice: Any
) -> None:
    new, old = _pair(seed_round, later_round)
    mate = PartyOrganisation.objects.create(
        name="木垒县东城镇人民政府党组", region=new.unit.region,
    )
    Inspection.objects.create(round=seed_round, unit=mate, order=99)
    [twin] = add_problems(alice, Inspection.objects.get(round=seed_round, unit=mate),
                          [NewProblem(text=new.text)])
    office = {r["id"] for r in _client(alice).get(f"/api/problems/{new.pk}").json()["related"]}
    assert office == {old.pk, twin.pk}
    unit = create_user("dongcheng", Role.UNIT, unit=DONGCHENG).user
    mine = {r["id"] for r in _client(unit).get(f"/api/problems/{new.pk}").json()["related"]}
    assert mine == {old.pk}
    page = _client(unit).get(f"/problems/{new.pk}/").content.decode()
    assert f'href="/problems/{old.pk}/"' in page and f"/problems/{twin.pk}/" not in page


def _similar_pair(seed_round: Any, alice: Any) -> list[Problem]:
    made = []
    for name, text in zip(("木垒县东城镇党委", "奇台县七户乡党委"), RESERVE, strict=True):
        inspection = Inspection.objects.get(round=seed_round, unit__name=name)
        made += add_problems(alice, inspection, [NewProblem(text=text)])
    return made


def test_common_groups_in_the_api_and_on_the_page(seed_round: Any, alice: Any) -> None:
    assert _client(alice).get(f"/api/rounds/{seed_round.pk}/common-problems").json() == []
    a, b = _similar_pair(seed_round, alice)
    [found] = _client(alice).get(f"/api/rounds/{seed_round.pk}/common-problems").json()
    assert found["problems"] == [a.pk, b.pk]
    assert [u["name"] for u in found["units"]] == ["木垒县东城镇党委", "奇台县七户乡党委"]
    assert "村级后备力量" in found["terms"] and found["of_units"] == 7
    page = _client(alice).get(f"/rounds/{seed_round.pk}/common/").content.decode()
    assert "村级后备力量 — 2 / 7 个单位" in page
    assert "向本轮全部被巡察单位提出整改要求" in page
    # A unit sees its own problems only: no group spans two units for it.
    unit = create_user("dongcheng", Role.UNIT, unit=DONGCHENG).user
    assert _client(unit).get(f"/api/rounds/{seed_round.pk}/common-problems").json() == []
    page = _client(unit).get(f"/rounds/{seed_round.pk}/common/").content.decode()
    assert "向本轮全部" not in page


def test_the_office_raises_a_requirement_from_the_page(seed_round: Any, alice: Any) -> None:
    a, b = _similar_pair(seed_round, alice)
    response = _client(alice).post(f"/rounds/{seed_round.pk}/common/raise/", {
        "group": "0", "g0-text": "各单位对照村级后备力量不足问题举一反三。",
        "g0-problems": f"{a.pk},{b.pk}", "g0-terms": "村级后备力量",
    })
    assert response.status_code == 302
    requirement = CommonRequirement.objects.get()
    assert requirement.source_problems == [a.pk, b.pk] and requirement.terms == ["村级后备力量"]
    item = requirement.items.select_related("problem").first()
    assert item is not None
    page = _client(alice).get(f"/problems/{item.problem.pk}/").content.decode()
    assert 'id="common-requirement-mark"' in page


@pytest.mark.parametrize(("threshold", "grouped"), [("0.50", True), ("0.90", False)])
def test_the_office_tunes_the_threshold(
    seed_round: Any, alice: Any, threshold: str, grouped: bool
) -> None:
    _similar_pair(seed_round, alice)
    page = _client(alice).get("/similar/settings/").content.decode()
    assert "相邻两字" in page  # the explanation of what the number means
    response = _client(alice).post("/similar/settings/", {"threshold": threshold,
                                                          "min_units": "2"})
    assert response.status_code == 302
    assert str(SimilaritySettings.current().threshold) == threshold
    found = _client(alice).get(f"/api/rounds/{seed_round.pk}/common-problems").json()
    assert bool(found) is grouped
    refused = _client(alice).post("/similar/settings/", {"threshold": "0.05", "min_units": "2"})
    assert refused.status_code == 400


def test_the_committee_view_merges_groups_across_rounds(
    seed_round: Any, later_round: Any, alice: Any
) -> None:
    for round_ in (seed_round, later_round):
        for name, text in zip(("木垒县东城镇党委", "奇台县七户乡党委"), RESERVE, strict=True):
            inspection = Inspection.objects.get(round=round_, unit__name=name)
            add_problems(alice, inspection, [NewProblem(text=text)])
    client = _client(alice)
    one = client.get(f"/rounds/{later_round.pk}/common/").content.decode()
    assert "见于 2 轮" not in one and "村级后备力量 — 2 / 7 个单位" in one
    both = client.get(f"/rounds/{later_round.pk}/common/?scope=committee").content.decode()
    # The seed's own problems, imported twice, are alike within each unit only: one unit per
    # round, so no group; the added pair forms one group per round, merged here.
    assert "村级后备力量 — 2 / 14 个单位，见于 2 轮" in both
    assert "向本轮全部" not in both
