from __future__ import annotations

import pytest

from xuncha.notices.shapes.labels import Label, is_closing, match_label, split_numbering


@pytest.mark.parametrize(
    ("text", "kind", "label", "content"),
    [
        ("反馈问题:人才振兴问题突出。", Label.PROBLEM, "反馈问题", "人才振兴问题突出。"),
        ("存在问题 : 甲", Label.PROBLEM, "存在问题", "甲"),
        ("【问题表现】:乙", Label.PROBLEM, "问题表现", "乙"),
        ("问题1:丙", Label.PROBLEM, "问题", "丙"),
        ("整改落实情况:丁", Label.RECTIFICATION, "整改落实情况", "丁"),
        ("整改措施及成效:戊", Label.RECTIFICATION, "整改措施及成效", "戊"),
        ("整改进展:", Label.RECTIFICATION, "整改进展", ""),
    ],
)
def test_it_recognises_labels_in_their_variants(text, kind, label, content):
    found = match_label(text)
    assert found is not None
    assert (found.kind, found.label, found.content) == (kind, label, content)


@pytest.mark.parametrize("text", ["反馈问题3个,已完成整改2个", "问题突出:甲", "整改", "关于问题:"])
def test_it_does_not_take_sentences_for_labels(text):
    assert match_label(text) is None


@pytest.mark.parametrize(
    ("text", "style", "rest"),
    [
        ("一、木垒县东城镇党委", "top", "木垒县东城镇党委"),
        ("十二.某镇党委", "top", "某镇党委"),
        ("(一)关于甲的问题", "paren", "关于甲的问题"),
        ("第三、某镇党委", "ordinal", "某镇党委"),
        ("第一 某镇党委", "ordinal", "某镇党委"),
        ("1.关于乙问题的整改", "arabic", "关于乙问题的整改"),
        ("(2)丙", "arabic_paren", "丙"),
        ("③丁", "circled", "丁"),
        ("22.48吨", None, "22.48吨"),
        ("第一议题制度", None, "第一议题制度"),
        ("一是加强学习", None, "一是加强学习"),
    ],
)
def test_it_splits_numbering_from_headings(text, style, rest):
    assert split_numbering(text) == (style, rest)


@pytest.mark.parametrize(
    ("text", "following"),
    [
        ("欢迎广大干部群众对巡察整改落实情况进行监督。", "联系电话:0994-0000000"),
        ("联系电话:0994-0000000;邮政信箱:某镇党委办公室", None),
        ("2024年6月20日", None),
        ("中共玛纳斯县乐土驿镇委员会", "2024年6月20日"),
        ("中共昌吉州委巡察工作领导小组办公室", None),
    ],
)
def test_it_knows_where_the_closing_part_starts(text, following):
    assert is_closing(text, following)


def test_a_unit_heading_before_its_problems_is_not_a_signature():
    assert not is_closing("木垒县东城镇党委", "反馈问题:甲")


@pytest.mark.parametrize(
    "text", ["1.反馈问题:甲", "(一)反馈问题:甲", "第一,反馈问题:甲", "①反馈问题:甲"])
def test_it_recognises_numbered_labels(text):
    found = match_label(text)
    assert found is not None
    assert (found.kind, found.content) == (Label.PROBLEM, "甲")


def test_a_bracketed_label_needs_no_colon():
    from xuncha.notices.shapes.labels import Label, match_label

    label = match_label("【反馈问题】村干部坐班制度落实不到位。")
    assert label is not None
    assert (label.kind, label.label, label.content) == (
        Label.PROBLEM, "反馈问题", "村干部坐班制度落实不到位。")
    assert match_label("【整改情况】已改。") is not None
    assert match_label("反馈问题村干部") is None
