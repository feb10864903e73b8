"""Archives are refused before unpacking when they would unpack too far, use a compression
Word never writes, or lie in their headers; memory stays bounded."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from tests.notices.conftest import SEED
from xuncha.notices.decode import decode
from xuncha.notices.model import NoticeError
from xuncha.zipguard import ArchiveError, check_archive

MB = 1024 * 1024


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb(size: int) -> bytes:
    return _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * size})


def _set_method(data: bytes, method: int) -> bytes:
    raw = bytearray(data)
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    raw[local + 8 : local + 10] = method.to_bytes(2, "little")
    raw[central + 10 : central + 12] = method.to_bytes(2, "little")
    return bytes(raw)


def _lie_about_size(data: bytes, size: int) -> bytes:
    """Every member's declared uncompressed size in the central directory set to ``size``."""
    raw = bytearray(data)
    start = 0
    while (at := raw.find(b"PK\x01\x02", start)) >= 0:
        raw[at + 24 : at + 28] = size.to_bytes(4, "little")
        start = at + 4
    return bytes(raw)


def test_a_small_document_passes() -> None:
    check_archive(_zip({"a.xml": b"<a/>" * 1000}), limit=MB)


def test_more_than_the_limit_declared_is_refused() -> None:
    with pytest.raises(ArchiveError, match="解压后超过"):
        check_archive(_zip({"a.xml": b"x" * (2 * MB)}, zipfile.ZIP_STORED), limit=MB)


def test_a_ratio_no_document_has_is_refused() -> None:
    with pytest.raises(ArchiveError, match="压缩比异常"):
        check_archive(_bomb(20 * MB), limit=100 * MB)


def test_headers_that_lie_are_caught_while_unpacking_in_bounded_memory() -> None:
    data = _lie_about_size(_bomb(30 * MB), 10)  # declares 10 bytes per member
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError):
            check_archive(data, limit=5 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB


def test_an_unsupported_compression_is_refused() -> None:
    with pytest.raises(ArchiveError, match="不支持的压缩方式"):
        check_archive(_set_method(_zip({"a.xml": b"<a/>"}), 99))


def test_not_a_zip_passes_to_the_reader_that_says_what_it_is() -> None:
    check_archive(b"plain text")


def test_a_docx_bomb_is_a_notice_error() -> None:
    with pytest.raises(NoticeError, match="已拒绝"):
        decode(_bomb(60 * MB), "炸弹.docx")


def test_a_docx_with_unsupported_compression_is_a_notice_error() -> None:
    with pytest.raises(NoticeError, match="不支持的压缩方式"):
        decode(_set_method(_zip({"[Content_Types].xml": b"<x/>"}), 99), "x.docx")


@pytest.mark.parametrize("data", [
    "<html><body><p>巡察\x0b整改\x0c通报</p></body></html>".encode(),
    b"<!doctype html><p>\x0b\x0c</p>",
])
def test_control_characters_in_html_never_crash(data: bytes) -> None:
    try:
        text = decode(data, "x.html")
    except NoticeError:
        return
    assert "\x0b" not in text


def test_a_damaged_docx_or_pdf_is_a_notice_error() -> None:
    good = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w:document"})
    for data, name in [(good, "x.docx"), (b"PK\x03\x04" + b"\0" * 50, "y.docx"),
                       (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "z.pdf"), (b"%PDF-", "w.pdf"),
                       (SEED.read_bytes()[:100] + b"\xff\xfe\x00", "v.txt")]:
        with pytest.raises(NoticeError):
            decode(data, name)
