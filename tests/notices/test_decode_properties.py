"""Property-based: whatever bytes or text come in, the reader answers with text or a
NoticeError (the one-line refusal), never another exception. Bounded examples, fixed seed."""

from __future__ import annotations

import io
import zipfile

import docx
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from xuncha.notices.decode import decode, decode_html, decode_text
from xuncha.notices.model import NoticeError
from xuncha.notices.parse import parse_document, parse_text

FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
NAMES = st.sampled_from(["x.txt", "x.html", "x.docx", "x.pdf", "x", "x.htm"])
# Text that looks a little like a notice, with controls and odd characters mixed in.
NOTICE_BITS = st.sampled_from([
    "关于十二届昌吉州党委第五轮巡察整改情况的通报", "一、木垒县东城镇党委", "（一）", "1.",
    "反馈问题：", "整改情况：", "已完成", "\x0b", "\x0c", "\x00", "\r\n", "\ufeff", "<p>", "</p>",
    "<html>", "<br>", "&#0;", "&#x0b;", "2024年3月", "\u3000", "\ud7ff", "巡察",
])
NOTICE_TEXT = st.lists(st.one_of(NOTICE_BITS, st.text(max_size=20)), max_size=40).map("".join)


def _never_crashes(call: object, *args: object) -> None:
    try:
        call(*args)  # type: ignore[operator]
    except NoticeError as error:
        assert str(error)


@FAST
@given(data=st.binary(max_size=2000), name=NAMES)
def test_decode_and_parse_of_any_bytes(data: bytes, name: str) -> None:
    _never_crashes(decode, data, name)
    _never_crashes(parse_document, data, name)


@FAST
@given(text=NOTICE_TEXT)
def test_parse_of_any_text(text: str) -> None:
    _never_crashes(parse_text, text)
    _never_crashes(decode_text, text.encode("utf-8", "surrogatepass"))


@FAST
@given(text=NOTICE_TEXT)
def test_html_with_any_content(text: str) -> None:
    page = f"<!doctype html><html><body><p>{text}</p></body></html>".encode(
        "utf-8", "surrogatepass")
    _never_crashes(decode_html, page)
    _never_crashes(parse_document, page, "x.html")


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        # Word cannot hold XML-incompatible characters; what it can hold is what we get.
        document.add_paragraph("".join(c for c in paragraph if c.isprintable() or c == "\n"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(NOTICE_TEXT, max_size=5), cut=st.integers(0, 4000),
       flip=st.integers(0, 255))
@seed(8)
def test_docx_whole_cut_or_flipped(paragraphs: list[str], cut: int, flip: int) -> None:
    data = _docx_bytes(paragraphs)
    _never_crashes(parse_document, data, "x.docx")
    _never_crashes(parse_document, data[:cut], "x.docx")
    damaged = bytearray(data)
    damaged[cut % len(damaged)] ^= flip
    _never_crashes(parse_document, bytes(damaged), "x.docx")


def test_a_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    _never_crashes(parse_document, buffer.getvalue(), "x.docx")
