"""Setting up a round: the services of xuncha.workflow.rounds."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xuncha import access
from xuncha.accounts.models import Profile, Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import (
    Inspection,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    Region,
    Round,
)
from xuncha.workflow import rounds
from xuncha.workflow.models import Action, Event
from xuncha.workflow.services import ServiceError

pytestmark = pytest.mark.django_db

ROUND = {"committee": "昌吉州党委", "term": 12, "number": 6, "kinds": ["常规", "基层组织建设专项"],
         "inspection_start": "2026-03-01", "inspection_end": "2026-04-30"}


def _events(action: Action) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("id"))


@pytest.fixture
def new_round(people: dict[str, Any]) -> Round:
    return rounds.create_round(people["office"], ROUND)


def test_the_office_creates_a_round_of_its_committee(
    people: dict[str, Any], seed_round: Round
) -> None:
    round_ = rounds.create_round(people["office"], ROUND)
    assert round_.committee == seed_round.committee
    assert (round_.term, round_.number) == ("十二届", 6)
    assert round_.display_name == "十二届昌吉州党委第六轮巡察"
    assert [k.label for k in round_.kinds.all()] == ["常规巡察", "基层组织建设专项巡察"]
    assert round_.inspection_end == datetime.date(2026, 4, 30)
    [event] = _events(Action.ROUND_CREATED)
    assert event.round == round_
    assert event.changes["kinds"] == [None, "常规巡察、基层组织建设专项巡察"]
    assert access.rounds_for(people["office"]).filter(pk=round_.pk).exists()


def test_a_round_that_exists_is_refused_in_chinese(
    people: dict[str, Any], seed_round: Round
) -> None:
    with pytest.raises(ServiceError) as refused:
        rounds.create_round(people["office"], ROUND | {"term": "十二届", "number": "五"})
    assert refused.value.message == "昌吉州党委十二届第五轮巡察已存在，请检查届次和轮次"
    assert refused.value.field == "number"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kinds": []}, "kinds", "请至少选择一种巡察类型"),
        ({"kinds": ["巡逻"]}, "kinds", "巡察类型“巡逻”无效"),
        ({"term": "十二期"}, "term", "届次“十二期”无效"),
        ({"number": "x"}, "number", "轮次“x”须为整数"),
        ({"inspection_end": "2026-02-01"}, "inspection_end", "进驻结束日期不能早于开始日期"),
        ({"inspection_start": "2026-02-30"}, "inspection_start", "不是有效日期"),
    ],
)
def test_bad_round_facts_are_refused_naming_the_field(
    people: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        rounds.create_round(people["office"], ROUND | change)
    assert refused.value.field == field and message in refused.value.message


def test_only_the_office_creates_rounds(people: dict[str, Any]) -> None:
    for name in ("group1", "unit_a", "supervisor"):
        with pytest.raises(PermissionDenied):
            rounds.create_round(people[name], ROUND)


def test_a_new_committee_is_placed_on_the_existing_region(people: dict[str, Any]) -> None:
    Profile.objects.filter(user=people["office"]).update(committee=None)
    superuser = type(people["office"]).objects.get(username="office")
    round_ = rounds.create_round(superuser, ROUND | {"committee": "中共木垒县委"})
    assert round_.committee.name == "木垒县委"
    assert round_.committee.region == Region.objects.get(name="木垒县")


def test_an_office_cannot_plan_another_committees_round(people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError, match="只能为本巡察主体"):
        rounds.create_round(people["office"], ROUND | {"committee": "奇台县委"})


def test_edits_are_recorded_with_old_and_new(people: dict[str, Any], new_round: Round) -> None:
    rounds.edit_round(people["office"], new_round, {
        "number": 7, "kinds": ["机动"], "title": "第七轮", "feedback_date": "2026-05-20"})
    new_round.refresh_from_db()
    assert new_round.number == 7 and [k.kind for k in new_round.kinds.all()] == ["mobile"]
    [event] = _events(Action.ROUND_EDITED)
    assert event.changes["number"] == [6, 7]
    assert event.changes["kinds"] == ["常规巡察、基层组织建设专项巡察", "机动巡察"]
    assert event.changes["feedback_date"] == [None, "2026-05-20"]
    assert list(rounds.round_history(new_round)) == [*_events(Action.ROUND_CREATED), event]


def test_deadlines_set_with_the_round_are_recorded_as_deadlines(
    people: dict[str, Any], new_round: Round
) -> None:
    rounds.edit_round(people["office"], new_round, {
        "title": "第六轮", "plan_due_date": "2026-06-20", "rectification_due_date": "2026-09-20"})
    [facts] = _events(Action.ROUND_EDITED)
    [deadlines] = _events(Action.DEADLINES_CHANGED)
    assert set(facts.changes) == {"title"}
    assert deadlines.changes == {"plan_due_date": [None, "2026-06-20"],
                                 "rectification_due_date": [None, "2026-09-20"]}


def test_an_edit_onto_an_existing_round_is_refused(
    people: dict[str, Any], new_round: Round
) -> None:
    with pytest.raises(ServiceError, match="第五轮巡察已存在"):
        rounds.edit_round(people["office"], new_round, {"number": 5})


# --- groups -----------------------------------------------------------------------------------


@pytest.fixture
def inspectors(people: dict[str, Any]) -> dict[str, Any]:
    """Two group accounts that a new round's group can take in (their legacy group aside)."""
    return {name: create_user(name, Role.GROUP, group="第三巡察组", full_name=full).user
            for name, full in (("wang", "王组长"), ("li", "李组员"))}


