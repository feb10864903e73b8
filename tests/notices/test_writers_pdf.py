"""The .pdf 公文: A4, embedded Chinese fonts, page numbers, and its text reads back."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pdfminer.high_level
import pdfminer.layout
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from xuncha.notices.model import Notice, ProblemPair, UnitSection
from xuncha.notices.parse import parse_document
from xuncha.notices.writers import pdf
from xuncha.notices.writers.compose import unit_notice

ISSUED = datetime.date(2023, 12, 26)


@pytest.fixture(scope="module")
def seed_pdf(seed_notice: Notice) -> bytes:
    return pdf.render(seed_notice, ISSUED)


def _pages(data: bytes) -> list[PDFPage]:
    return list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))


def _embedded_fonts(page: PDFPage) -> set[str]:
    names = set()
    for ref in resolve1(page.resources["Font"]).values():
        font = resolve1(ref)
        descendant = resolve1(resolve1(font["DescendantFonts"])[0])
        descriptor = resolve1(descendant["FontDescriptor"])
        assert "FontFile2" in descriptor, font  # the glyphs are in the file
        names.add(font["BaseFont"].name.split("+", 1)[1])  # "ABCDEF+Name": a subset
    return names


def _lines(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each printed line as (text, left, right), top to bottom."""
    pages = []
    for page in pdfminer.high_level.extract_pages(io.BytesIO(data)):
        lines = []
        for box in page:
            if isinstance(box, pdfminer.layout.LTTextBox):
                lines += [(line.get_text().strip(), line.x0, line.x1, line.y1) for line in box]
        pages.append([line[:3] for line in sorted(lines, key=lambda line: -line[3])])
    return pages


def test_the_round_notice_reads_back_into_the_same_notice(seed_pdf, seed_notice):
    assert parse_document(seed_pdf, "notice.pdf") == seed_notice


# Units whose text wraps around Latin letters (七户乡: "AAA级"), numbers (阜新街道) and quotes.
@pytest.mark.parametrize("index", [1, 3, 6])
def test_a_units_notice_reads_back_into_the_same_notice(seed_notice, index):
    notice = unit_notice(seed_notice, seed_notice.units[index])
    back = parse_document(pdf.render(notice, ISSUED), "unit.pdf")
    assert back == notice
    assert back.shape == "B"


def test_every_page_is_a4_with_the_fonts_embedded(seed_pdf):
    pages = _pages(seed_pdf)
    assert len(pages) > 2
    for page in pages:
        width, height = page.mediabox[2] - page.mediabox[0], page.mediabox[3] - page.mediabox[1]
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    fonts = set().union(*(_embedded_fonts(page) for page in pages))
    expected = {pdf.resolve_fonts()[role].path.stem for role in ("body", "heading")}
    assert {"ARPLSungtiLGB", "WenQuanYiMicroHei"} <= fonts or expected
    assert len(fonts) >= 2  # the body's song and the headings' hei


def test_pages_are_numbered_on_the_outer_side(seed_pdf):
    for number, lines in enumerate(_lines(seed_pdf), 1):
        text, left, right = lines[-1]
        assert text == f"— {number} —"
        if number % 2:
            assert right == pytest.approx(pdf.PAGE_WIDTH - pdf.RIGHT - 14, abs=1)
        else:
            assert left == pytest.approx(pdf.LEFT + 14, abs=1)


def test_a_page_holds_22_lines_of_at_most_28_characters(seed_pdf):
    for lines in _lines(seed_pdf)[:-1]:
        body = lines[:-1]  # without the page number
        assert len(body) <= pdf.LINES_PER_PAGE
        for text, left, right in body:
            assert left >= pdf.LEFT - 0.5
            # One closing mark may hang past the edge, as Word and WPS allow.
            hangs = text[-1] in "，。、；：”）》"
            assert right <= pdf.PAGE_WIDTH - pdf.RIGHT + (16 if hangs else 0) + 0.5, text
    full = [text for lines in _lines(seed_pdf) for text, _, _ in lines
            if len(text) == 28 and text.isascii() is False]
    assert full, "no line holds 28 full-width characters"


