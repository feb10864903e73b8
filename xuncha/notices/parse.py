"""Read a published rectification notice, in any of its shapes, into a :class:`Notice`."""

from __future__ import annotations

import re
from collections.abc import Sequence

from xuncha.notices.decode import EMPTY, decode
from xuncha.notices.model import Notice, NoticeError
from xuncha.notices.normalize import Line, normalize_lines
from xuncha.notices.shapes import READERS
from xuncha.notices.shapes.base import split_preamble

NO_UNIT = "未找到被巡察单位标题"
ENTRY_ANNOUNCEMENT = "这是巡察进驻公告，不是整改情况通报"

_ENTRY_TITLE = re.compile(r"进驻|巡[察视](?:工作)?的?公告$")


def parse_document(data: bytes, filename: str) -> Notice:
    """Parse an uploaded notice (.txt, .html, .docx, .pdf …; see ``decode``).

    Raises NoticeError, in Chinese and with a line number where one helps, for anything that is
    not a readable rectification notice.
    """
    return parse_text(decode(data, filename))


def parse_text(text: str) -> Notice:
    """Parse the text of a rectification notice; see ``parse_document``."""
    lines = normalize_lines(text)
    if not lines:
        raise NoticeError(EMPTY)
    _reject_other_documents(lines)
    for reader in READERS.values():
        notice = reader.read(lines)
        if notice is not None:
            return notice
    raise NoticeError(NO_UNIT)


def _reject_other_documents(lines: Sequence[Line]) -> None:
    """Documents of the inspection cycle that look like notices but report no rectification."""
    preamble = split_preamble(lines)
    if "整改" not in preamble.title and _ENTRY_TITLE.search(preamble.title):
        raise NoticeError(ENTRY_ANNOUNCEMENT, line=preamble.title_line)
