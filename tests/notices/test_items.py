from __future__ import annotations

import pytest

from xuncha.notices.items import Item, split_items


def texts(block: str) -> list[str]:
    return [item.text for item in split_items(block)]


def test_one_problem_a_line() -> None:
    assert texts("学习制度落实不到位\n\n  三会一课记录不规范 \n") == [
        "学习制度落实不到位", "三会一课记录不规范"]


@pytest.mark.parametrize(
    "block",
    [
        "一、学习不到位。\n二、记录不规范。\n三、资金管理混乱。",
        "（一）学习不到位。\n（二）记录不规范。\n（三）资金管理混乱。",
        "1.学习不到位。\n2.记录不规范。\n3.资金管理混乱。",
        "1、学习不到位。\n2、记录不规范。\n3、资金管理混乱。",
        "(1)学习不到位。\n(2)记录不规范。\n(3)资金管理混乱。",
        "①学习不到位。\n②记录不规范。\n③资金管理混乱。",
        "１．学习不到位。\n２．记录不规范。\n３．资金管理混乱。",
    ],
)
def test_numbered_items_in_every_style(block: str) -> None:
    assert texts(block) == ["学习不到位。", "记录不规范。", "资金管理混乱。"]


def test_a_broken_paragraph_continues_its_item() -> None:
    block = "一、村集体资金管理不规范，\n存在白条入账问题。\n二、后备干部培养不足。"
    assert texts(block) == ["村集体资金管理不规范，存在白条入账问题。", "后备干部培养不足。"]


def test_the_clerks_punctuation_is_kept() -> None:
    assert texts("一、落实“第一议题”制度不到位，学习流于形式。") == [
        "落实“第一议题”制度不到位，学习流于形式。"]


def test_outer_numbering_over_nested_items_gives_headings() -> None:
    block = (
        "一、在政治建设方面\n1.学习不到位。\n2.第一议题落实不力。\n"
        "二、在基层党建方面\n1.三会一课不规范。"
    )
    assert split_items(block) == [
        Item("学习不到位。", "在政治建设方面"),
        Item("第一议题落实不力。", "在政治建设方面"),
        Item("三会一课不规范。", "在基层党建方面"),
    ]


def test_a_problem_label_is_dropped() -> None:
    assert texts("1.反馈问题：资金管理混乱。\n2.问题：台账缺失。") == [
        "资金管理混乱。", "台账缺失。"]


def test_numbers_inside_text_do_not_split() -> None:
    assert texts("一、2023年收入1.5万元未入账。\n二、另有3.2万元支出无依据。") == [
        "2023年收入1.5万元未入账。", "另有3.2万元支出无依据。"]


def test_a_line_before_the_first_number_stands_alone() -> None:
    assert texts("反馈问题如下：\n一、甲问题。\n二、乙问题。") == [
        "反馈问题如下：", "甲问题。", "乙问题。"]


def test_an_empty_block_has_no_items() -> None:
    assert split_items(" \n\n") == []
