"""The .docx 公文: GB/T 9704 layout, and it reads back into the same notice."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.notices.model import Notice
from xuncha.notices.parse import parse_document
from xuncha.notices.writers.compose import unit_notice
from xuncha.notices.writers.docx import render

ISSUED = datetime.date(2023, 12, 26)


@pytest.fixture(scope="module")
def seed_docx(seed_notice: Notice) -> bytes:
    return render(seed_notice, ISSUED)


def _east_asia(run) -> str:  # type: ignore[no-untyped-def]
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_round_notice_reads_back_into_the_same_notice(seed_docx, seed_notice):
    assert parse_document(seed_docx, "notice.docx") == seed_notice


@pytest.mark.parametrize("index", range(7))
def test_each_units_notice_reads_back_into_the_same_notice(seed_notice, index):
    notice = unit_notice(seed_notice, seed_notice.units[index])
    back = parse_document(render(notice, ISSUED), "unit.docx")
    assert back == notice
    assert back.shape == "B"


def test_the_page_is_a4_with_the_standard_margins_and_grid(seed_docx):
    document = docx.Document(io.BytesIO(seed_docx))
    section = document.sections[0]
    # Word stores lengths in twentieths of a point: compare to a tenth of a millimetre.
    sizes = [round(length.mm, 1) for length in (
        section.page_width, section.page_height, section.top_margin, section.bottom_margin,
        section.left_margin, section.right_margin)]
    assert sizes == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    assert Mm(297 - 37 - 35).pt >= 22 * 28.95


def test_body_text_is_condensed_so_28_characters_fill_a_line(seed_docx):
    paragraphs = [p for p in docx.Document(io.BytesIO(seed_docx)).paragraphs if p.text]
    for paragraph in paragraphs[2:]:
        properties = paragraph.runs[0]._r.rPr
        spacing = properties.find(qn("w:spacing"))
        condensed = int(spacing.get(qn("w:val"))) / 20  # twentieths of a point
        # In the schema's order, which Word insists on: w:spacing before w:sz.
        assert list(properties).index(spacing) < list(properties).index(properties.find(qn("w:sz")))
        assert 28 * (16 + condensed) <= Mm(156).pt < 29 * (16 + condensed)
    assert paragraphs[0].runs[0]._r.rPr.find(qn("w:spacing")) is None  # the title is not


def test_title_body_and_headings_use_the_standard_fonts_and_sizes(seed_docx):
    paragraphs = [p for p in docx.Document(io.BytesIO(seed_docx)).paragraphs if p.text]
    title, opening, heading, label = paragraphs[0], paragraphs[2], paragraphs[3], paragraphs[4]
    assert [title.text, paragraphs[1].text] == [
        "十二届昌吉州党委第五轮巡察", "7个乡镇（街道）整改进展情况"]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (_east_asia(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    assert (_east_asia(opening.runs[0]), opening.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert opening.paragraph_format.first_line_indent == Pt(32)
    assert heading.text == "一、木垒县东城镇党委"
    assert _east_asia(heading.runs[0]) == "黑体"
    assert label.text.startswith("反馈问题：人才振兴问题突出。")
    assert _east_asia(label.runs[0]) == "仿宋_GB2312"
    normal = docx.Document(io.BytesIO(seed_docx)).styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(28.95)


def test_a_unit_notice_sets_its_item_headings_in_kai(seed_notice):
    data = render(unit_notice(seed_notice, seed_notice.units[0]), ISSUED)
    paragraphs = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    item = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert _east_asia(item.runs[0]) == "楷体_GB2312"
    heading = next(p for p in paragraphs if p.text == "一、巡察反馈问题整改落实情况")
    assert _east_asia(heading.runs[0]) == "黑体"
    # The title breaks between words, each line within the 20 characters of 22 pt a line holds.
    assert [p.text for p in paragraphs[:3]] == [
        "中共木垒县东城镇委员会", "关于十二届昌吉州党委第五轮巡察", "整改进展情况的通报"]


def test_it_ends_with_the_signature_and_the_date_on_the_right(seed_docx):
    paragraphs = [p for p in docx.Document(io.BytesIO(seed_docx)).paragraphs if p.text]
    signature, date = paragraphs[-2:]
    assert (signature.text, date.text) == ("中共昌吉州委员会", "2023年12月26日")
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)  # four characters in


def test_page_numbers_are_right_on_odd_pages_and_left_on_even_pages(seed_docx):
    document = docx.Document(io.BytesIO(seed_docx))
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, alignment in [(section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)]:
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert paragraph.text == "— 1 —"  # the PAGE field's cached value between the dashes
        assert paragraph._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert {(_east_asia(run), run.font.size) for run in paragraph.runs} == {("宋体", Pt(14))}


def test_the_same_notice_on_the_same_day_gives_the_same_bytes(seed_notice, seed_docx):
    assert render(seed_notice, ISSUED) == seed_docx


def test_it_carries_no_preview_of_python_docxs_sample_page(seed_docx):
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(seed_docx)).namelist()
    assert not [name for name in names if "thumbnail" in name]
    assert docx.Document(io.BytesIO(seed_docx)).core_properties.title == (
        "十二届昌吉州党委第五轮巡察7个乡镇（街道）整改进展情况")


def test_any_document_given_as_paragraphs_takes_the_same_layout():
    from xuncha.notices.writers.compose import Paragraph, Role
    from xuncha.notices.writers.docx import render_document

    parts = [Paragraph(Role.TITLE, "关于巡察反馈意见整改情况的报告"),
             Paragraph(Role.BODY, "州党委巡察办："),
             Paragraph(Role.HEADING, "一、整改工作开展情况"),
             Paragraph(Role.SUBHEADING, "（一）关于某问题"),
             Paragraph(Role.SIGNATURE, "中共某镇委员会"),
             Paragraph(Role.DATE, "2024年6月20日")]
    data = render_document(parts, author="某镇党委", issued=ISSUED)
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs if p.text] == [part.text for part in parts]
    assert document.core_properties.author == "某镇党委"
    assert document.sections[0].even_page_footer.paragraphs[0].text == "— 1 —"
