"""The round-setup pages: 新建轮次, groups, units, a unit's dates, pasted problems, 单位名录."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.accounts.models import Role
from xuncha.accounts.services import create_user
from xuncha.inspections.models import (
    Inspection,
    PartyOrganisation,
    Problem,
    ProblemCategory,
    Region,
    Round,
)
from xuncha.workflow.models import Action, Event

pytestmark = pytest.mark.django_db

As = Callable[[str], Client]
ROUND_FORM = {"committee": "昌吉州党委", "term": "十二届", "number": "6",
              "kinds": ["regular", "special"], "special_subject": "基层组织建设",
              "inspection_start": "2026-03-01", "inspection_end": "2026-04-30"}


def _html(response: Any) -> str:
    return response.content.decode()


def test_the_round_list_offers_new_round_to_the_office_only(as_: As, seed_round: Round) -> None:
    assert 'id="round-create"' in _html(as_("office").get(reverse("round-list")))
    assert 'id="round-create"' not in _html(as_("group1").get(reverse("round-list")))


def test_the_office_creates_a_round(as_: As, seed_round: Round) -> None:
    response = as_("office").post(reverse("round-create"), ROUND_FORM)
    round_ = Round.objects.get(number=6)
    assert response.status_code == 302
    assert response["Location"] == reverse("round-detail", args=[round_.pk])
    assert [k.label for k in round_.kinds.all()] == ["常规巡察", "基层组织建设专项巡察"]


def test_a_duplicate_round_comes_back_with_the_error_by_the_field(
    as_: As, seed_round: Round
) -> None:
    response = as_("office").post(reverse("round-create"), ROUND_FORM | {"number": "5"})
    assert response.status_code == 400
    html = _html(response)
    assert "昌吉州党委十二届第五轮巡察已存在" in html and 'value="5"' in html


def test_the_edit_page_shows_the_rounds_history(as_: As, seed_round: Round) -> None:
    office = as_("office")
    form = ROUND_FORM | {"number": "5", "title": "修改后的标题"}
    assert office.post(reverse("round-edit", args=[seed_round.pk]), form).status_code == 302
    html = _html(office.get(reverse("round-edit", args=[seed_round.pk])))
    history = html.split('id="round-history"')[1]
    assert "修改轮次" in history and '<span class="label">标题：</span>' in history
    assert "修改后的标题" in history
    assert Event.objects.filter(action=Action.ROUND_EDITED, round=seed_round).exists()


def test_groups_get_members_who_then_see_their_units(
    as_: As, people: dict[str, Any], seed_round: Round
) -> None:
    office = as_("office")
    wang = create_user("wang", Role.GROUP, group="第七巡察组", full_name="王组长").user
    round_ = Round.objects.get(pk=seed_round.pk)
    response = office.post(reverse("group-add", args=[round_.pk]), {"name": "第八巡察组"})
    assert response.status_code == 302
    group = round_.groups.get(name="第八巡察组")
    response = office.post(reverse("group-edit", args=[group.pk]),
                           {"name": "第八巡察组", "leader": wang.pk})
    assert response.status_code == 302
    html = _html(office.get(reverse("round-detail", args=[round_.pk])))
    assert "王组长（wang）" in html and "组长</span>" in html
    office.post(reverse("inspection-dates", args=[round_.pk, people["unit_a"].profile.unit_id]),
                {"group": group.pk, "sent_from": "unit-page"})
    client = Client()
    client.force_login(wang)  # type: ignore[arg-type]
    unit_url = reverse("unit-detail", args=[round_.pk, people["unit_a"].profile.unit_id])
    assert client.get(unit_url).status_code == 200


def test_a_non_group_account_is_refused_as_member(
    as_: As, people: dict[str, Any], seed_round: Round
) -> None:
    group = seed_round.groups.get(name="第一巡察组")
    response = as_("office").post(reverse("group-edit", args=[group.pk]),
                                  {"name": "第一巡察组", "members": [people["unit_a"].pk]})
    # Only group accounts are offered: anyone else is not even a valid choice.
    assert response.status_code == 400
    assert "组员的选项无效" in _html(response)


def test_a_unit_is_added_from_the_register_or_new(as_: As, seed_round: Round) -> None:
    office = as_("office")
    round_ = Round.objects.create(committee=seed_round.committee, term="十二届", number=6)
    url = reverse("inspection-add", args=[round_.pk])
    assert office.post(url, {"unit": "木垒县东城镇党委"}).status_code == 302
    assert office.post(url, {"unit": "木垒县雀仁乡党委", "region": "木垒县",
                             "feedback_date": "2026-05-20"}).status_code == 302
    assert [i.unit.name for i in round_.inspections.order_by("order")] == [
        "木垒县东城镇党委", "木垒县雀仁乡党委"]
    again = office.post(url, {"unit": "木垒县东城镇党委"})
    assert again.status_code == 400 and "本轮已有被巡察单位" in _html(again)


def test_a_units_own_deadlines(as_: As, people: dict[str, Any], seed_round: Round) -> None:
    unit_id = people["unit_a"].profile.unit_id
    url = reverse("inspection-dates", args=[seed_round.pk, unit_id])
    response = as_("office").post(url, {"plan_due_date": "2024-02-01", "sent_from": "unit-page",
                                        "rectification_due_date": "2024-01-01"})
    assert response.status_code == 400 and "不能早于" in _html(response)
    response = as_("office").post(url, {"plan_due_date": "2024-02-01", "sent_from": "unit-page",
                                        "feedback_date": "2024-01-02"})
    assert response.status_code == 302
    inspection = Inspection.objects.get(round=seed_round, unit_id=unit_id)
    assert inspection.effective_plan_due_date == datetime.date(2024, 2, 1)
    html = _html(as_("office").get(reverse("unit-detail", args=[seed_round.pk, unit_id])))
    assert "实际适用：整改方案报送时限 2024年2月1日" in html
    # All blank clears the unit's own dates and group: the round's apply again.
    assert as_("office").post(url, {"sent_from": "unit-page"}).status_code == 302
    inspection.refresh_from_db()
    assert (inspection.plan_due_date, inspection.group) == (None, None)


def test_a_pasted_block_is_previewed_then_saved(
    as_: As, people: dict[str, Any], seed_round: Round
) -> None:
    ProblemCategory.objects.update_or_create(
        code="3", defaults={"name": "基层党组织建设", "keywords": "三会一课"})
    unit_id = people["unit_a"].profile.unit_id
    url = reverse("problems-paste", args=[seed_round.pk, unit_id])
    group = as_("group1")
    preview = group.post(url, {"block": "一、三会一课不规范。\n二、学习不到位。\n三、台账缺失。"})
    assert preview.status_code == 200
    html = _html(preview)
    assert "核对反馈问题（3 个）" in html
    assert Problem.objects.filter(round=seed_round, unit_id=unit_id).count() == 3
    rows = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "confirm": "1"}
    texts = ["三会一课不规范。", "学习不到位（已改）。", "台账缺失。"]
    for n, text in enumerate(texts):
        rows |= {f"form-{n}-text": text, f"form-{n}-heading": "", f"form-{n}-category": ""}
        if n != 2:
            rows[f"form-{n}-keep"] = "on"
    rows["form-0-immediate"] = "on"
    saved = group.post(url, rows)
    assert saved.status_code == 302
    created = Problem.objects.filter(round=seed_round, unit_id=unit_id, order__gt=3)
    assert [(p.order, p.text, p.immediate) for p in created.order_by("order")] == [
        (4, "三会一课不规范。", True), (5, "学习不到位（已改）。", False)]


def test_the_preview_suggests_the_category(
    as_: As, people: dict[str, Any], seed_round: Round
) -> None:
    category, _ = ProblemCategory.objects.update_or_create(
        code="3", defaults={"name": "基层党组织建设", "keywords": "三会一课"})
    url = reverse("problems-paste", args=[seed_round.pk, people["unit_a"].profile.unit_id])
    html = _html(as_("office").post(url, {"block": "三会一课不规范"}))
    assert f'<option value="{category.pk}" selected>' in html


def test_the_register_searches_adds_renames_and_refuses_a_merge(
    as_: As, seed_round: Round
) -> None:
    office = as_("office")
    html = _html(office.get(reverse("unit-register"), {"q": "木垒"}))
    assert "木垒县东城镇党委" in html and "奇台县七户乡党委" not in html
    assert office.post(reverse("unit-create"), {"name": "木垒县雀仁乡党委"}).status_code == 302
    new = PartyOrganisation.objects.get(name="木垒县雀仁乡党委")
    assert new.region.parent == Region.objects.get(name="木垒县")
    dongcheng = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    refused = office.post(reverse("unit-merge", args=[dongcheng.pk]),
                          {"into": "奇台县七户乡党委"})
    assert refused.status_code == 400 and "不能合并" in _html(refused)
    assert office.post(reverse("unit-rename", args=[new.pk]),
                       {"name": "木垒县雀仁乡委员会"}).status_code == 302
    assert office.post(reverse("unit-merge", args=[new.pk]),
                       {"into": "木垒县东城镇党委"}).status_code == 302
    assert not PartyOrganisation.objects.filter(pk=new.pk).exists()


def test_regions_are_kept_in_the_register(as_: As, seed_round: Round) -> None:
    office = as_("office")
    assert office.post(reverse("region-create"),
                       {"name": "大石头乡", "parent": "木垒县"}).status_code == 302
    town = Region.objects.get(name="大石头乡")
    assert (town.level, town.parent.name) == (Region.Level.TOWNSHIP, "木垒县")
    refused = office.post(reverse("region-rename", args=[town.pk]), {"name": "东城镇"})
    assert refused.status_code == 400 and "同一上级下已有区划" in _html(refused)
    assert office.post(reverse("region-merge", args=[town.pk]),
                       {"into": "木垒县东城镇"}).status_code == 302
    assert not Region.objects.filter(name="大石头乡").exists()
