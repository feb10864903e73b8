from __future__ import annotations

import io
import zipfile

import docx
import pytest

from tests.notices.conftest import FIXTURES
from xuncha.notices.decode import decode
from xuncha.notices.model import NoticeError
from xuncha.notices.normalize import compare_form


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_it_reads_utf8_with_and_without_bom(seed_text):
    data = seed_text.encode("utf-8")
    assert decode(data, "a.txt") == seed_text
    assert decode(b"\xef\xbb\xbf" + data, "a.txt") == seed_text


def test_it_falls_back_to_gb18030(seed_text):
    text = decode((FIXTURES / "a-seed-fullwidth.gb18030.txt").read_bytes(), "a.txt")
    assert "十二届昌吉州党委第五轮巡察7个乡镇（街道）" in text
    assert compare_form(text) == compare_form(seed_text)


def test_it_reads_gb18030_only_characters():
    # "㐀" (U+3400) is outside GBK; only GB18030 has it.
    text = "反馈问题:村民反映㐀字问题。整改情况:已经解决。"
    assert decode(text.encode("gb18030"), "a.txt") == text


def test_it_reads_utf16_with_a_bom():
    assert decode("通报正文".encode("utf-16"), "a.txt") == "通报正文"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t "])
def test_it_rejects_an_empty_file(data):
    with pytest.raises(NoticeError, match="文件为空"):
        decode(data, "a.txt")


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"\xff\xfe" + bytes(range(256)) * 4])
def test_it_rejects_binary_bytes(data):
    with pytest.raises(NoticeError, match="文件为二进制内容，不是文本通报"):
        decode(data, "a.txt")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Müller café résumé naïve façade Ångström " * 5, "latin-1"),
        ("巡察の整改状況について、こんにちは。ありがとうございます。" * 3, "shift_jis"),
    ],
)
def test_it_rejects_encodings_other_than_utf8_and_gb18030(text, encoding):
    with pytest.raises(NoticeError, match=r"无法识别的文件编码（仅支持 UTF-8 与 GB18030）"):
        decode(text.encode(encoding), "a.txt")


def test_it_puts_each_html_block_on_its_own_line():
    page = (
        "<html><head><title>网站标题</title><style>p{color:red}</style></head><body>"
        "<div class='nav'>首页 &gt; 通知公告</div>"
        "<h1>十二届某县委第三轮巡察<br/>整改进展情况</h1>"
        "<div class='content'><p>第一段\n  续写</p><p>反馈问题:<b>加粗</b>文字&nbsp;A</p>"
        "<script>var x = '<p>不是正文</p>';</script></div>"
        "<footer>版权所有</footer></body></html>"
    )
    assert lines_of(decode(page.encode(), "page.html")) == [
        "十二届某县委第三轮巡察",
        "整改进展情况",
        "第一段 续写",
        "反馈问题:加粗文字\xa0A",
    ]


def test_it_honours_the_declared_charset_of_a_page():
    page = '<html><head><meta charset="gb2312"></head><body><p>整改情况：已完成。</p></body></html>'
    assert lines_of(decode(page.encode("gb18030"), "page.htm")) == ["整改情况：已完成。"]


def test_it_keeps_angle_brackets_that_are_text_in_a_page():
    page = "<html><body><p>学习《关于印发<某镇机构改革方案>的通知》</p></body></html>"
    text = decode(page.encode(), "page.html")
    assert lines_of(text) == ["学习《关于印发<某镇机构改革方案>的通知》"]


def test_it_reads_docx_paragraphs_and_table_cells(make_docx):
    data = make_docx(["标题", "第一段"], table=[["反馈问题:甲", "整改情况:乙"]])
    assert lines_of(decode(data, "notice.docx")) == ["标题", "第一段", "反馈问题:甲", "整改情况:乙"]


def test_it_rejects_a_corrupt_docx(make_docx):
    damaged = make_docx(["正文"])[:300]
    with pytest.raises(NoticeError, match=r"^无法打开 Word 文档："):
        decode(damaged, "notice.docx")


def test_it_rejects_a_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not word")
    with pytest.raises(NoticeError, match=r"^无法打开 Word 文档："):
        decode(buffer.getvalue(), "notice.docx")


def test_it_sniffs_the_kind_when_the_extension_says_nothing(make_docx, seed_text):
    assert "标题" in decode(make_docx(["标题"]), "upload.bin")
    page = b"<!DOCTYPE html><html><body><p>\xe6\xad\xa3\xe6\x96\x87</p></body></html>"
    assert lines_of(decode(page, "upload")) == ["正文"]
    assert decode(seed_text.encode(), "upload") == seed_text


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", "旧版 Word"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "notice.pdf", "无法打开 PDF：文件已损坏"),
    ],
)
def test_it_says_which_formats_it_cannot_read(data, filename, reason):
    with pytest.raises(NoticeError, match=reason):
        decode(data, filename)


def test_it_keeps_the_header_of_the_article_itself():
    page = (
        "<html><body><header>某某网站</header><article><header><h1>巡察整改进展情况</h1></header>"
        "<p>正文</p><footer>中共某镇委员会</footer></article></body></html>"
    )
    assert lines_of(decode(page.encode(), "page.html")) == [
        "巡察整改进展情况", "正文", "中共某镇委员会"]


def test_it_reads_a_merged_table_cell_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    table.cell(0, 2).text = "右侧"
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(decode(buffer.getvalue(), "t.docx")) == ["合并单元格", "右侧"]


def test_a_page_whose_body_has_no_title_takes_it_from_the_head_without_the_site_name():
    for suffix in ("_云岭市纪委监委网站", " - 石门区人民政府网", "｜某某网", "——某某网"):
        page = (f"<html><head><title>某局党组关于巡察整改进展情况的通报{suffix}</title></head>"
                "<body><p>根据县委统一部署，现将整改进展情况予以公布。</p></body></html>")
        assert lines_of(decode(page.encode(), "page.html"))[:2] == [
            "某局党组关于巡察整改进展情况的通报", "根据县委统一部署，现将整改进展情况予以公布。"]


def test_a_head_title_is_not_added_when_the_body_prints_it_or_it_names_no_notice():
    printed = ("<html><head><title>某镇巡察整改进展情况_某网</title></head><body>"
               "<h1>某镇巡察整改</h1><h1>进展情况</h1><p>正文</p></body></html>")
    assert lines_of(decode(printed.encode(), "page.html")) == ["某镇巡察整改", "进展情况", "正文"]
    generic = "<html><head><title>巡察整改 - 某某网</title></head><body><p>正文</p></body></html>"
    assert lines_of(decode(generic.encode(), "page.html")) == ["正文"]
