"""The words notices use to mark their parts, as data, and the patterns built from them.

Offices word the same thing many ways; add a wording here, not a branch in a reader.
Patterns run over normalised text (half-width punctuation, see ``normalize``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from xuncha.notices.names import NUMERAL_CHARS, ORG_FORMS
from xuncha.notices.normalize import Line

#: Labels that introduce a problem fed back to a unit.
PROBLEM_LABELS = (
    "巡察反馈问题", "巡视反馈问题", "反馈问题", "存在问题", "问题表现", "主要问题", "问题描述",
    "问题清单", "具体问题", "问题",
)

#: Labels that introduce what a unit did about a problem.
RECTIFICATION_LABELS = (
    "整改措施及成效", "整改措施和成效", "整改落实情况", "整改完成情况", "整改进展情况",
    "整改推进情况", "整改情况", "整改进展", "整改成效", "整改结果", "整改措施",
    "落实情况", "完成情况",
)

#: How a closing paragraph, a contact line or web-page chrome begins: nothing after it is a
#: problem or a rectification.
CLOSING_STARTS = (
    "欢迎广大", "欢迎社会各界", "欢迎干部群众", "联系电话", "联系方式", "举报电话", "值班电话",
    "电子邮箱", "邮政信箱", "通信地址", "通讯地址", "附件:", "主办单位", "承办单位", "版权所有",
    "网站标识码", "技术支持", "责任编辑", "打印本页", "关闭窗口", "上一篇", "下一篇", "【打印",
    "【关闭", "分享到", "扫一扫", "相关链接", "相关文章",
)


class Label(Enum):
    PROBLEM = "problem"
    RECTIFICATION = "rectification"


@dataclass(frozen=True)
class LabelMatch:
    kind: Label
    #: The label as written ("存在问题").
    label: str
    #: What follows the label on the same line.
    content: str


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUMERAL = f"[{NUMERAL_CHARS}]+"
#: Numbering in front of a heading or item, in the styles notices use.
NUMBERING = re.compile(
    rf"^(?:(?P<top>{_NUMERAL})[、.,]"
    rf"|\((?P<paren>{_NUMERAL})\)"
    rf"|第(?P<ordinal>{_NUMERAL})(?:[、.,:]|\s)"
    r"|(?P<arabic>\d{1,3})(?:、|\.(?!\d))"
    r"|\((?P<arabic_paren>\d{1,3})\)"
    r"|(?P<circled>[①-⑳]))\s*"
)

# Labels may be numbered themselves ("1.反馈问题:"), in any style NUMBERING knows.
_LABEL_NUMBER = (
    rf"(?:{_NUMERAL}[、.,]|\((?:{_NUMERAL}|\d{{1,3}})\)|第{_NUMERAL}[、.,:\s]"
    r"|\d{1,3}(?:、|\.(?!\d))|[①-⑳])?\s*"
)
_LABEL = re.compile(
    rf"^{_LABEL_NUMBER}[【\[]?(?:(?P<problem>{_alternation(PROBLEM_LABELS)})"
    rf"|(?P<rectification>{_alternation(RECTIFICATION_LABELS)}))"
    rf"[】\]]?\s*(?:\d{{1,3}}|{_NUMERAL})?\s*:\s*"
)
# "【反馈问题】…": a bracketed label needs no colon.
_BRACKET_LABEL = re.compile(
    rf"^{_LABEL_NUMBER}[【\[](?:(?P<problem>{_alternation(PROBLEM_LABELS)})"
    rf"|(?P<rectification>{_alternation(RECTIFICATION_LABELS)}))[】\]]\s*:?\s*"
)
_CLOSING = re.compile(rf"^(?:{_alternation(CLOSING_STARTS)})")
#: A name that ends in a party organisation's form ("木垒县东城镇党委", "中共XX镇委员会").
ORG_NAME = re.compile(
    rf"^[^\s,。:;“”]{{2,40}}?(?:{_alternation(ORG_FORMS)}|党组织)(?:\([^()]{{1,40}}\))?$")
#: Words that make a numbered line a topic rather than a unit, even if it ends like one.
NOT_A_UNIT = re.compile(r"关于|问题|方面|情况|“")
_SIGNATURE = re.compile(
    r"^[^\s,。:;“”]{2,40}?(?:委员会|党委|党工委|党组|委|办公室|巡察组|巡视组|领导小组)$"
)
#: A date on its own line, in digits or in the Chinese numerals documents are signed with.
DATE_LINE = re.compile(
    r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日$")
_DATE_LINE = DATE_LINE
# "问题表现:X。整改情况:Y。": a rectification label inside a problem's line starts a new line.
_INLINE_HINT = re.compile(r"[。;]\s*(?:整改|落实|完成)")
_INLINE_RECTIFICATION = re.compile(
    rf"(?<=[。;])\s*(?=(?:{_alternation(RECTIFICATION_LABELS)})\s*:)")


def match_label(text: str) -> LabelMatch | None:
    """The problem or rectification label a line starts with, if any ("整改情况:…")."""
    match = _LABEL.match(text) or _BRACKET_LABEL.match(text)
    if match is None:
        return None
    if match.group("problem"):
        return LabelMatch(Label.PROBLEM, match.group("problem"), text[match.end():])
    return LabelMatch(Label.RECTIFICATION, match.group("rectification"), text[match.end():])


def split_inline_labels(lines: Sequence[Line]) -> list[Line]:
    """Lines with a problem and its rectification on one line split in two, numbered alike."""
    result: list[Line] = []
    for line in lines:
        inline = _INLINE_HINT.search(line.text) is not None
        label = match_label(line.text) if inline else None
        if label is not None and label.kind is Label.PROBLEM:
            parts = _INLINE_RECTIFICATION.split(line.text)
            result.extend(Line(line.number, part) for part in parts if part)
        else:
            result.append(line)
    return result


def split_numbering(text: str) -> tuple[str | None, str]:
    """The numbering style of a heading ("top", "paren", …) and the text after the number."""
    match = NUMBERING.match(text)
    if match is None:
        return None, text
    return match.lastgroup, text[match.end():]


def is_closing(text: str, next_text: str | None) -> bool:
    """Whether a line starts the closing part: contacts, signature, date, page chrome."""
    if _CLOSING.match(text) or DATE_LINE.match(text):
        return True
    # A signature is an organisation's name on its own line above the date.
    return (next_text is None or _DATE_LINE.match(next_text) is not None) and bool(
        _SIGNATURE.match(text))