def test_a_group_with_its_leader_and_members(
    people: dict[str, Any], new_round: Round, inspectors: dict[str, Any]
) -> None:
    group = rounds.add_group(people["office"], new_round, {"name": "第一巡察组"},
                             leader=inspectors["wang"], members=[inspectors["li"]])
    assert (group.number, group.leader) == (1, "王组长")
    assert [(m.user.username, m.is_leader) for m in group.members.all()] == [
        ("wang", True), ("li", False)]
    [event] = _events(Action.GROUP_ADDED)
    assert event.changes["members"] == [None, "wang（组长）、li"]


def test_a_group_name_is_unique_in_its_round(people: dict[str, Any], new_round: Round) -> None:
    rounds.add_group(people["office"], new_round, {"number": 2})
    with pytest.raises(ServiceError, match="本轮已有“第二巡察组”"):
        rounds.add_group(people["office"], new_round, {"name": "第二巡察组"})


def test_only_group_accounts_join_a_group(people: dict[str, Any], new_round: Round) -> None:
    with pytest.raises(ServiceError, match="不是巡察组角色") as refused:
        rounds.add_group(people["office"], new_round, {"name": "第一巡察组"},
                         members=[people["unit_a"]])
    assert refused.value.field == "members"


def test_members_see_and_review_the_units_their_group_inspects(
    people: dict[str, Any], new_round: Round, inspectors: dict[str, Any]
) -> None:
    group = rounds.add_group(people["office"], new_round, {"name": "第一巡察组"},
                             leader=inspectors["wang"])
    inspection = rounds.add_inspection(people["office"], new_round, unit="木垒县东城镇党委",
                                       group=group.pk)
    wang, li = inspectors["wang"], inspectors["li"]
    # Their legacy profile group (第三巡察组 of the seed round) still counts, without duplicates.
    assert sorted(i.unit.name for i in access.inspections_for(wang)) == [
        "吉木萨尔县北庭镇党委", "木垒县东城镇党委"]
    assert inspection not in access.inspections_for(li)
    [problem] = rounds.add_problems(wang, inspection, [rounds.NewProblem("学习不到位")])
    assert access.can_review(wang, problem) and not access.can_review(li, problem)
    rounds.edit_group(people["office"], group, {"name": "第一巡察组"}, leader=li)
    assert access.can_review(li, problem) and not access.can_review(wang, problem)
    [edit] = _events(Action.GROUP_EDITED)
    assert edit.changes["members"] == ["wang（组长）", "li（组长）"]


# --- units ------------------------------------------------------------------------------------


