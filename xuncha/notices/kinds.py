"""What a text is, when it is not a rectification notice: the refusals, each with its reason.

Offices save whatever a committee's site shows them: entry announcements (进驻公告), news of a
feedback meeting (反馈会), of a follow-up inspection (回访督查), of a mobilisation meeting
(动员会), or a whole list page. Each is refused with a reason that says what it is. A text with
any sign of reporting rectification is never refused here; the readers take it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from xuncha.notices.model import NoticeError
from xuncha.notices.normalize import Line
from xuncha.notices.shapes.base import Preamble

ENTRY_ANNOUNCEMENT = "这是巡察进驻公告，不是整改情况通报"
FEEDBACK_NEWS = "这是巡察反馈会（反馈情况）的新闻报道，不是整改情况通报"
FOLLOW_UP_NEWS = "这是巡察整改回访督查的新闻报道，不是整改情况通报"
MOBILISATION_NEWS = "这是巡察工作动员会的新闻报道，不是整改情况通报"
LIST_PAGE = "这是文章列表页（列出{count}篇文章），不是整改情况通报；请打开其中的通报另存后再读取"

_ENTRY_TITLE = re.compile(r"进驻|巡[察视](?:工作)?的?公告$")
_MOBILISATION = re.compile(r"动员(?:部署)?(?:会|大会)")
_FOLLOW_UP = re.compile(r"回访|督查|督导|“回头看”督|整改.{0,4}检查")
_FEEDBACK_NEWS_TITLE = re.compile(r"反馈")
_FEEDBACK_NEWS_BODY = re.compile(
    r"反馈会|反馈指出|反馈要求|反馈强调|反馈了巡[察视]情况|反馈巡[察视]情况")
#: A notice's own title: "…整改进展情况的通报", "…整改情况", not a news headline "整改“开良方”".
_NOTICE_TITLE = re.compile(r"整改.{0,12}(?:情况|通报|公告|公开|进展|报告)")
_ENTRY_BODY = re.compile(r"进驻")
_ENTRY_SIGNS = re.compile(r"巡[察视]期间|受理|值班电话|来信来电来访|信访截止")
#: Signs that a text reports rectification: "现将整改进展情况予以公布", labels, figures.
_REPORTS_RECTIFICATION = re.compile(
    r"整改(?:进展|落实|完成|工作)?情况(?:予以|向社会|如下|报告如下|通报如下)|现将[^。]{0,40}整改"
    r"|^(?:[一二三四五六七八九十\d]+[、.]|\(\S{1,3}\))?\s*整改(?:情况|进展|落实情况|措施|成效)\s*:"
    r"|完成整改\d|已完成整改|整改完成率|完成率\d",
    re.MULTILINE,
)
#: A list entry: a short line that starts or ends with a date.
_LISTED = re.compile(r"^[ \t\u3000]*\d{4}[-./]\d{1,2}[-./]\d{1,2}"
                     r"|\d{4}[-./]\d{1,2}[-./]\d{1,2}\]?\)?[ \t\u3000]*$", re.MULTILINE)
_LIST_MIN = 5
#: A paragraph of prose: a list page has none.
_PARAGRAPH_LINE = re.compile(r"^[^\n]{100,}。", re.MULTILINE)


def refuse_other_documents(text: str, lines: Sequence[Line], preamble: Preamble) -> None:
    """Raise NoticeError, saying what the text is, for the documents around a rectification
    notice; return for anything that may be one. `text` is the decoded text, `lines` its
    normalised lines."""
    # A list page's lines are all about as long; unwrapping would glue them together.
    _refuse_list_page(text)
    title = preamble.title
    if title and (reason := _title_kind(title)):
        raise NoticeError(reason, line=preamble.title_line)
    if reports_rectification(lines, title):
        return
    text = "\n".join(line.text for line in lines[:60])
    if _ENTRY_BODY.search(text) and _ENTRY_SIGNS.search(text):
        raise NoticeError(ENTRY_ANNOUNCEMENT, line=preamble.title_line)
    if _MOBILISATION.search(text):
        raise NoticeError(MOBILISATION_NEWS, line=preamble.title_line)
    if _FOLLOW_UP.search(text) and "整改" in text:
        raise NoticeError(FOLLOW_UP_NEWS, line=preamble.title_line)
    if _FEEDBACK_NEWS_BODY.search(text):
        raise NoticeError(FEEDBACK_NEWS, line=preamble.title_line)


def reports_rectification(lines: Sequence[Line], title: str) -> bool:
    """Whether the text is recognisably a rectification notice (its title or its words)."""
    if _NOTICE_TITLE.search(title) and _title_kind(title) is None:
        return True
    return _REPORTS_RECTIFICATION.search("\n".join(line.text for line in lines)) is not None


def _title_kind(title: str) -> str | None:
    if _MOBILISATION.search(title):
        return MOBILISATION_NEWS
    if "整改" in title and _FOLLOW_UP.search(title):
        return FOLLOW_UP_NEWS
    if _NOTICE_TITLE.search(title):
        return None
    if _ENTRY_TITLE.search(title):
        return ENTRY_ANNOUNCEMENT
    if _FEEDBACK_NEWS_TITLE.search(title):
        return FEEDBACK_NEWS
    if _FOLLOW_UP.search(title) and "巡" in title:
        return FOLLOW_UP_NEWS
    return None


def _refuse_list_page(text: str) -> None:
    if _PARAGRAPH_LINE.search(text):
        return
    listed = len(_LISTED.findall(text))
    if listed >= _LIST_MIN:
        raise NoticeError(LIST_PAGE.format(count=listed))
