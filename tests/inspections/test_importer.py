from __future__ import annotations

import datetime

import pytest

from tests.conftest import FIXTURES, SEED
from xuncha.inspections.importer import import_notice
from xuncha.inspections.models import (
    Committee,
    Inspection,
    InspectionGroup,
    PartyOrganisation,
    Problem,
    Region,
    Round,
    SourceDocument,
)
from xuncha.notices.parse import parse_document

pytestmark = pytest.mark.django_db

SEED_UNITS = [
    ("木垒县东城镇党委", "木垒县"),
    ("奇台县七户乡党委", "奇台县"),
    ("吉木萨尔县北庭镇党委", "吉木萨尔县"),
    ("阜康市阜新街道党工委", "阜康市"),
    ("昌吉市北京南路街道党工委", "昌吉市"),
    ("呼图壁县大丰镇党委", "呼图壁县"),
    ("玛纳斯县乐土驿镇党委", "玛纳斯县"),
]


def _import(path, name=None):  # type: ignore[no-untyped-def]
    data = path.read_bytes()
    return import_notice(parse_document(data, path.name), filename=name or path.name, content=data)


def test_it_stores_the_seed_round_with_its_facts(seed_round: Round) -> None:
    assert seed_round.committee.name == "昌吉州党委"
    assert seed_round.committee.short_name == "州党委"
    assert (seed_round.term, seed_round.number) == ("十二届", 5)
    assert [k.label for k in seed_round.kinds.all()] == ["常规巡察", "基层组织建设专项巡察"]
    assert seed_round.inspection_start == datetime.date(2023, 8, 29)
    assert seed_round.inspection_end == datetime.date(2023, 10, 26)
    assert seed_round.feedback_display == "2023年12月"
    assert seed_round.scope_label == "乡镇(街道)"
    assert InspectionGroup.objects.filter(round=seed_round).count() == 7


def test_it_places_units_in_the_region_tree(seed_round: Round) -> None:
    inspections = Inspection.objects.filter(round=seed_round).select_related("unit")
    assert [(i.unit.name, i.unit.county.name) for i in inspections] == SEED_UNITS
    dongcheng = PartyOrganisation.objects.get(name="木垒县东城镇党委")
    assert dongcheng.get_form_display() == "党委"
    assert dongcheng.region.name == "东城镇"
    assert dongcheng.region.level == Region.Level.TOWNSHIP
    assert dongcheng.region.parent.parent.name == "昌吉州"
    assert PartyOrganisation.objects.get(name="阜康市阜新街道党工委").get_form_display() == "党工委"


def test_it_stores_three_problems_per_unit_in_order(seed_round: Round) -> None:
    for unit_name, _county in SEED_UNITS:
        problems = Problem.objects.filter(round=seed_round, unit__name=unit_name)
        assert [p.order for p in problems] == [1, 2, 3]
    first = Problem.objects.get(round=seed_round, unit__name="木垒县东城镇党委", order=1)
    assert first.text.startswith("人才振兴问题突出。")
    assert first.published_rectification.startswith("制定村级后备干部选拔培养相关制度")
    assert first.status == "not_started"


def test_it_suggests_categories_from_the_taxonomy(seed_round: Round) -> None:
    problem = Problem.objects.get(round=seed_round, text__contains="临时救助资金")
    assert problem.category is not None
    assert problem.category.name == "民生与惠民政策"


def test_importing_the_same_notice_again_changes_nothing(seed_round: Round) -> None:
    before = (Problem.objects.count(), Region.objects.count(), SourceDocument.objects.count())
    result = _import(SEED)
    assert not result.changed
    assert "已导入过，未作任何更改" in result.summary()
    assert (
        Problem.objects.count(),
        Region.objects.count(),
        SourceDocument.objects.count(),
    ) == before


def test_the_same_facts_in_another_encoding_change_nothing(seed_round: Round) -> None:
    result = _import(FIXTURES / "a-seed-fullwidth.gb18030.txt")
    assert not result.changed
    assert Problem.objects.count() == 21


def test_a_units_own_notice_joins_the_existing_round(seed_round: Round) -> None:
    result = _import(FIXTURES / "b-letuyi-unit-notice.txt")
    assert result.round == seed_round
    assert Committee.objects.count() == 1
    assert Problem.objects.count() == 21
    inspection = Inspection.objects.get(round=seed_round, unit__name="玛纳斯县乐土驿镇党委")
    assert inspection.feedback_date == datetime.date(2023, 12, 15)


def test_a_units_own_notice_alone_creates_its_round() -> None:
    result = _import(FIXTURES / "c-dafeng-headline.txt")
    assert result.created["round"] == 1
    assert result.created["problem"] == 3
    assert "新建反馈问题3个" in result.summary()
    assert Problem.objects.filter(unit__name="呼图壁县大丰镇党委").count() == 3


