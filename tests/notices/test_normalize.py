from __future__ import annotations

from xuncha.notices.normalize import (
    Line,
    compare_form,
    half_width,
    normalize,
    normalize_lines,
    official_punctuation,
)


def wrap(text: str, width: int, indent: str = "") -> str:
    """Hard-wrap every line at `width` characters, as PDF text extraction does."""
    wrapped: list[str] = []
    for line in text.splitlines():
        line = indent + line
        wrapped += [line[i:i + width] for i in range(0, len(line), width)] or [""]
    return "\n".join(wrapped)


def test_it_makes_full_width_punctuation_and_digits_half_width():
    assert half_width("反馈问题：（一）２０２３年，完成率７６％；") == (
        "反馈问题:(一)2023年,完成率76%;")


def test_it_keeps_chinese_only_punctuation():
    assert half_width("“两委”、《方案》。") == "“两委”、《方案》。"


def test_it_strips_and_collapses_whitespace_and_drops_blank_lines():
    text = "\ufeff  标题\u3000\u3000一行 \r\n\r\n\t整改情况:  完成\u200b。  \n"
    assert normalize_lines(text) == [Line(1, "标题 一行"), Line(3, "整改情况: 完成。")]


def test_compare_form_ignores_width_and_whitespace():
    assert compare_form("反馈问题：甲，乙\n 丙") == compare_form("反馈问题:甲,乙丙")


def test_it_leaves_a_text_with_one_paragraph_per_line_alone(seed_text):
    assert normalize(seed_text).splitlines() == [
        " ".join(line.split()) for line in seed_text.splitlines() if line.strip()
    ]


def test_it_joins_lines_broken_mid_paragraph(seed_text):
    unwrapped = normalize(wrap(seed_text, 30))
    assert len(unwrapped.splitlines()) < len(wrap(seed_text, 30).splitlines()) / 4
    # Without indents to go by, a line that happens to end in "。" is taken to end a paragraph.
    assert unwrapped.replace("。\n", "。") == normalize(seed_text).replace("。\n", "。")


def test_it_keeps_short_title_and_heading_lines_apart_in_wrapped_text(seed_text):
    lines = normalize(wrap(seed_text, 30)).splitlines()
    assert lines[0] == "十二届昌吉州党委第五轮巡察7个乡镇(街道)"
    assert lines[1] == "整改进展情况"
    assert "一、木垒县东城镇党委" in lines


def test_it_uses_paragraph_indents_to_undo_wraps_exactly(seed_text):
    assert normalize(wrap(seed_text, 30, indent="\u3000\u3000")) == normalize(seed_text)


def test_it_numbers_a_joined_line_by_where_it_starts():
    sentence = "根据州党委巡察工作统一部署,派出巡察组对七个乡镇党组织开展了常规巡察,"
    paragraph = sentence * 6 + "现予公布。"
    wrapped = wrap(paragraph, 25)
    lines = normalize_lines(f"标题\n{wrapped}\n一、某镇党委")
    assert [line.number for line in lines] == [1, 2, len(wrapped.splitlines()) + 2]


def test_it_writes_official_full_width_punctuation_but_not_inside_numbers():
    assert official_punctuation("共1,200元,8:00开始;(备注):完成!") == (
        "共1,200元，8:00开始；（备注）：完成！")
    assert half_width(official_punctuation("甲,乙:(丙);")) == "甲,乙:(丙);"
