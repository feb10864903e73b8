"""The .docx notice opens in LibreOffice: converted headless to PDF, it keeps our layout.

LibreOffice substitutes its own fonts for 仿宋_GB2312 and the rest, so its PDF is compared
with ours by what does not depend on the font: A4 pages of 22 lines of 28 characters (hence
about as many pages as our own PDF), and the facts, units and problems our parser reads from
it.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from xuncha.notices.model import Notice
from xuncha.notices.parse import parse_document
from xuncha.notices.writers import docx, pdf

ISSUED = datetime.date(2023, 12, 26)


def _pages(data: bytes) -> list[PDFPage]:
    return list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))


def test_libreoffice_converts_the_docx_to_pdf_with_our_layout(
    seed_notice: Notice, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: bash scripts/ensure-libreoffice.sh")
    source = tmp_path / "notice.docx"
    source.write_bytes(docx.render(seed_notice, ISSUED))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    converted = tmp_path / "notice.pdf"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    data = converted.read_bytes()

    pages = _pages(data)
    for page in pages:
        width, height = page.mediabox[2] - page.mediabox[0], page.mediabox[3] - page.mediabox[1]
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    ours = _pages(pdf.render(seed_notice, ISSUED))
    assert abs(len(pages) - len(ours)) <= 1, (len(pages), len(ours))

    notice = parse_document(data, "converted.pdf")
    assert notice.replace(units=[]) == seed_notice.replace(units=[])  # title, dates, counts …
    assert [unit.name for unit in notice.units] == [unit.name for unit in seed_notice.units]
    assert notice.problem_count == seed_notice.problem_count
    # LibreOffice leaves a comma it hangs at a line's end out of the PDF's text; the words are
    # all there.
    read = [_words(p.problem + p.rectification) for u in notice.units for p in u.problems]
    assert read == [_words(p.problem + p.rectification)
                    for u in seed_notice.units for p in u.problems]


def _words(text: str) -> str:
    return re.sub(r"[\W_]", "", text)
