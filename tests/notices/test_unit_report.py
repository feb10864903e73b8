from __future__ import annotations

import pytest

from tests.notices.conftest import FIXTURES
from xuncha.notices.normalize import compare_form
from xuncha.notices.parse import parse_document, parse_text
from xuncha.notices.shapes.unit_report import split_item_heading

SHAPE_D = """中共某县红星乡委员会关于十四届县委第三轮巡察整改进展情况的通报
按照县委统一部署，2024年3月5日至4月30日，县委第二巡察组对红星乡党委开展了常规巡察。2024年6月10日，县委巡察组向红星乡党委反馈了巡察意见。现将整改进展情况予以公布。
一、在贯彻落实党的路线方针政策方面
（一）关于学习贯彻党的创新理论不够深入的问题。一是制定理论学习计划，开展专题学习12次。二是建立学习台账。
（二）关于乡村振兴产业规划不科学的问题。
一是重新编制产业发展规划。
二是引进龙头企业2家。
二、在全面从严治党方面
（一）关于“三重一大”事项集体决策不规范的问题。一是修订议事规则。二是对2023年以来的事项逐一复核。
三、下一步工作打算
（一）持续巩固整改成果。
欢迎广大干部群众监督。联系电话：0000-0000000。
中共某县红星乡委员会
2024年8月1日
"""


def read_fixture(name):
    return parse_document((FIXTURES / name).read_bytes(), name)


def test_it_reads_a_unit_notice_with_problem_and_rectification_labels():
    notice = read_fixture("b-letuyi-unit-notice.txt")
    assert notice.shape == "B"
    assert [(unit.name, unit.region) for unit in notice.units] == [
        ("玛纳斯县乐土驿镇党委", "玛纳斯县")]
    items = notice.units[0].problems
    assert items[2].heading == "关于“落实村财乡管责任不力”的问题"
    assert items[2].problem.startswith("落实村财乡管责任不力。2019年以来")
    assert items[2].rectification.endswith("目前9个村87.2万元固定资产已全部入账。")
    assert not any(
        "下一步" in item.rectification or "联系电话" in item.rectification for item in items)


def test_it_reports_headline_figures_first_as_shape_c():
    notice = read_fixture("c-dafeng-headline.txt")
    assert notice.shape == "C"
    assert notice.units[0].name == "呼图壁县大丰镇党委"
    items = notice.units[0].problems
    assert [item.heading for item in items] == [
        "在推进基层治理改革方面", "在落实安全生产责任方面", "在规范村级事务公开方面"]
    assert items[1].problem.startswith("安全生产责任落实不到位,镇区“飞线”问题随处可见")
    assert items[2].rectification.startswith(
        "修订下发《关于规范村级党务政务财务公开工作的实施意见》")


def test_the_unit_notices_report_what_the_round_notice_does(seed_notice):
    for name, unit in (("b-letuyi-unit-notice.txt", 6), ("c-dafeng-headline.txt", 5)):
        read = read_fixture(name).units[0]
        original = seed_notice.units[unit]
        assert read.name == original.name
        assert [compare_form(p.problem) for p in read.problems] == [
            compare_form(p.problem) for p in original.problems]
        assert [compare_form(p.rectification) for p in read.problems] == [
            compare_form(p.rectification) for p in original.problems]


def test_it_reads_the_provincial_shape_d():
    notice = parse_text(SHAPE_D)
    assert notice.shape == "D"
    assert (notice.issuer, notice.term, notice.round) == ("县委", "十四届", 3)
    assert notice.feedback_date is not None and notice.feedback_date.iso() == "2024-06-10"
    assert notice.units[0].name == "某县红星乡党委"
    items = notice.units[0].problems
    assert [item.problem for item in items] == [
        "学习贯彻党的创新理论不够深入", "乡村振兴产业规划不科学", "“三重一大”事项集体决策不规范"]
    assert items[0].rectification == "一是制定理论学习计划,开展专题学习12次。二是建立学习台账。"
    assert items[1].rectification == "一是重新编制产业发展规划。\n二是引进龙头企业2家。"
    assert items[2].heading == "在全面从严治党方面"


