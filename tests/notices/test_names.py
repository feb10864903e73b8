from __future__ import annotations

import pytest

from xuncha.notices.names import (
    cn_to_int,
    county_of,
    int_to_cn,
    short_issuer,
    split_org_form,
    unit_name_from_formal,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [("〇", 0), ("零", 0), ("一", 1), ("五", 5), ("十", 10), ("十二", 12), ("二十", 20),
     ("二十五", 25), ("九十九", 99), ("一百", 100), ("一百零五", 105), ("两", 2), ("12", 12)],
)
def test_it_reads_chinese_numerals(text, number):
    assert cn_to_int(text) == number


def test_it_writes_every_numeral_it_reads_back():
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1000))
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 99, 110)] == [
        "一", "十", "十一", "二十", "九十九", "一百一十"]


@pytest.mark.parametrize("text", ["", "五a", "第五"])
def test_it_rejects_what_is_not_a_numeral(text):
    with pytest.raises(ValueError):
        cn_to_int(text)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("木垒县东城镇党委", ("木垒县东城镇", "党委")),
        ("阜康市阜新街道党工委", ("阜康市阜新街道", "党工委")),
        ("黑梁村党总支", ("黑梁村", "党总支")),
        ("新科园社区党支部", ("新科园社区", "党支部")),
        ("县住建局党组", ("县住建局", "党组")),
        ("某某村委员会", ("某某村", "委员会")),
        ("县巡察办", ("县巡察办", "")),
    ],
)
def test_it_splits_a_unit_name_into_place_and_form(name, parts):
    assert split_org_form(name) == parts


@pytest.mark.parametrize(
    ("place", "county"),
    [
        ("木垒县东城镇", "木垒县"),
        ("昌吉市北京南路街道", "昌吉市"),
        ("吉木萨尔县北庭镇", "吉木萨尔县"),
        ("昌吉州木垒哈萨克自治县东城镇", "木垒哈萨克自治县"),
        ("北京南路街道", None),
        ("油运基地社区", None),
        ("县市场监管局", None),
    ],
)
def test_it_finds_the_county_of_a_place(place, county):
    assert county_of(place) == county


@pytest.mark.parametrize(
    ("formal", "unit"),
    [
        ("中共玛纳斯县乐土驿镇委员会", "玛纳斯县乐土驿镇党委"),
        ("中共阜康市阜新街道工作委员会", "阜康市阜新街道党工委"),
        ("中共黑梁村总支部委员会", "黑梁村党总支"),
        ("中共某县住建局党组", "某县住建局党组"),
    ],
)
def test_it_shortens_formal_party_names(formal, unit):
    assert unit_name_from_formal(formal) == unit


@pytest.mark.parametrize(
    ("issuer", "short"),
    [("昌吉州党委", "州党委"), ("木垒县委", "县委"), ("新疆维吾尔自治区党委", "自治区党委"),
     ("州党委", "州党委"), ("巡察办", "巡察办")],
)
def test_it_gives_the_short_form_of_an_issuer(issuer, short):
    assert short_issuer(issuer) == short


@pytest.mark.parametrize(
    ("formal", "short"),
    [
        ("中共上海市徐汇区委员会", "徐汇区委"),
        ("中共某省委员会", "某省委"),
        ("中共新疆维吾尔自治区委员会", "新疆维吾尔自治区党委"),
        ("中共某大学委员会", "某大学党委"),
        ("中共白沙新区建设指挥部委员会", "白沙新区建设指挥部党委"),
        ("中共某县某镇委员会", "某县某镇党委"),
        ("中共某市某街道工作委员会", "某市某街道党工委"),
        ("中共某县委统战部", "某县委统战部"),
        ("州党委", "州党委"),
        ("中央", "中央"),
    ],
)
def test_it_gives_the_short_name_a_committee_goes_by(formal, short):
    from xuncha.notices.names import committee_name

    assert committee_name(formal) == short
