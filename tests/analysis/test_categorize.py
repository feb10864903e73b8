"""Category labels offices write in their ledgers, matched to the taxonomy."""

from __future__ import annotations

import pytest

from xuncha.analysis.categorize import match_category_label

TAXONOMY = ["政治建设与决策部署落实", "群众身边腐败和作风问题", "基层党组织建设", "民生与惠民政策",
            "全面从严治党责任", "干部队伍与选人用人", "巡察审计等监督发现问题整改", "其他"]


@pytest.mark.parametrize(("label", "name"), [
    ("基层党组织建设", "基层党组织建设"),
    ("一、政治建设方面", "政治建设与决策部署落实"),
    ("组织建设", "基层党组织建设"),
    ("作风建设方面问题", "群众身边腐败和作风问题"),
    ("（三）选人用人", "干部队伍与选人用人"),
    ("全面从严治党", "全面从严治党责任"),
    ("民生", "民生与惠民政策"),
])
def test_an_office_label_finds_its_category(label: str, name: str) -> None:
    assert match_category_label(label, TAXONOMY) == name


@pytest.mark.parametrize("label", ["建设", "方面", "乡村振兴", "问题", "x"])
def test_a_label_that_names_nothing_or_several_is_left_unset(label: str) -> None:
    assert match_category_label(label, TAXONOMY) is None