def test_it_reads_items_numbered_1_without_area_headings():
    text = (
        "中共某镇委员会关于十四届县委第三轮巡察整改进展情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某镇党委开展了常规巡察。\n"
        "二、整改落实情况\n"
        "1.关于“甲”问题的整改\n存在问题：甲问题的具体表现。\n整改落实情况：已整改。\n"
        "2.关于乙的问题\n整改进展：乙已整改。\n"
    )
    items = parse_text(text).units[0].problems
    assert [(item.problem, item.rectification) for item in items] == [
        ("甲问题的具体表现。", "已整改。"), ("乙", "乙已整改。")]


def test_it_reads_labelled_pairs_without_item_headings():
    text = (
        "中共某镇委员会关于巡察整改情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某镇党委开展了常规巡察。\n"
        "反馈问题：甲。\n整改情况：甲已改。\n反馈问题：乙。\n整改情况：乙已改。\n"
    )
    assert parse_text(text).units[0].problems[1].rectification == "乙已改。"


def test_it_finds_the_unit_in_the_opening_when_the_title_does_not_name_it():
    text = (
        "关于十二届州党委第五轮巡察整改进展情况的通报\n"
        "根据州党委统一部署，2023年12月15日，州党委巡察组向玛纳斯县乐土驿镇党委反馈了巡察意见。\n"
        "（一）关于“甲”的问题\n问题表现：甲。\n整改情况：已改。\n"
    )
    assert parse_text(text).units[0].name == "玛纳斯县乐土驿镇党委"


def test_it_keeps_an_item_with_a_problem_but_no_rectification():
    text = (
        "中共某镇委员会关于巡察整改进展情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某镇党委开展了常规巡察。\n"
        "（一）关于“甲”的问题\n问题表现：甲。\n（二）关于“乙”的问题\n问题表现：乙。\n整改情况：已改。\n"
    )
    notice = parse_text(text)
    assert [item.problem for item in notice.units[0].problems] == ["甲。", "乙。"]
    assert notice.completeness.missing == ("第4行: “问题表现”后未找到对应的整改情况",)


def test_it_keeps_a_unit_notice_without_items():
    text = (
        "中共某镇委员会关于巡察整改进展情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某镇党委开展了常规巡察。\n"
        "一、加强组织领导\n镇党委召开专题会议研究部署整改工作。\n"
    )
    notice = parse_text(text)
    assert notice.units[0].name == "某镇党委"
    assert notice.completeness.missing == ("未找到逐项列出的反馈问题与整改情况",)


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("关于“落实村财乡管责任不力”的问题",
         ("关于“落实村财乡管责任不力”的问题", "落实村财乡管责任不力", "")),
        ("关于“镇区“飞线”问题随处可见”问题的整改",
         ("关于“镇区“飞线”问题随处可见”问题的整改", "镇区“飞线”问题随处可见", "")),
        ("关于学习不深入的问题。一是加强学习。",
         ("关于学习不深入的问题", "学习不深入", "一是加强学习。")),
        ("关于加强领导", None),
        ("加强组织领导", None),
    ],
)
def test_it_splits_item_headings(text, split):
    assert split_item_heading(text) == split


def test_it_reads_numbered_labels_as_items_of_their_own():
    text = (
        "中共某镇委员会关于巡察整改情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某镇党委开展了常规巡察。\n"
        "二、反馈问题整改情况\n"
        "（一）反馈问题：甲。\n整改情况：甲已改。\n（二）反馈问题：乙。\n整改情况：乙已改。\n"
        "三、下一步工作打算\n持续巩固整改成果。\n"
    )
    items = parse_text(text).units[0].problems
    assert [(item.problem, item.rectification) for item in items] == [
        ("甲。", "甲已改。"), ("乙。", "乙已改。")]


HEAD = ("中共某县某镇委员会关于十四届县委第三轮巡察整改进展情况的通报\n"
        "根据县委统一部署，县委第二巡察组对某县某镇党委开展了常规巡察，现将整改进展情况予以公布。\n")


