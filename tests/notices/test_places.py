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
