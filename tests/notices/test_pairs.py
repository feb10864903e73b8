from __future__ import annotations

import re

import pytest

from xuncha.notices.model import ProblemPair
from xuncha.notices.names import int_to_cn
from xuncha.notices.normalize import normalize_lines
from xuncha.notices.parse import parse_text
from xuncha.notices.shapes.pairs import PairsReader

OPENING = (
    "根据县委巡察工作统一部署，2024年3月4日至4月28日，十四届某县委第二轮巡察派出2个巡察组"
    "对甲乡、乙镇2个乡镇党组织开展了常规巡察。2024年5月，县委巡察组分别向被巡察单位党组织反馈了"
    "巡察意见。现将整改情况予以公布。"
)


def round_notice(units, *, problem="反馈问题", rectification="整改情况", number="{n}、"):
    """A shape A notice with the given units [(name, [(problem, rectification)])]."""
    lines = ["十四届某县委第二轮巡察2个乡镇", "整改进展情况", OPENING]
    for index, (name, pairs) in enumerate(units, 1):
        lines.append(number.format(n=int_to_cn(index), i=index) + name)
        for problem_text, rectification_text in pairs:
            lines += [f"{problem}：{problem_text}", f"{rectification}：{rectification_text}"]
    return "\n".join(lines)


TWO_UNITS = [
    ("某县甲乡党委", [
        ("村级财务管理不规范。", "修订财务制度2项。"),
        ("后备干部不足。", "储备后备干部12名。"),
    ]),
    ("某县乙镇党委", [("人居环境整治不到位。", "清理垃圾30吨。")]),
]


def read(text):
    return PairsReader().read(normalize_lines(text))


def test_it_reads_seven_units_of_three_problems_from_the_seed(seed_notice):
    assert seed_notice.shape == "A"
    assert [len(unit.problems) for unit in seed_notice.units] == [3] * 7
    assert [unit.name for unit in seed_notice.units][:4] == [
        "木垒县东城镇党委", "奇台县七户乡党委", "吉木萨尔县北庭镇党委", "阜康市阜新街道党工委"]
    assert [unit.region for unit in seed_notice.units] == [
        "木垒县", "奇台县", "吉木萨尔县", "阜康市", "昌吉市", "呼图壁县", "玛纳斯县"]


def test_it_reads_the_first_and_last_problem_texts_exactly(seed_notice):
    first = seed_notice.units[0].problems[0]
    last = seed_notice.units[-1].problems[-1]
    assert first.problem == (
        "人才振兴问题突出。镇党委对长期存在的人才短缺,村“两委”干部选人难问题研究谋划不足,"
        "未能挖掘培养鹰嘴豆种植技术人才。"
    )
    assert first.rectification.startswith("制定村级后备干部选拔培养相关制度,全镇共储备后备力量56名")
    assert first.rectification.endswith("培训农牧民党员201名。")
    assert last.problem == (
        "落实村财乡管责任不力。2019年以来,郑家庄村、柳树庄村违规核销固定资产、内部往来,"
        "均未经镇党委研究;9个村87.2万元固定资产未入账。"
    )
    assert last.rectification.endswith("目前9个村87.2万元固定资产已全部入账。")
    assert first.heading is None


def test_it_reads_a_constructed_round_notice():
    notice = parse_text(round_notice(TWO_UNITS))
    assert [(unit.name, unit.region) for unit in notice.units] == [
        ("某县甲乡党委", "某县"), ("某县乙镇党委", "某县")]
    assert notice.units[0].problems[1] == ProblemPair("后备干部不足。", "储备后备干部12名。")
    facts = (notice.issuer, notice.term, notice.round, notice.group_count)
    assert facts == ("某县委", "十四届", 2, 2)


@pytest.mark.parametrize(
    ("problem", "rectification"),
    [("存在问题", "整改落实情况"), ("问题表现", "整改措施及成效"), ("主要问题", "整改进展")],
)
def test_it_reads_other_label_wordings(problem, rectification, seed_text, seed_notice):
    text = seed_text.replace("反馈问题:", f"{problem}：").replace("整改情况:", f"{rectification}：")
    assert parse_text(text).units == seed_notice.units
    constructed = parse_text(round_notice(TWO_UNITS, problem=problem, rectification=rectification))
    assert constructed.problem_count == 3


