from __future__ import annotations

import pytest

from tests.notices.conftest import FIXTURES
from xuncha.notices.model import NoticeError, PartialDate
from xuncha.notices.normalize import compare_form
from xuncha.notices.parse import parse_document, parse_text

NOTICE_FIXTURES = sorted(
    path.name for path in FIXTURES.iterdir() if path.suffix != ".json" and path.name[0] in "abc")


def parse_fixture(name):
    return parse_document((FIXTURES / name).read_bytes(), name)


def pairs_in_compare_form(notice):
    return [
        (unit.name, compare_form(pair.problem), compare_form(pair.rectification))
        for unit in notice.units
        for pair in unit.problems
    ]


def wrap(text, width):
    return "\n".join(
        line[i:i + width] for line in text.splitlines() for i in range(0, len(line), width))


@pytest.mark.parametrize("name", NOTICE_FIXTURES)
def test_it_finds_what_expected_json_says(name, expected):
    want = expected[name]
    notice = parse_fixture(name)
    got = notice.to_json()
    for key in ("issuer", "term", "round", "inspection_start", "inspection_end", "feedback_date"):
        assert got[key] == want[key], key
    assert len(notice.units) == want["units"]
    assert notice.problem_count == want["problems"]


def test_it_rejects_the_entry_announcement_clearly(expected):
    assert expected["x-entry-announcement.txt"] == {"reject": True}
    with pytest.raises(NoticeError) as caught:
        parse_fixture("x-entry-announcement.txt")
    assert caught.value.message == "这是巡察进驻公告，不是整改情况通报"
    assert caught.value.line == 1


def test_it_reads_the_round_facts_of_the_seed(seed_notice):
    assert seed_notice.title == "十二届昌吉州党委第五轮巡察7个乡镇(街道)整改进展情况"
    assert seed_notice.kinds == ["常规巡察", "基层组织建设专项巡察"]
    assert seed_notice.group_count == 7
    assert seed_notice.scope_label == "乡镇(街道)"
    assert seed_notice.feedback_date == PartialDate(2023, 12)
    assert seed_notice.problem_count == 21


@pytest.mark.parametrize("name", ["a-seed-fullwidth.gb18030.txt", "a-seed-page.html"])
def test_the_seed_variants_give_the_seeds_problems(name, seed_notice):
    notice = parse_fixture(name)
    assert pairs_in_compare_form(notice) == pairs_in_compare_form(seed_notice)
    assert notice.title == seed_notice.title
    # Only the web page states when it was published.
    ignored = {"units": None, "published": None, "completeness": None}
    assert notice.to_json() | ignored == seed_notice.to_json() | ignored


def test_it_keeps_the_publication_date_of_a_web_page():
    assert parse_fixture("a-seed-page.html").published == PartialDate(2024, 6, 25)


def test_it_reads_the_seed_as_a_word_document(make_docx, seed_text, seed_notice):
    notice = parse_document(make_docx(seed_text.splitlines()), "通报.docx")
    assert notice == seed_notice


def test_it_reads_the_seed_hard_wrapped_at_30_characters(seed_text, seed_notice):
    notice = parse_text(wrap(seed_text, 30))
    assert pairs_in_compare_form(notice) == pairs_in_compare_form(seed_notice)
    assert notice.to_json() | {"units": None} == seed_notice.to_json() | {"units": None}


def test_it_reads_the_seed_with_mixed_punctuation_widths(seed_text, seed_notice):
    mixed = seed_text.replace("反馈问题:", "反馈问题：").replace(",", "，", 40)
    assert pairs_in_compare_form(parse_text(mixed)) == pairs_in_compare_form(seed_notice)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "文件为空"),
        (b"\n \r\n", "blank.txt", "文件为空"),
        (b"\x00\x01\x02binary\xff\xfe\x00", "image.txt", "文件为二进制内容，不是文本通报"),
        ("façade Müller résumé".encode("latin-1"), "latin.txt",
         "无法识别的文件编码（仅支持 UTF-8 与 GB18030）"),
        ("巡察の整改状況について、お知らせします。".encode("shift_jis"), "sjis.txt",
         "无法识别的文件编码（仅支持 UTF-8 与 GB18030）"),
        (b"PK\x03\x04 this is not really a zip", "broken.docx", None),
        ("这是一份会议纪要，\n没有任何被巡察单位。".encode(), "minutes.txt",
         "未找到被巡察单位标题"),
    ],
)
def test_it_rejects_what_is_not_a_rectification_notice(data, filename, message):
    with pytest.raises(NoticeError) as caught:
        parse_document(data, filename)
    if message is None:
        assert caught.value.message.startswith("无法打开 Word 文档：")
    else:
        assert caught.value.message == message


def test_it_names_the_line_of_a_unit_without_pairs(seed_text):
    lines = seed_text.splitlines()
    cut = "\n".join([*lines[:3], "一、木垒县东城镇党委", "镇党委高度重视巡察整改。", *lines[10:]])
    notice = parse_text(cut)
    assert notice.completeness.missing == (
        "第4行: 单位“木垒县东城镇党委”下未找到反馈问题与整改情况",)
    assert len(notice.units) == 7
    assert notice.problem_count == 18


def test_it_names_the_line_of_a_problem_without_rectification(seed_text):
    lines = seed_text.splitlines()
    del lines[5]  # the second problem's 整改情况 of the first unit
    notice = parse_text("\n".join(lines))
    assert notice.completeness.missing == ("第5行: “反馈问题”后未找到对应的整改情况",)
    assert notice.problem_count == 21


def test_it_keeps_what_a_page_capture_that_stops_part_way_states(seed_text):
    lines = seed_text.splitlines()
    cut = "\n".join([*lines[:6], lines[6][:40]])
    notice = parse_text(cut)
    assert (notice.issuer, notice.term, notice.round) == ("昌吉州党委", "十二届", 5)
    assert notice.units[0].name == "木垒县东城镇党委"
    assert notice.completeness.missing[-1] == "正文在第7行后中断"


def test_it_reads_a_rectification_notice_that_itemises_nothing():
    notice = parse_text(
        "关于十四届县委第三轮巡察整改进展情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某县某镇党委开展了常规巡察，现将整改进展情况予以公布。\n")
    assert notice.units[0].name == "某县某镇党委"
    assert notice.problem_count == 0
    assert notice.completeness.missing == ("未找到逐项列出的反馈问题与整改情况",)


def test_a_byline_under_the_title_is_not_part_of_it():
    notice = parse_text(
        "关于十五届县委第四轮巡察整改进展情况的通报\n中共某县某镇委员会\n"
        "根据县委统一部署，县委第一巡察组对某县某镇党委开展了常规巡察，现将整改进展情况予以公布。\n"
        "（一）关于“甲”的问题\n整改情况：已改。\n")
    assert notice.title == "关于十五届县委第四轮巡察整改进展情况的通报"
    assert notice.units[0].name == "某县某镇党委"


def test_a_title_split_over_lines_and_printed_twice_is_one_title():
    notice = parse_text(
        "关于十五届县委第四轮\n巡察整改进展情况的通报\n发布时间：2024-05-06\n"
        "关于十五届县委第四轮巡察 整改进展情况的通报\n"
        "根据县委统一部署，县委第一巡察组对某县某镇党委开展了常规巡察，现将整改进展情况予以公布。\n"
        "（一）关于“甲”的问题\n整改情况：已改。\n")
    assert notice.title == "关于十五届县委第四轮巡察整改进展情况的通报"
    assert notice.published == PartialDate(2024, 5, 6)
