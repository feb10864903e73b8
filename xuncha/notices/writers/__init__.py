"""Writers that publish a Notice as a document, by format name."""

from __future__ import annotations

from collections.abc import Callable

from xuncha.notices.model import Notice
from xuncha.notices.writers import html, txt

Writer = Callable[[Notice], str]

#: Output formats by name; each writer returns the whole document as text.
WRITERS: dict[str, Writer] = {
    "txt": txt.render,
    "html": html.render,
}


def render(notice: Notice, fmt: str) -> str:
    """The notice as a document in format `fmt` ("txt" or "html").

    Raises ValueError, in Chinese, for a format with no writer.
    """
    writer = WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"不支持的输出格式：{fmt}（可用：{'、'.join(WRITERS)}）")
    return writer(notice)