@pytest.mark.parametrize("number", ["（{n}）", "第{n}，", "第{n} ", "{i}.", "{i}、"])
def test_it_reads_other_heading_numbering(number, seed_text, seed_notice):
    renumbered = re.sub(
        r"^([一二三四五六七])、",
        lambda match: number.format(n=match.group(1), i="一二三四五六七".index(match.group(1)) + 1),
        seed_text,
        flags=re.MULTILINE,
    )
    assert parse_text(renumbered).units == seed_notice.units


def test_it_reads_unnumbered_unit_headings():
    text = round_notice(TWO_UNITS, number="")
    assert [unit.name for unit in parse_text(text).units] == ["某县甲乡党委", "某县乙镇党委"]


def test_it_keeps_every_paragraph_of_a_rectification():
    text = round_notice(TWO_UNITS).replace(
        "修订财务制度2项。", "修订财务制度2项。\n（1）建立台账。\n（2）按月公开。")
    pair = parse_text(text).units[0].problems[0]
    assert pair.rectification == "修订财务制度2项。\n(1)建立台账。\n(2)按月公开。"


def test_it_reads_a_label_whose_text_starts_on_the_next_line():
    text = round_notice(TWO_UNITS).replace("整改情况：清理垃圾30吨。", "整改情况：\n清理垃圾30吨。")
    assert parse_text(text).units[1].problems[0].rectification == "清理垃圾30吨。"


def test_it_stops_at_the_closing_contacts_and_signature():
    text = round_notice(TWO_UNITS) + (
        "\n欢迎广大干部群众对巡察整改落实情况进行监督。\n联系电话：0994-0000000"
        "\n中共某县委巡察工作领导小组办公室\n2024年7月1日"
    )
    assert parse_text(text).units[1].problems[-1].rectification == "清理垃圾30吨。"


def test_it_keeps_a_unit_heading_without_pairs_and_reports_it():
    text = round_notice(TWO_UNITS).replace(
        "二、某县乙镇党委\n反馈问题：人居环境整治不到位。\n整改情况：清理垃圾30吨。",
        "二、某县乙镇党委\n乙镇党委高度重视整改工作。",
    )
    notice = parse_text(text)
    assert [(unit.name, len(unit.problems)) for unit in notice.units] == [
        ("某县甲乡党委", 2), ("某县乙镇党委", 0)]
    assert notice.completeness.missing == ("第9行: 单位“某县乙镇党委”下未找到反馈问题与整改情况",)


def test_it_keeps_a_problem_without_its_rectification_and_reports_it():
    text = round_notice(TWO_UNITS).replace("整改情况：修订财务制度2项。\n", "")
    notice = parse_text(text)
    first, second = notice.units[0].problems
    assert (first.problem, first.rectification) == ("村级财务管理不规范。", "")
    assert second.rectification == "储备后备干部12名。"
    assert notice.completeness.missing == ("第5行: “反馈问题”后未找到对应的整改情况",)
    assert not notice.completeness.complete


def test_it_reports_a_rectification_without_a_problem():
    text = round_notice(TWO_UNITS).replace("反馈问题：后备干部不足。\n", "")
    notice = parse_text(text)
    assert "第7行: “整改情况”前没有对应的反馈问题" in notice.completeness.missing


def test_it_leaves_unit_notices_to_another_reader(seed_text):
    unit_notice = (
        "中共某镇委员会关于巡察整改进展情况的通报\n"
        "（一）关于“甲”的问题\n问题表现：甲。\n整改情况：乙。"
    )
    assert read(unit_notice) is None
    assert read(seed_text) is not None


def test_a_unit_heading_may_carry_an_alias_in_brackets():
    units = [("某产业园党工委(某镇党委,某街道党工委)", [("甲。", "乙。")]),
             ("某县乙镇党委", [("丙。", "丁。")])]
    notice = parse_text(round_notice(units))
    assert [unit.name for unit in notice.units] == [
        "某产业园党工委(某镇党委,某街道党工委)", "某县乙镇党委"]