def test_a_level_three_quote_is_a_sub_problem_never_the_rectification():
    notice = parse_text(HEAD + (
        "（一）在“乡村振兴”方面\n"
        "1.关于“产业发展不力”问题的整改\n"
        "(1)关于“种植基地建设慢”\n整改情况：建成基地1个。\n"
        "(2)关于“资金拨付慢”\n整改情况：资金全部拨付。\n"
        "2.关于“后备干部不足”问题的整改\n整改情况：储备8名。\n"))
    items = notice.units[0].problems
    assert [(item.problem, item.rectification) for item in items] == [
        ("种植基地建设慢", "建成基地1个。"), ("资金拨付慢", "资金全部拨付。"),
        ("后备干部不足", "储备8名。")]
    assert {item.heading for item in items} == {"在“乡村振兴”方面"}


def test_plain_statement_headings_followed_by_rectification_are_problems():
    notice = parse_text(HEAD + (
        "二、整改落实情况\n"
        "（一）意识形态工作责任落实不到位。\n整改情况：每季度专题研究一次。\n"
        "（二）财务报销审核不严。\n整改情况：\n1.修订审批流程。\n2.逐笔复查凭证。\n"))
    items = notice.units[0].problems
    assert [item.problem for item in items] == ["意识形态工作责任落实不到位", "财务报销审核不严"]
    assert items[1].rectification == "1.修订审批流程。\n2.逐笔复查凭证。"


def test_themes_without_problems_report_their_measures():
    notice = parse_text(HEAD + (
        "一、在加强党的领导方面\n1.修订议事规则。\n2.落实第一议题制度。\n"
        "二、在全面从严治党方面\n一是开展专项检查；二是建立风险台账。\n"))
    items = notice.units[0].problems
    assert [(item.problem, item.rectification) for item in items] == [
        ("在加强党的领导方面", "1.修订议事规则。\n2.落实第一议题制度。"),
        ("在全面从严治党方面", "一是开展专项检查;二是建立风险台账。")]
    assert notice.shape == "D"


def test_a_label_after_the_item_heading_on_its_line_is_read():
    notice = parse_text(HEAD + "1.关于资金管理不规范的问题。整改进展：修订资金管理办法。\n")
    item = notice.units[0].problems[0]
    assert (item.problem, item.rectification) == ("资金管理不规范", "修订资金管理办法。")


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("中共某县委统战部关于县委第二轮巡察整改情况的通报", "某县委统战部"),
        ("某县文化和旅游体育局党组关于巡察整改进展情况的通报", "某县文化和旅游体育局党组"),
        ("中共某新区建设指挥部委员会关于巡察整改情况的通报", "某新区建设指挥部党委"),
        ("中共某某大学委员会关于十九届中央第七轮巡视整改进展情况的通报", "某某大学党委"),
        ("某产业园党工委(某镇党委)关于巡察整改进展情况的通报", "某产业园党工委(某镇党委)"),
        ("中共某县委统一战线工作部(县民族宗教事务局,县侨办)关于巡察整改情况的通报",
         "某县委统一战线工作部(县民族宗教事务局,县侨办)"),
        ("某县水利局党组巡察整改进展情况通报", "某县水利局党组"),
        ("中共上海市徐汇区委员会关于巡视整改进展情况的通报", "徐汇区委"),
        ("关于十二届县委第三轮巡察整改进展情况的通报", None),
        ("县委巡察办关于十二届县委第三轮巡察整改进展情况的通报", None),
        ("关于县委巡察组反馈意见整改情况的通报", None),
        ("关于落实县委巡察组反馈意见整改情况的通报", None),
        ("关于某县水利局党组巡察整改情况的通报", "某县水利局党组"),
    ],
)
def test_it_finds_the_unit_in_its_own_title(title, unit):
    from xuncha.notices.shapes.unit_report import unit_in_title

    assert unit_in_title(title) == unit


def test_a_standing_committee_meeting_names_no_unit():
    notice = parse_text(
        "十二届某县委第二轮巡察整改进展情况\n"
        "2024年1月17日,县委召开常委会会议,听取十二届县委第二轮巡察整改情况汇报。"
        "巡察共反馈问题120个,已完成整改116个。现将整改进展情况予以公布。\n")
    assert notice.units == []
    assert notice.shape == "E"
