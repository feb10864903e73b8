from __future__ import annotations

from xuncha.notices.facts import read_facts, read_kinds
from xuncha.notices.model import PartialDate
from xuncha.notices.normalize import normalize_lines

SEED_TITLE = "十二届昌吉州党委第五轮巡察7个乡镇(街道)整改进展情况"


def seed_opening(seed_text: str) -> str:
    return normalize_lines(seed_text)[2].text


def test_it_reads_the_round_facts_of_the_seed(seed_text):
    facts = read_facts(SEED_TITLE, seed_opening(seed_text))
    assert facts.issuer == "昌吉州党委"
    assert facts.term == "十二届"
    assert facts.round == 5
    assert facts.kinds == ["常规巡察", "基层组织建设专项巡察"]
    assert facts.inspection_start == PartialDate(2023, 8, 29)
    assert facts.inspection_end == PartialDate(2023, 10, 26)
    assert facts.feedback_date == PartialDate(2023, 12)
    assert facts.group_count == 7
    assert facts.scope_label == "乡镇(街道)"


def test_it_reads_a_unit_notice_that_names_the_committee_only_in_short():
    facts = read_facts(
        "中共某县某镇委员会关于十四届县委第三轮巡察整改进展情况的通报",
        "根据县委统一部署,2024年3月5日至2024年4月30日,县委第二巡察组对某镇党组织进行了机动巡察。"
        "2024年6月10日,县委巡察组向某镇党委反馈了巡察意见。",
    )
    assert (facts.issuer, facts.term, facts.round) == ("县委", "十四届", 3)
    assert facts.kinds == ["机动巡察"]
    assert facts.inspection_end == PartialDate(2024, 4, 30)
    assert facts.feedback_date == PartialDate(2024, 6, 10)
    assert facts.group_count is None
    assert facts.scope_label is None


def test_it_falls_back_to_the_committee_that_deployed_the_groups():
    facts = read_facts(
        "关于巡察整改进展情况的通报", "根据州党委统一部署,州党委第七巡察组对某镇开展了巡察。")
    assert facts.issuer == "州党委"
    assert facts.round is None
    assert facts.kinds == []


def test_it_reads_month_only_periods_and_chinese_counts():
    facts = read_facts(
        "十三届市委第十二轮巡视",
        "2022年9月至11月,十三届市委第十二轮巡视派出三个巡视组,对12个市直单位党组织开展了巡视。"
        "2023年1月,市委巡视组向被巡视单位反馈了意见。",
    )
    assert facts.round == 12
    assert facts.inspection_start == PartialDate(2022, 9)
    assert facts.inspection_end == PartialDate(2022, 11)
    assert facts.feedback_date == PartialDate(2023, 1)
    assert facts.group_count == 3
    assert facts.scope_label == "市直单位"


def test_it_splits_kinds_only_after_the_word_for_inspection():
    assert read_kinds("对5个单位开展了常规巡察、提级巡察和巡察“回头看”。") == [
        "常规巡察", "提级巡察", "巡察“回头看”"]
    assert read_kinds("开展了为期两个月的脱贫攻坚和乡村振兴专项巡察。") == [
        "脱贫攻坚和乡村振兴专项巡察"]


def test_dates_without_a_year_take_it_from_the_publication_date():
    from xuncha.notices.facts import read_facts as read

    facts = read("关于巡察整改情况的通报",
                 "9月5日至10月20日,县委第三巡察组对某局党组开展了巡察,11月16日反馈了巡察意见。",
                 PartialDate(2024, 3, 1))
    # Published in March: the September before.
    assert facts.inspection_start == PartialDate(2023, 9, 5)
    assert facts.inspection_end == PartialDate(2023, 10, 20)
    assert facts.feedback_date == PartialDate(2023, 11, 16)


def test_a_date_without_a_year_after_december_is_in_the_next_year():
    facts = read_facts(
        "", "2023年11月1日至12月29日,县委巡察组开展了巡察。1月15日,县委巡察组反馈了巡察意见。")
    assert facts.feedback_date == PartialDate(2024, 1, 15)


def test_parts_of_a_month_give_the_month_only_never_a_day():
    facts = read_facts("", "2024年3月上旬至4月底,县委第一巡察组开展了巡察,5月中旬反馈了巡察意见。")
    assert (facts.inspection_start, facts.inspection_end, facts.feedback_date) == (
        PartialDate(2024, 3), PartialDate(2024, 4), PartialDate(2024, 5))


def test_a_year_typed_as_a_month_is_read_with_a_warning():
    facts = read_facts(
        "", "2024年8月26日至10月25日开展了巡察。2024月11月15日,巡察组反馈了巡察意见。")
    assert facts.feedback_date == PartialDate(2024, 11, 15)
    assert facts.warnings == ["日期“2024月11月”按“2024年11月”读取"]


def test_problems_fed_back_are_not_the_feedback_event():
    facts = read_facts(
        "", "2024年6月12日,某镇党委召开专题民主生活会,对照巡察组反馈的问题逐条剖析。")
    assert facts.feedback_date is None


def test_central_and_provincial_inspectors_are_the_issuer():
    central = read_facts("中共某大学委员会关于十九届中央第七轮巡视整改进展情况的通报",
                         "根据中央统一部署,中央第十二巡视组对某大学党委进行了常规巡视。")
    assert (central.issuer, central.term, central.round) == ("中央", "十九届", 7)
    provincial = read_facts("关于巡视整改进展情况的通报",
                            "根据中央统一部署,省委第三巡视组对某厅党组开展了常规巡视。")
    assert provincial.issuer == "省委"


def test_the_group_that_assists_is_not_the_issuer():
    facts = read_facts("", "县委第二巡察组配合州党委第三巡察组对某镇党委开展了交叉巡察。")
    assert facts.issuer == "州党委"
    facts = read_facts("", "在县委巡察组的配合下,州党委第一巡察组对某镇党委开展了巡察。")
    assert facts.issuer == "州党委"


def test_a_formally_named_committee_goes_by_its_short_name():
    facts = read_facts(
        "", "根据中共云岭市委员会巡察工作统一部署,第五巡察组对某指挥部党委开展了巡察。")
    assert facts.issuer == "云岭市委"


def test_it_reads_headline_figures():
    from xuncha.notices.facts import read_figures

    figures = read_figures(
        "共反馈问题512个,已完成整改498个,整改完成率97.27%;制定整改措施1210条,"
        "建立完善制度236项,问责17人,挽回经济损失380.5万元。")
    assert (figures.problems, figures.completed, figures.completion_rate) == (512, 498, 97.27)
    assert (figures.measures, figures.rules, figures.accountable, figures.recovered) == (
        1210, 236, 17, 380.5)
    assert not read_figures("镇党委召开专题会议研究部署整改工作。").any()
    other = read_figures("巡察反馈的97个问题,完成整改88个,总体完成率90.72%,完善和新建制度12项。")
    assert (other.problems, other.completed, other.completion_rate, other.rules) == (
        97, 88, 90.72, 12)
