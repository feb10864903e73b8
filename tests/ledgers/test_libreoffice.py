"""The workbook we write opens in LibreOffice Calc, with user text still text."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ledgers.sample import sample_ledger
from xuncha.ledgers.write import write_ledger


def calc_available() -> bool:
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("../program/libsclo.so"))


@pytest.mark.skipif(not calc_available(),
                    reason="LibreOffice Calc is not installed (apt install libreoffice-calc-nogui)")
def test_libreoffice_reads_the_ledger(tmp_path: Path) -> None:
    source = tmp_path / "台账.xlsx"
    source.write_bytes(write_ledger(sample_ledger(), lists=True))
    # Export the first sheet as UTF-8 CSV (filter options: comma, quote, UTF-8).
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
         str(source)], check=True, capture_output=True, timeout=120)
    rows = list(csv.reader((tmp_path / "台账.csv").open(encoding="utf-8")))

    assert rows[0][0] == "十二届昌吉州党委第五轮巡察反馈问题整改台账"
    assert rows[1][:5] == ["序号", "巡察组", "被巡察单位", "问题类别", "反馈问题"]
    assert rows[3][6] == "=每月开展专题研讨"  # text, not a formula LibreOffice evaluated
    assert rows[2][9] == "2024-03-31"
