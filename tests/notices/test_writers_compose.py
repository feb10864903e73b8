from __future__ import annotations

import datetime

from xuncha.notices.model import PartialDate
from xuncha.notices.normalize import normalize_lines
from xuncha.notices.writers.compose import (
    Paragraph,
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


def test_a_unit_notice_is_titled_and_signed_by_the_unit(seed_notice):
    from xuncha.notices.writers.compose import Role, official_document, unit_notice

    unit = seed_notice.units[6]
    notice = unit_notice(seed_notice, unit)
    assert notice.shape == "B"
    assert notice.title == (
        "中共玛纳斯县乐土驿镇委员会关于十二届昌吉州党委第五轮巡察整改进展情况的通报")
    # The first sentence, as the unit's real notice (b-letuyi-unit-notice.txt) names it.
    assert notice.units[0].problems[0].heading == (
        "关于“2023年未落实机关干部包联下沉村工作机制,班子成员包村下沉工作中重业务轻党建”的问题")
    assert (notice.group_count, notice.scope_label) == (None, None)
    parts = official_document(notice, datetime.date(2023, 12, 26))
    assert [part.role for part in parts[:3]] == [Role.TITLE, Role.BODY, Role.HEADING]
    assert parts[1].text == (
        "根据州党委巡察工作统一部署，2023年8月29日至10月26日，州党委巡察组对玛纳斯县乐土驿镇党组织"
        "开展了常规巡察和基层组织建设专项巡察。2023年12月，州党委巡察组向玛纳斯县乐土驿镇党委反馈了"
        "巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。")
    assert parts[3] == Paragraph(
        Role.SUBHEADING,
        "（一）关于“2023年未落实机关干部包联下沉村工作机制，班子成员包村下沉工作中重业务轻党建”的问题")
    assert parts[4].text.startswith("问题表现：2023年未落实")
    assert parts[5].text.startswith("整改情况：")
    assert parts[-2:] == [Paragraph(Role.SIGNATURE, "中共玛纳斯县乐土驿镇委员会"),
                          Paragraph(Role.DATE, "2023年12月26日")]


def test_a_unit_notice_keeps_an_item_heading_it_already_has(seed_notice):
    from xuncha.notices.model import ProblemPair, UnitSection
    from xuncha.notices.writers.compose import unit_notice

    unit = UnitSection("某县某镇党委", "某县", [
        ProblemPair("问题。详情", "整改", "关于“原有标题”的问题"),
        ProblemPair("“三会一课”不规范;记录不全", "整改", "在组织建设方面"),
    ])
    headings = [p.heading for p in unit_notice(seed_notice, unit).units[0].problems]
    assert headings == ["关于“原有标题”的问题", "关于““三会一课”不规范”的问题"]


def test_the_round_document_is_signed_by_the_committee(seed_notice):
    from xuncha.notices.writers.compose import Role, official_document

    parts = official_document(seed_notice, datetime.date(2024, 1, 5))
    assert [part.text for part in parts[:2]] == [
        "十二届昌吉州党委第五轮巡察7个乡镇（街道）", "整改进展情况"]
    assert next(part.text for part in parts if part.role is Role.HEADING) == "一、木垒县东城镇党委"
    assert [part.text for part in parts[-2:]] == ["中共昌吉州委员会", "2024年1月5日"]