def test_a_notice_without_term_is_stored_under_a_round_without_term() -> None:
    notice = parse_document(SEED.read_bytes(), SEED.name).replace(term=None)
    result = import_notice(notice, filename="x.txt", content=b"x")
    assert (result.round.term, result.round.number) == ("", 5)
    assert Problem.objects.count() == 21
    assert SourceDocument.objects.get().incomplete is True


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from xuncha.inspections import importer

    calls = {"n": 0}
    original = importer._Importer._problems

    def failing(self, *args):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return original(self, *args)

    monkeypatch.setattr(importer._Importer, "_problems", failing)
    with pytest.raises(RuntimeError):
        _import(SEED)
    assert (Round.objects.count(), Problem.objects.count(), PartyOrganisation.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_plan_deadline_is_offered_from_the_feedback_date(seed_round: Round, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PLAN_DUE_DAYS = 30
    assert seed_round.default_plan_due_date() == datetime.date(2023, 12, 31)
    settings.PLAN_DUE_DAYS = 45
    assert seed_round.default_plan_due_date() == datetime.date(2024, 1, 15)


def _county_notice(issuer: str, unit: str) -> bytes:
    """A county committee's own notice for one of its towns, as the importer receives it."""
    from xuncha.notices.model import Notice, PartialDate, ProblemPair, UnitSection

    return Notice(  # type: ignore[return-value]
        shape="B", title=f"关于{unit}巡察整改进展情况的通报", issuer=issuer, term="十五届",
        round=3, kinds=["常规巡察"], inspection_start=PartialDate(2024, 4, 1),
        inspection_end=PartialDate(2024, 5, 30), feedback_date=PartialDate(2024, 7, 1),
        units=[UnitSection(unit, "木垒县", [ProblemPair("学习制度落实不到位", "已整改")])],
    )


def test_a_county_committee_reuses_the_county_already_in_the_tree(seed_round: Round) -> None:
    county = Region.objects.get(name="木垒县")
    notice = _county_notice("木垒县委", "木垒县东城镇党委")
    import_notice(notice, filename="muleixian.txt", content=b"muleixian")  # type: ignore[arg-type]
    committee = Committee.objects.get(name="木垒县委")
    assert committee.region == county
    assert county.parent.name == "昌吉州"
    assert Region.objects.filter(name="木垒县").count() == 1
    assert Region.objects.filter(name="东城镇").count() == 1


def test_a_county_imported_first_is_placed_under_its_prefecture_later(db: None) -> None:
    notice = _county_notice("木垒县委", "木垒县雀仁乡党委")
    import_notice(notice, filename="muleixian.txt", content=b"muleixian")  # type: ignore[arg-type]
    assert Region.objects.get(name="木垒县").parent is None
    _import(SEED)
    [county] = Region.objects.filter(name="木垒县")
    assert county.parent.name == "昌吉州"
    assert PartyOrganisation.objects.get(name="木垒县东城镇党委").region.parent == county
    assert PartyOrganisation.objects.get(name="木垒县雀仁乡党委").region.parent == county


def test_a_town_of_the_same_name_in_another_county_is_its_own_region(seed_round: Round) -> None:
    from xuncha.inspections.regions import region_for

    region, created = region_for("奇台县东城镇", Region.objects.get(name="昌吉州"))
    assert created == 1
    assert region.parent.name == "奇台县"
    assert Region.objects.filter(name="东城镇").count() == 2


def test_a_county_committees_own_notice_lands_on_the_existing_county(seed_round: Round) -> None:
    """中共木垒县委's notice for 东城镇, written like 乐土驿镇's but by the county committee."""
    text = (FIXTURES / "b-letuyi-unit-notice.txt").read_text(encoding="utf-8")
    for old, new in (("十二届州党委第五轮", "十五届中共木垒县委第三轮"),
                     ("根据州党委", "根据中共木垒县委"), ("州党委第七巡察组", "县委第二巡察组"),
                     ("州党委巡察组", "县委巡察组"), ("玛纳斯县乐土驿镇", "木垒县东城镇")):
        text = text.replace(old, new)
    data = text.encode()
    notice = parse_document(data, "muleixian-dongcheng.txt")
    assert notice.issuer == "木垒县委"  # the short form offices use
    result = import_notice(notice, filename="muleixian-dongcheng.txt", content=data)
    assert result.round.committee.name == "木垒县委"
    assert result.round.committee.region == Region.objects.get(name="木垒县")
    assert result.created["region"] == 0
    assert Region.objects.filter(name="木垒县").count() == 1
    assert Region.objects.filter(name="东城镇").count() == 1
    assert Inspection.objects.get(round=result.round).unit.name == "木垒县东城镇党委"