def test_no_line_starts_with_closing_punctuation(seed_pdf):
    starts = [text[0] for lines in _lines(seed_pdf) for text, _, _ in lines]
    assert not set(starts) & set("，。、；：？！）》”")


def test_the_title_is_centred_and_the_signature_on_the_right(seed_pdf):
    first, *_ = _lines(seed_pdf)
    assert [line[0] for line in first[:2]] == [
        "十二届昌吉州党委第五轮巡察", "7个乡镇（街道）整改进展情况"]
    for _, left, right in first[:2]:
        assert (left + right) / 2 == pytest.approx(pdf.LEFT + pdf.TEXT_WIDTH / 2, abs=2)
    last = _lines(seed_pdf)[-1]
    (signature, _, signature_right), (date, _, date_right) = last[-3], last[-2]
    assert (signature, date) == ("中共昌吉州委员会", "2023年12月26日")
    assert date_right == pytest.approx(pdf.PAGE_WIDTH - pdf.RIGHT - 4 * 16, abs=1)
    assert signature_right == pytest.approx(pdf.PAGE_WIDTH - pdf.RIGHT - 2 * 16, abs=1)


def test_a_long_number_never_leaves_a_line_far_short():
    unit = UnitSection("某县某镇党委", "某县", [ProblemPair(
        "问题" + "甲" * 22 + "1234567890123456789012345678901234567890" + "。", "整改。")])
    notice = Notice("B", "中共某县某镇委员会关于巡察整改进展情况的通报", None, None, None, [],
                    None, None, None, [unit])
    lines = [text for page in _lines(pdf.render(notice, ISSUED)) for text, _, _ in page]
    assert any("1234567890" in line for line in lines)
    assert "问题" + "甲" * 22 in "".join(lines)


def test_without_any_chinese_font_it_says_what_to_install(tmp_path, monkeypatch, seed_notice):
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path,))
    with pytest.raises(pdf.MissingFontError) as error:
        pdf.render(seed_notice, ISSUED)
    assert "没有可嵌入的中文字体" in error.value.message
    assert "fonts-arphic-gbsn00lp" in error.value.message


def test_a_role_without_its_own_font_borrows_one_and_says_so(tmp_path):
    song = pdf.resolve_fonts()["body"].path
    (tmp_path / song.name).symlink_to(song)
    fonts = pdf.resolve_fonts((tmp_path,))
    assert fonts["heading"].path.name == song.name and not fonts["heading"].own
    warnings = pdf.font_warnings(fonts)
    assert any("黑体（一级标题）缺少合适字体" in warning for warning in warnings)
    assert not any("仿宋" in warning for warning in warnings)


def test_fonts_are_found_in_the_order_of_preference(tmp_path: Path):
    for name in ("uming.ttc", "gbsn00lp.ttf"):
        (tmp_path / name).write_bytes(b"")
    assert pdf.resolve_fonts((tmp_path,))["body"].path.name == "gbsn00lp.ttf"


def test_the_same_notice_on_the_same_day_gives_the_same_bytes(seed_notice):
    notice = seed_notice.replace(units=seed_notice.units[:1])
    assert pdf.render(notice, ISSUED) == pdf.render(notice, ISSUED)
    assert pdf.render(notice, ISSUED) != pdf.render(notice, datetime.date(2023, 12, 27))


def test_any_document_given_as_paragraphs_takes_the_same_layout():
    from xuncha.notices.decode import decode
    from xuncha.notices.writers.compose import Paragraph, Role

    parts = [Paragraph(Role.TITLE, "关于巡察反馈意见整改情况的报告"),
             Paragraph(Role.BODY, "州党委巡察办："),
             Paragraph(Role.HEADING, "一、整改工作开展情况"),
             Paragraph(Role.SIGNATURE, "中共某镇委员会"), Paragraph(Role.DATE, "2024年6月20日")]
    text = decode(pdf.render_document(parts, author="某镇党委", issued=ISSUED), "report.pdf")
    assert [line.strip("\u3000") for line in text.splitlines()] == [part.text for part in parts]
