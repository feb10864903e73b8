"""Reading the text layer of PDFs: page numbers dropped, wrapped lines joined, scans refused."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from tests.documents import real_pdf
from xuncha.notices.decode import ENCRYPTED_PDF, SCANNED_PDF, decode
from xuncha.notices.model import NoticeError
from xuncha.notices.writers.pdf import resolve_fonts

PARAGRAPH = "整改情况：" + "组织财务人员学习农村集体经济组织财务制度，加强对固定资产的监管。" * 3


def _pdf(pages: list[list[tuple[str, str]]]) -> bytes:
    """A PDF laid out like a 公文 by plain fpdf2 calls: per page, (alignment, text) lines."""
    font = resolve_fonts()["body"]
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", "", str(font.path), collection_font_number=font.index)
    pdf.set_font("cjk", size=16)
    pdf.c_margin = 0
    for number, lines in enumerate(pages, 1):
        pdf.add_page()
        for row, (align, text) in enumerate(lines):
            pdf.set_xy(80 + (32 if align == "indent" else 0), 100 + row * 29)
            pdf.cell(440 - (32 if align == "indent" else 0), 29, text,
                     align="R" if align == "right" else "L")
        pdf.set_xy(80, 780)
        pdf.cell(440, 20, f"— {number} —", align="R" if number % 2 else "L")
    return bytes(pdf.output())


def _wrapped(text: str, first: int = 25, width: int = 27) -> list[tuple[str, str]]:
    lines = [("indent", text[:first])]
    lines += [("left", text[i:i + width]) for i in range(first, len(text), width)]
    return lines


def test_it_joins_wrapped_lines_and_drops_page_numbers():
    text = decode(_pdf([_wrapped(PARAGRAPH), [("right", "中共某镇委员会"),
                                              ("right", "2024年6月20日")]]), "n.pdf")
    assert text.splitlines() == ["\u3000\u3000" + PARAGRAPH, "\u3000\u3000中共某镇委员会",
                                 "\u3000\u30002024年6月20日"]


def test_a_paragraph_goes_on_across_a_page_break():
    lines = _wrapped(PARAGRAPH)
    text = decode(_pdf([lines[:2], lines[2:]]), "n.pdf")
    assert text.splitlines() == ["\u3000\u3000" + PARAGRAPH]


def test_an_indented_line_starts_a_new_paragraph_even_after_a_full_line():
    lines = [*_wrapped(PARAGRAPH), ("indent", "反馈问题：普法宣传不深入。")]
    second = decode(_pdf([lines]), "n.pdf").splitlines()[1]
    assert second == "\u3000\u3000反馈问题：普法宣传不深入。"


def test_it_refuses_a_scan_without_a_text_layer():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    with pytest.raises(NoticeError, match=f"^{SCANNED_PDF}$"):
        decode(bytes(pdf.output()), "scan.pdf")
    assert "扫描件" in SCANNED_PDF


def test_it_refuses_a_pdf_that_needs_a_password():
    pdf = FPDF()
    pdf.set_encryption(owner_password="o", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="locked")
    with pytest.raises(NoticeError, match=f"^{ENCRYPTED_PDF}$"):
        decode(bytes(pdf.output()), "locked.pdf")


def test_it_reads_a_pdf_found_by_its_content_whatever_its_name():
    assert decode(real_pdf("Training sign-in sheet"), "upload.bin") == "Training sign-in sheet"


def test_the_gap_office_software_sets_around_digits_is_not_read_as_a_space():
    line = "2023 年 8 月 29 日，培训 AAA 级景区 3 期，共 201 名。"
    assert decode(_pdf([[("left", line)]]), "n.pdf") == "2023年8月29日，培训AAA级景区3期，共201名。"