def test_a_unit_from_the_register_and_a_new_one(people: dict[str, Any], new_round: Round) -> None:
    group = rounds.add_group(people["office"], new_round, {"name": "第一巡察组"})
    known = rounds.add_inspection(people["office"], new_round, unit="木垒县东城镇党委",
                                  group=group.pk, feedback_date="2026-05-20")
    new = rounds.add_inspection(people["office"], new_round, unit="木垒县雀仁乡党委")
    assert known.unit == PartyOrganisation.objects.get(name="木垒县东城镇党委")
    assert (known.order, new.order) == (1, 2)
    assert known.feedback_date == datetime.date(2026, 5, 20)
    assert new.unit.get_form_display() == "党委"
    assert new.unit.region.name == "雀仁乡"
    assert new.unit.region.parent == Region.objects.get(name="木垒县")
    assert [e.changes["unit"] for e in _events(Action.INSPECTION_ADDED)] == [
        [None, "木垒县东城镇党委"], [None, "木垒县雀仁乡党委"]]
    assert _events(Action.UNIT_REGISTERED)[0].changes["unit"] == [None, "木垒县雀仁乡党委"]
    with pytest.raises(ServiceError, match="本轮已有被巡察单位"):
        rounds.add_inspection(people["office"], new_round, unit="木垒县雀仁乡党委")


def test_a_group_of_another_round_is_refused(
    people: dict[str, Any], new_round: Round, seed_round: Round
) -> None:
    other = seed_round.groups.first()
    with pytest.raises(ServiceError, match="不属于本轮巡察") as refused:
        rounds.add_inspection(people["office"], new_round, unit="木垒县东城镇党委", group=other.pk)
    assert refused.value.field == "group"


def test_a_unit_gets_its_own_dates(people: dict[str, Any], seed_round: Round) -> None:
    inspection = Inspection.objects.get(round=seed_round, unit__name="木垒县东城镇党委")
    rounds.edit_inspection(people["office"], inspection, {
        "feedback_date": "2024-01-05", "plan_due_date": "2024-02-05",
        "rectification_due_date": "2024-04-05"})
    inspection.refresh_from_db()
    assert inspection.effective_plan_due_date == datetime.date(2024, 2, 5)
    [event] = _events(Action.INSPECTION_EDITED)
    assert event.comment == "木垒县东城镇党委"
    assert event.changes["plan_due_date"] == [None, "2024-02-05"]
    with pytest.raises(ServiceError, match="不能早于"):
        rounds.edit_inspection(people["office"], inspection, {"plan_due_date": "2024-05-01"})
    with pytest.raises(PermissionDenied):
        rounds.edit_inspection(people["group1"], inspection, {"plan_due_date": "2024-03-01"})


# --- problems ---------------------------------------------------------------------------------


def test_a_pasted_block_is_previewed_with_suggested_categories(seed_round: Round) -> None:
    ProblemCategory.objects.update_or_create(
        code="3", defaults={"name": "基层党组织建设", "keywords": "三会一课、发展党员"})
    preview = rounds.preview_block("一、三会一课记录不规范。\n二、学习不到位。\n三、资金白条入账。")
    assert [p.text for p in preview] == ["三会一课记录不规范。", "学习不到位。", "资金白条入账。"]
    assert preview[0].category.code == "3"
    with pytest.raises(ServiceError, match="请粘贴反馈问题"):
        rounds.preview_block("  \n")


def test_problems_are_numbered_on_in_one_transaction(
    people: dict[str, Any], seed_round: Round
) -> None:
    inspection = Inspection.objects.get(round=seed_round, unit__name="木垒县东城镇党委")
    items = [rounds.NewProblem("甲"), rounds.NewProblem("乙", immediate=True)]
    created = rounds.add_problems(people["group1"], inspection, items)
    assert [(p.order, p.text, p.immediate) for p in created] == [(4, "甲", False), (5, "乙", True)]
    assert len(_events(Action.PROBLEM_CREATED)) == 2
    with pytest.raises(ServiceError, match="第2个问题不能超过 8000 字"):
        rounds.add_problems(people["office"], inspection,
                            [rounds.NewProblem("丙"), rounds.NewProblem("丁" * 8001)])
    assert Problem.objects.filter(round=seed_round, unit=inspection.unit).count() == 5
    with pytest.raises(PermissionDenied):
        rounds.add_problems(people["group2"], inspection, items)


