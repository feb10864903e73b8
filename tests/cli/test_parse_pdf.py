"""`xuncha parse file.pdf`: a PDF notice with a text layer is read; a scan is refused."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

from fpdf import FPDF

from tests.conftest import SEED
from xuncha.notices.decode import SCANNED_PDF
from xuncha.notices.parse import parse_text
from xuncha.notices.writers import pdf


def _xuncha(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha.cli", *args], capture_output=True, text=True, timeout=120,
        check=False,
    )


def test_it_reads_a_pdf_notice(tmp_path: Path) -> None:
    notice = parse_text(SEED.read_text(encoding="utf-8"))
    target = tmp_path / "通报.pdf"
    target.write_bytes(pdf.render(notice, datetime.date(2024, 6, 20)))
    result = _xuncha("parse", "--json", str(target))
    assert result.returncode == 0, result.stderr
    parsed, written = json.loads(result.stdout), notice.to_json()
    # The copy read says when it was signed and how complete it is; the facts are the same.
    assert parsed.pop("published") == "2024-06-20"
    for copy_only in ("published", "completeness"):
        written.pop(copy_only, None)
        parsed.pop(copy_only, None)
    assert parsed == written


def test_it_refuses_a_scanned_pdf_in_one_line(tmp_path: Path) -> None:
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 170, 250, style="F")
    target = tmp_path / "扫描件.pdf"
    target.write_bytes(bytes(scan.output()))
    result = _xuncha("parse", str(target))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{target}: {SCANNED_PDF}"
    assert "扫描件" in SCANNED_PDF
