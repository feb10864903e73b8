from __future__ import annotations

import pytest

from xuncha.notices.places import level_of, place_path


@pytest.mark.parametrize(
    ("place", "path"),
    [
        ("木垒县东城镇", [("木垒县", "county"), ("东城镇", "township")]),
        ("昌吉市北京南路街道", [("昌吉市", "county"), ("北京南路街道", "township")]),
        (
            "奇台县七户乡平顶村",
            [("奇台县", "county"), ("七户乡", "township"), ("平顶村", "village")],
        ),
        ("昌吉回族自治州", [("昌吉回族自治州", "prefecture")]),
        # 红旗 ends in 旗 (a banner) but is the start of the village's name.
        (
            "木垒县东城镇红旗村",
            [("木垒县", "county"), ("东城镇", "township"), ("红旗村", "village")],
        ),
        ("奇台县城市社区", [("奇台县", "county"), ("城市社区", "village")]),
        (
            "乌鲁木齐市天山区燕儿窝街道",
            [("乌鲁木齐市天山区", "county"), ("燕儿窝街道", "township")],
        ),
        (
            "阜康市阜新街道油运基地社区",
            [("阜康市", "county"), ("阜新街道", "township"), ("油运基地社区", "village")],
        ),
    ],
)
def test_places_split_into_descending_levels(place: str, path: list[tuple[str, str]]) -> None:
    assert place_path(place) == path


def test_longer_suffixes_win() -> None:
    assert level_of("油运基地社区") == "village"
    assert level_of("新市区") == "county"
