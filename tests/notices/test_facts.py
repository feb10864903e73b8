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
