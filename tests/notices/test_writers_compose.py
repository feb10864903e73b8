from __future__ import annotations

from xuncha.notices.model import PartialDate
from xuncha.notices.normalize import normalize_lines
from xuncha.notices.writers.compose import (
    chinese_date,
    joined_kinds,
    opening_paragraph,
    title_lines,
    unit_blocks,
)


def test_it_composes_the_seed_title_from_facts(seed_notice):
    assert title_lines(seed_notice) == ["十二届昌吉州党委第五轮巡察7个乡镇(街道)", "整改进展情况"]
    assert title_lines(seed_notice.replace(title="")) == title_lines(seed_notice)


def test_it_composes_the_seed_opening_from_facts(seed_notice, seed_text):
    assert opening_paragraph(seed_notice) == normalize_lines(seed_text)[2].text


def test_the_opening_follows_the_facts_not_the_original_words(seed_notice):
    changed = seed_notice.replace(
        issuer="木垒县委", term="十七届", round=11, group_count=None, kinds=["机动巡察"],
        inspection_start=PartialDate(2024, 12, 20), inspection_end=PartialDate(2025, 1, 15),
        feedback_date=PartialDate(2025, 3, 2), units=seed_notice.units[:2], scope_label="乡",
    )
    opening = opening_paragraph(changed)
    assert opening.startswith(
        "根据县委巡察工作统一部署,2024年12月20日至2025年1月15日,十七届木垒县委第十一轮巡察"
        "对木垒县东城镇、奇台县七户乡2个乡党组织开展了机动巡察。2025年3月2日,县委巡察组")
    assert opening.endswith("现将十七届县委第十一轮巡察整改情况予以公布。")
    assert title_lines(changed)[0] == "十七届木垒县委第十一轮巡察2个乡"


def test_it_leaves_out_facts_the_notice_does_not_have(seed_notice):
    bare = seed_notice.replace(
        issuer=None, term=None, round=None, kinds=[], inspection_start=None, inspection_end=None,
        feedback_date=None, group_count=None, scope_label=None, title="某县巡察整改进展情况")
    opening = opening_paragraph(bare)
    assert "None" not in opening
    assert "7个单位党组织开展了巡察。" in opening
    assert title_lines(bare) == ["某县巡察", "整改进展情况"]


def test_it_numbers_unit_headings_in_chinese(seed_notice):
    blocks = unit_blocks(seed_notice)
    assert [block.heading for block in blocks][-1] == "七、玛纳斯县乐土驿镇党委"
    assert [field.label for field in blocks[0].fields][:2] == ["反馈问题", "整改情况"]


def test_it_writes_dates_and_kinds_the_chinese_way():
    assert chinese_date(PartialDate(2023, 12)) == "2023年12月"
    assert chinese_date(PartialDate(2023, 10, 26), after=PartialDate(2023, 8, 29)) == "10月26日"
    assert joined_kinds(["常规巡察"]) == "常规巡察"
    assert joined_kinds(["甲巡察", "乙巡察", "丙巡察"]) == "甲巡察、乙巡察和丙巡察"