# --- the unit register ------------------------------------------------------------------------


def test_rename_refuses_a_name_in_use(people: dict[str, Any], seed_round: Round) -> None:
    unit = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    rounds.rename_unit(people["office"], unit, "木垒县东城镇委员会")
    assert Event.objects.get(action=Action.UNIT_RENAMED).changes["unit"] == [
        "木垒县东城镇党委", "木垒县东城镇委员会"]
    with pytest.raises(ServiceError, match="单位名录中已有“奇台县七户乡党委”"):
        rounds.rename_unit(people["office"], unit, "奇台县七户乡党委")


def test_merging_moves_inspections_problems_and_users(
    people: dict[str, Any], seed_round: Round, new_round: Round
) -> None:
    duplicate = rounds.register_unit(people["office"], name="东城镇党委", region="东城镇")
    inspection = rounds.add_inspection(people["office"], new_round, unit=duplicate)
    rounds.add_problems(people["office"], inspection, [rounds.NewProblem("甲")])
    Profile.objects.filter(user=people["unit_b"]).update(unit=duplicate)
    target = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    rounds.merge_units(people["office"], duplicate, target)
    assert not PartyOrganisation.objects.filter(pk=duplicate.pk).exists()
    assert Inspection.objects.get(round=new_round).unit == target
    assert Problem.objects.filter(unit=target).count() == 4
    assert Profile.objects.get(user=people["unit_b"]).unit == target
    assert Event.objects.get(action=Action.UNITS_MERGED).changes["unit"] == [
        "东城镇党委", "木垒县东城镇党委"]


def test_units_inspected_in_the_same_round_are_not_merged(
    people: dict[str, Any], seed_round: Round
) -> None:
    a = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    b = PartyOrganisation.objects.get(name="奇台县七户乡党委")
    with pytest.raises(ServiceError, match="都在十二届昌吉州党委第五轮巡察中被巡察，不能合并"):
        rounds.merge_units(people["office"], a, b)
    assert PartyOrganisation.objects.filter(pk=a.pk).exists()


def test_regions_are_added_renamed_and_merged(people: dict[str, Any], seed_round: Round) -> None:
    office = people["office"]
    county = Region.objects.get(name="木垒县")
    twin = rounds.add_region(office, name="木垒", level="县/市/区",
                             parent=Region.objects.get(name="昌吉州"))
    town = rounds.add_region(office, name="雀仁乡", parent=twin)
    assert town.level == Region.Level.TOWNSHIP
    with pytest.raises(ServiceError, match="同一上级下已有区划“木垒县”"):
        rounds.rename_region(office, twin, "木垒县")
    with pytest.raises(ServiceError, match="是“木垒”的下级"):
        rounds.merge_regions(office, twin, town)
    rounds.merge_regions(office, twin, county)
    town.refresh_from_db()
    assert town.parent == county and not Region.objects.filter(pk=twin.pk).exists()
    assert [e.action for e in Event.objects.order_by("id")] == [
        Action.REGION_ADDED, Action.REGION_ADDED, Action.REGIONS_MERGED]


def test_a_new_unit_is_read_below_the_region_picked(people: dict[str, Any],
                                                    seed_round: Round) -> None:
    office = people["office"]
    town = Region.objects.get(name="东城镇")
    village = rounds.register_unit(office, name="木垒县东城镇新户村党支部", region=town)
    assert (village.region.name, village.region.parent) == ("新户村", town)
    assert village.get_form_display() == "党支部"
    bare = rounds.register_unit(office, name="东城镇机关党支部", region="木垒县东城镇")
    assert bare.region == town
    with pytest.raises(ServiceError, match="无法识别区划“某地”"):
        rounds.register_unit(office, name="某单位党委", region="某地")
