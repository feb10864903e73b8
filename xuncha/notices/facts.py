"""The facts of an inspection round, read from a notice's title and opening paragraph.

The patterns target the shape of each phrase ("十二届昌吉州党委第五轮巡察", "派出7个巡察组",
"2023年8月29日至10月26日"), not one notice's words. They run over normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xuncha.notices.model import PartialDate
from xuncha.notices.names import NUMERAL_CHARS, cn_to_int

_NUMBER = rf"(?:\d+|[{NUMERAL_CHARS}]+)"
_INSPECTION = "巡[察视]"

_ROUND = re.compile(rf"第(?P<round>{_NUMBER})轮{_INSPECTION}")
_TERM = re.compile(rf"(?P<term>{_NUMBER}届)$")
# Where a committee's name may begin: after its term, after "关于"/"对", or after punctuation.
_ISSUER_START = re.compile(r"届|关于|根据|按照|[,。、;:\s“”()]")
_COMMITTEE = re.compile(r"(?:党委|党工委|党组|委)$")
_DEPLOYMENT = re.compile(rf"(?:根据|按照|依据)(?P<issuer>[\u4e00-\u9fff]{{1,12}}?(?:党委|党组|委))"
                         rf"(?:{_INSPECTION}工作)?(?:的)?统一部署")
_GROUP_NAME = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff]{{1,12}}?(?:党委|党组|委))第{_NUMBER}{_INSPECTION}组"
)
_GROUP_COUNT = re.compile(rf"(?:派出|派驻|组建|成立)(?P<count>{_NUMBER})个{_INSPECTION}组")
_KINDS = re.compile(rf"(?:开展|进行)了?(?P<kinds>[^,。;:]{{0,60}}?{_INSPECTION}(?:“回头看”)?)"
                    r"(?=[,。;]|$)")
_KIND_SEPARATOR = re.compile(r"(?:(?<=巡察)|(?<=巡视)|(?<=”))(?:以及|和|及|与|、)")
_NOT_A_KIND = frozenset({"", "巡察", "巡视"})
_DATE = r"(?P<{p}y>\d{{4}})年(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}})日)?"
_RANGE = re.compile(
    _DATE.format(p="a") + r"\s*(?:至|到|—|–|-|~)\s*"
    r"(?:(?P<by>\d{4})年)?(?:(?P<bm>\d{1,2})月)?(?:(?P<bd>\d{1,2})日)?"
)
_SINGLE_DATE = re.compile(_DATE.format(p=""))
_SCOPE_IN_TITLE = re.compile(
    rf"{_INSPECTION}{_NUMBER}个(?P<label>[^,。;:]{{1,20}}?)(?:的|党组织)?(?:{_INSPECTION})?(?:整改|$)"
)
_SCOPE_IN_OPENING = re.compile(rf"{_NUMBER}个(?P<label>[^,。;:、]{{1,20}}?)党组织")


@dataclass
class RoundFacts:
    """What a notice says about the round it reports on; None where it does not say."""

    issuer: str | None = None
    term: str | None = None
    round: int | None = None
    kinds: list[str] = field(default_factory=list)
    inspection_start: PartialDate | None = None
    inspection_end: PartialDate | None = None
    feedback_date: PartialDate | None = None
    group_count: int | None = None
    scope_label: str | None = None


def read_facts(title: str, opening: str) -> RoundFacts:
    """The round facts in a notice's (normalised) title and opening paragraph(s)."""
    text = f"{title}\n{opening}"
    issuer, term, number = _read_round(text)
    start, end, range_span = _read_inspection_period(opening)
    return RoundFacts(
        issuer=issuer or _read_deployment_issuer(text),
        term=term,
        round=number,
        kinds=read_kinds(opening),
        inspection_start=start,
        inspection_end=end,
        feedback_date=_read_feedback_date(opening, range_span),
        group_count=_read_group_count(opening),
        scope_label=_read_scope(title, opening),
    )


def read_kinds(text: str) -> list[str]:
    """Kinds of inspection named after 开展/进行.

    "开展了常规巡察和基层组织建设专项巡察" -> ["常规巡察", "基层组织建设专项巡察"].

    Splits only after "巡察", so a kind whose name contains "和" stays whole.
    """
    match = _KINDS.search(text)
    if match is None:
        return []
    # "为期两个月的常规巡察": what precedes "的" describes the inspection, it is not its kind.
    named = _KIND_SEPARATOR.split(match.group("kinds"))
    kinds = [kind.rpartition("的")[2].strip() for kind in named]
    return [kind for kind in kinds if kind not in _NOT_A_KIND]


def _read_round(text: str) -> tuple[str | None, str | None, int | None]:
    """Issuer, term and round from the first "[届][委]第N轮巡察" phrase that names them."""
    issuer = term = None
    number = None
    for match in _ROUND.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        segment = _ISSUER_START.split(before)[-1]
        found_term = _TERM.search(before[: len(before) - len(segment)])
        if number is None:
            number = cn_to_int(match.group("round"))
        if issuer is None and _COMMITTEE.search(segment):
            issuer = segment
        if term is None and found_term:
            term = found_term.group("term")
        if issuer and term:
            break
    return issuer, term, number


def _read_deployment_issuer(text: str) -> str | None:
    match = _DEPLOYMENT.search(text) or _GROUP_NAME.search(text)
    return match.group("issuer") if match else None


def _read_inspection_period(
    opening: str,
) -> tuple[PartialDate | None, PartialDate | None, tuple[int, int]]:
    for match in _RANGE.finditer(opening):
        if not (match.group("bm") or match.group("bd")):
            continue
        start = _partial(match.group("ay"), match.group("am"), match.group("ad"))
        end = PartialDate(
            int(match.group("by") or start.year),
            int(match.group("bm") or start.month),
            int(match.group("bd")) if match.group("bd") else None,
        )
        return start, end, match.span()
    return None, None, (0, 0)


def _read_feedback_date(opening: str, skip: tuple[int, int]) -> PartialDate | None:
    """The date in the first sentence that speaks of 反馈, outside the inspection period."""
    offset = 0
    for sentence in opening.split("。"):
        if "反馈" in sentence:
            for match in _SINGLE_DATE.finditer(sentence):
                start = offset + match.start()
                if not skip[0] <= start < skip[1]:
                    return _partial(match.group("y"), match.group("m"), match.group("d"))
        offset += len(sentence) + 1
    return None


def _read_group_count(opening: str) -> int | None:
    match = _GROUP_COUNT.search(opening)
    return cn_to_int(match.group("count")) if match else None


def _read_scope(title: str, opening: str) -> str | None:
    match = _SCOPE_IN_TITLE.search(title) or _SCOPE_IN_OPENING.search(opening)
    return match.group("label") if match else None


def _partial(year: str, month: str, day: str | None) -> PartialDate:
    return PartialDate(int(year), int(month), int(day) if day else None)
