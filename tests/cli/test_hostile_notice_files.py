"""`xuncha parse` and `xuncha import` on damaged and hostile files: one line per bad file,
exit 2, the good files still read or imported, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import SEED
from xuncha.inspections.models import Round

pytestmark = pytest.mark.django_db


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    files = {
        "控制字符.html": "<html><body><p>巡察\x0b整改\x0c</p></body></html>".encode(),
        "坏的.docx": b"PK\x03\x04" + b"\x00" * 64,
        "炸弹.docx": _bomb(),
        "坏的.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\n",
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_parse_refuses_each_bad_file_in_one_line_and_reads_the_good_one(
    bad_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("parse", *map(str, bad_files), str(SEED), "--json")
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line]
    assert [line.split(": ", 1)[0] for line in errors] == [str(p) for p in bad_files]
    assert "Traceback" not in captured.err
    assert "已拒绝" in errors[2]
    assert "十二届昌吉州党委第五轮巡察" in captured.out


def test_import_carries_on_past_each_bad_file(
    bad_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(bad_files[0]), str(bad_files[2]), str(SEED),
                     str(bad_files[3]), stdout=out)
    assert exit_info.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(errors) == 3 and all(line.endswith("未导入") for line in errors)
    assert Round.objects.count() == 1
    assert "新建巡察轮次1个" in out.getvalue()
