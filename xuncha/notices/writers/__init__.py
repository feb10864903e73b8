"""Writers that publish a Notice as a document, by format name.

Text formats (txt, html) are written as text; the 公文 formats (docx, pdf) as bytes. Whatever
is saved or sent goes through ``render_bytes``; ``render`` gives the text of a text format.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from xuncha.notices.model import Notice
from xuncha.notices.writers import docx, html, pdf, txt

Writer = Callable[[Notice], str | bytes]

#: Output formats by name; a writer returns the whole document (text, or bytes for docx/pdf).
WRITERS: dict[str, Writer] = {
    "txt": txt.render,
    "html": html.render,
    "docx": docx.render,
    "pdf": pdf.render,
}

#: The formats written as text (UTF-8 when saved).
TEXT_FORMATS = frozenset({"txt", "html"})

#: The media type each format is served with.
CONTENT_TYPES: dict[str, str] = {
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

#: Raised by the pdf writer when the machine has no Chinese font to embed.
MissingFontError = pdf.MissingFontError


def render(notice: Notice, fmt: str) -> str:
    """The notice as a text document in format `fmt` ("txt" or "html").

    Raises ValueError, in Chinese, for a format with no writer or one written as bytes.
    """
    _check(fmt)
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"{fmt} 是二进制格式，不能作为文本输出")
    return txt.render(notice) if fmt == "txt" else html.render(notice)


def render_bytes(notice: Notice, fmt: str, *, issued: datetime.date | None = None) -> bytes:
    """The notice as the bytes of a file in format `fmt` (text formats in UTF-8).

    ``issued`` is the date signed under a 公文 (docx, pdf; default today). Raises ValueError,
    in Chinese, for a format with no writer, and MissingFontError (a ValueError) when a PDF
    cannot be made for want of a Chinese font.
    """
    _check(fmt)
    if fmt == "docx":
        return docx.render(notice, issued)
    if fmt == "pdf":
        return pdf.render(notice, issued)
    return render(notice, fmt).encode("utf-8")


def _check(fmt: str) -> None:
    if fmt not in WRITERS:
        raise ValueError(f"不支持的输出格式：{fmt}（可用：{'、'.join(WRITERS)}）")
