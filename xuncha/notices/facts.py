"""The facts of an inspection round, read from a notice's title and opening paragraph.

The patterns target the shape of each phrase ("十二届昌吉州党委第五轮巡察", "派出7个巡察组",
"2023年8月29日至10月26日"), not one notice's words. They run over normalised text.

Dates are read as written: a date without its year ("9月5日") takes the year of the dates
around it, else of the title, else of the publication date; "上旬/中旬/下旬" and "月底" give the
month only, never a made-up day; a year typed as a month ("2024月10月15日") is read leniently
and reported as a warning.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from xuncha.notices.model import HeadlineFigures, PartialDate
from xuncha.notices.names import NUMERAL_CHARS, cn_to_int, committee_name

_NUMBER = rf"(?:\d+|[{NUMERAL_CHARS}]+)"
_INSPECTION = "巡[察视]"

_ROUND = re.compile(rf"第(?P<round>{_NUMBER})轮{_INSPECTION}")
_ROUND_YEAR = re.compile(r"\d{4}年度?$")
_TERM = re.compile(rf"(?P<term>{_NUMBER}届)$")
# Where a committee's name may begin: after its term, after "关于"/"对", or after punctuation.
_ISSUER_START = re.compile(r"届|关于|根据|按照|依据|经|由|对|在|[,。、;:\s“”()]")
_COMMITTEE = re.compile(r"(?:党委|党工委|党组|委员会|委|^中央)$")
_COMMITTEE_NAME = r"(?:中央|[\u4e00-\u9fff]{1,20}?(?:党委|党组|委员会|委))"
_DEPLOYMENT = re.compile(rf"(?:根据|按照|依据)(?P<issuer>{_COMMITTEE_NAME})"
                         rf"(?:{_INSPECTION}工作)?(?:的)?(?:统一)?(?:部署|安排)")
_GROUP_NAME = re.compile(rf"(?P<issuer>{_COMMITTEE_NAME})(?:{_INSPECTION})?第{_NUMBER}"
                         rf"{_INSPECTION}组|(?P<central>中央){_INSPECTION}组")
# "A组配合B组对…": B inspected; "在A的配合下，B…": likewise. The assisting group is not the issuer.
_ASSISTING = re.compile(rf"在[^,。;]{{0,40}}?配合下|[^,。;]{{0,30}}?{_INSPECTION}组配合")
_GROUP_COUNT = re.compile(rf"(?:派出|派驻|组建|成立)(?P<count>{_NUMBER})个{_INSPECTION}组")
_KINDS = re.compile(rf"(?:开展|进行)了?(?P<kinds>[^,。;:]{{0,60}}?{_INSPECTION}(?:“回头看”)?)"
                    r"(?=[,。;]|$)")
_KIND_SEPARATOR = re.compile(r"(?:(?<=巡察)|(?<=巡视)|(?<=”))(?:以及|和|及|与|、)")
_NOT_A_KIND = frozenset({"", "巡察", "巡视"})
_SCOPE_IN_TITLE = re.compile(
    rf"{_INSPECTION}{_NUMBER}个(?P<label>[^,。;:]{{1,20}}?)(?:的|党组织)?(?:{_INSPECTION})?(?:整改|$)"
)
_SCOPE_IN_OPENING = re.compile(rf"{_NUMBER}个(?P<label>[^,。;:、\d巡]{{1,20}}?)党组织")

# Dates. A year is optional; a month part (上旬 …) stands for the month alone.
_DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?<![\d.])(?P<m>\d{1,2})月"
    r"(?:(?P<d>\d{1,2})日|(?P<part>上旬|中旬|下旬|初|底|末|中))?"
)
_RANGE_SEPARATOR = re.compile(r"\s*(?:至|到|—|–|-|~|―)\s*")
_DAY_ONLY = re.compile(r"\s*(?:至|到|—|–|-|~|―)\s*(?P<d>\d{1,2})日")
# Feedback given ("反馈了巡察意见", "进行了反馈"), not problems that were fed back ("反馈的问题").
_FEEDBACK_EVENT = re.compile(r"反馈(?!的?问题)")
_YEAR = re.compile(r"(\d{4})年")
#: Source typos read leniently (pattern, replacement); each reading is reported.
_TYPOS = (
    (re.compile(r"(\d{4})月(\d{1,2})月"), r"\1年\2月"),
    (re.compile(r"(\d{4})年(\d{1,2})年(\d{1,2})日"), r"\1年\2月\3日"),
    (re.compile(r"(\d{4})年年"), r"\1年"),
    (re.compile(r"(\d{1,2})月(\d{1,2})月(?=\d{1,2}日)"), r"\1月"),
)
_MAYBE_TYPO = re.compile(r"\d{4}月|\d年\d{1,2}年|年年|月\d{1,2}月\d")
#: Other ways of writing a date, read without comment.
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![\d.])")
_HAO = re.compile(r"(\d{1,2}月\d{1,2})号")

_FIGURE = rf"(?P<n>{_NUMBER})"
# Each figure's wordings, with a word the text must contain for the pattern to be worth trying:
# patterns that begin with the number are slow to try at every digit.
_FIGURES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "problems": (
        ("问题", re.compile(rf"(?:反馈|交办|发现|指出|移交)(?:的)?(?:各类|具体|共性)?问题"
                          rf"(?:共|总计|合计)?{_FIGURE}(?:个|项|条)")),
        ("问题", re.compile(rf"(?:反馈|交办|指出|发现)(?:了|的)?(?:问题)?(?:共)?{_FIGURE}"
                          rf"(?:个|项|条)(?:具体)?问题")),
        ("共", re.compile(rf"共(?:计)?{_FIGURE}(?:个|项|条)问题")),
    ),
    "completed": (
        ("整改", re.compile(rf"(?:已完成整改|完成整改|已整改完成|已整改到位|已整改|整改完成)"
                          rf"(?:问题)?(?:共)?{_FIGURE}(?:个|项|条)")),
        ("已完成", re.compile(rf"(?:已完成|已办结)(?:问题)?(?:共)?{_FIGURE}(?:个|项|条)")),
        ("已", re.compile(rf"{_FIGURE}(?:个|项|条)(?:问题)?已"
                         rf"(?:完成整改|整改完成|整改到位|完成|整改)")),
    ),
    "measures": (
        ("措施", re.compile(rf"(?:制定|细化|明确|研究制定)(?:具体)?(?:整改)?措施(?:共)?{_FIGURE}"
                          rf"(?:条|项|个)")),
        ("整改措施", re.compile(rf"{_FIGURE}(?:条|项)(?:具体)?整改措施")),
    ),
    "rules": (
        ("制度", re.compile(rf"(?:建立完善|建立健全|完善和新建|制定完善|制定修订|修订完善|新建"
                          rf"|完善|建立|制定|修订|出台)(?:各项|相关|各类)?(?:规章)?制度(?:机制)?"
                          rf"(?:共)?{_FIGURE}(?:项|个|条|件)")),
        ("制度", re.compile(rf"(?:建立|完善|新建|制定|修订)[^,。;]{{0,6}}?{_FIGURE}(?:项|个|条|件)"
                          rf"(?:规章)?制度")),
    ),
    "accountable": (
        ("问责", re.compile(rf"问责(?:处理)?(?:了)?{_FIGURE}(?:人|名)")),
        ("问责", re.compile(rf"{_FIGURE}(?:人|名)(?:被|受到)?问责")),
    ),
}
_RATE = re.compile(r"完成率(?:为|达|达到)?(?P<n>\d+(?:\.\d+)?)%")
_RECOVERED = re.compile(r"挽回(?:经济)?损失(?:共)?(?P<n>\d+(?:\.\d+)?)万元")


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
    #: What was read leniently, for the completeness report.
    warnings: list[str] = field(default_factory=list)


class _Hit(NamedTuple):
    start: int
    end: int
    year: int | None
    month: int
    day: int | None


def read_facts(title: str, opening: str, published: PartialDate | None = None) -> RoundFacts:
    """The round facts in a notice's (normalised) title and opening paragraph(s).

    `published` (the page's date) gives the year of dates written without one, where nothing
    closer does.
    """
    opening, warnings = lenient_dates(opening)
    text = f"{title}\n{opening}"
    issuer, term, number = _read_round(text)
    dates = list(_dates(opening, _title_year(title), published))
    start, end, range_span = _read_inspection_period(opening, dates)
    return RoundFacts(
        issuer=committee_name(issuer or _read_group_issuer(text) or _read_deployment_issuer(text)),
        term=term,
        round=number,
        kinds=read_kinds(opening),
        inspection_start=start,
        inspection_end=end,
        feedback_date=_read_feedback_date(opening, dates, range_span),
        group_count=_read_group_count(opening),
        scope_label=_read_scope(title, opening),
        warnings=warnings,
    )


def lenient_dates(text: str) -> tuple[str, list[str]]:
    """`text` with typed-wrong and numeric dates rewritten as "YYYY年M月D日", and a warning per
    typo that was read leniently."""
    warnings: list[str] = []
    if _MAYBE_TYPO.search(text) is None:
        return _HAO.sub(r"\1日", _NUMERIC_DATE.sub(r"\1年\2月\3日", text)), warnings
    for pattern, replacement in _TYPOS:
        for match in pattern.finditer(text):
            fixed = match.expand(replacement)
            warnings.append(f"日期“{match.group()}”按“{fixed}”读取")
        text = pattern.sub(replacement, text)
    text = _NUMERIC_DATE.sub(r"\1年\2月\3日", text)
    return _HAO.sub(r"\1日", text), warnings


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


def read_figures(text: str) -> HeadlineFigures:
    """The headline figures a notice states: problems, completed, rate, measures, rules …"""
    values: dict[str, int | float | None] = {}
    for name, patterns in _FIGURES.items():
        values[name] = None
        for word, pattern in patterns:
            if word in text and (match := pattern.search(text)) is not None:
                values[name] = cn_to_int(match.group("n"))
                break
    rate = _RATE.search(text)
    recovered = _RECOVERED.search(text)
    return HeadlineFigures(
        problems=_int(values["problems"]),
        completed=_int(values["completed"]),
        completion_rate=float(rate.group("n")) if rate else None,
        measures=_int(values["measures"]),
        rules=_int(values["rules"]),
        accountable=_int(values["accountable"]),
        recovered=float(recovered.group("n")) if recovered else None,
    )


def _int(value: int | float | None) -> int | None:
    return None if value is None else int(value)


def _read_round(text: str) -> tuple[str | None, str | None, int | None]:
    """Issuer, term and round from the first "[届][委]第N轮巡察" phrase that names them."""
    issuer = term = None
    number = None
    for match in _ROUND.finditer(text):
        # "县委2024年第一轮巡察": rounds counted by year, not by term, name the year between.
        before = _ROUND_YEAR.sub("", text[max(0, match.start() - 40):match.start()])
        segment = _ISSUER_START.split(before)[-1]
        found_term = _TERM.search(before[: len(before) - len(segment)])
        if number is None:
            number = cn_to_int(match.group("round"))
        if issuer is None and segment and _COMMITTEE.search(segment):
            issuer = segment
        if term is None and found_term:
            term = found_term.group("term")
        if issuer and term:
            break
    return issuer, term, number


def _read_group_issuer(text: str) -> str | None:
    """The committee whose group inspected: "省委第三巡视组" -> "省委", "中央巡视组" -> "中央"."""
    match = _GROUP_NAME.search(_ASSISTING.sub("。", text))
    if match is None:
        return None
    if match.group("central"):
        return "中央"
    return _ISSUER_START.split(match.group("issuer"))[-1] or None


def _read_deployment_issuer(text: str) -> str | None:
    match = _DEPLOYMENT.search(text)
    return _ISSUER_START.split(match.group("issuer"))[-1] or None if match else None


def _title_year(title: str) -> int | None:
    found = _YEAR.search(title)
    return int(found.group(1)) if found else None


def _dates(text: str, title_year: int | None, published: PartialDate | None) -> Iterator[_Hit]:
    """Every date in `text`, with the year of those written without one filled in from the
    dates before them (or after them, the title, the publication date), rolling over at a new
    year."""
    raw = [m for m in _DATE.finditer(text) if 1 <= int(m.group("m")) <= 12]
    year = next((int(m.group("y")) for m in raw if m.group("y")), title_year)
    if year is None and published is not None and raw:
        # Published in March about "9月5日": last year's September.
        year = published.year - (int(raw[0].group("m")) > published.month)
    month = 0
    for match in raw:
        written = int(match.group("y")) if match.group("y") else None
        current = int(match.group("m"))
        if written is not None:
            year = written
        elif year is not None and current < month:
            year += 1  # "11月…至12月…，1月15日反馈": the next year
        day = int(match.group("d")) if match.group("d") else None
        if day is not None and not 1 <= day <= 31:
            day = None
        month = current
        yield _Hit(match.start(), match.end(), year, current, day)


def _read_inspection_period(
    opening: str, dates: list[_Hit]
) -> tuple[PartialDate | None, PartialDate | None, tuple[int, int]]:
    for first, second in itertools.pairwise(dates):
        if first.year is None or not _RANGE_SEPARATOR.fullmatch(opening[first.end:second.start]):
            continue
        start = PartialDate(first.year, first.month, first.day)
        end = PartialDate(second.year or first.year, second.month, second.day)
        return start, end, (first.start, second.end)
    for hit in dates:
        day_only = _DAY_ONLY.match(opening, hit.end)
        if hit.year is not None and hit.day is not None and day_only:
            start = PartialDate(hit.year, hit.month, hit.day)
            end = PartialDate(hit.year, hit.month, int(day_only.group("d")))
            return start, end, (hit.start, day_only.end())
    return None, None, (0, 0)


def _read_feedback_date(
    opening: str, dates: list[_Hit], skip: tuple[int, int]
) -> PartialDate | None:
    """The date in the first sentence that speaks of 反馈, outside the inspection period."""
    offset = 0
    for sentence in opening.split("。"):
        end = offset + len(sentence)
        if _FEEDBACK_EVENT.search(sentence):
            for hit in dates:
                if offset <= hit.start < end and not skip[0] <= hit.start < skip[1]:
                    if hit.year is None:
                        break
                    return PartialDate(hit.year, hit.month, hit.day)
        offset = end + 1
    return None


def _read_group_count(opening: str) -> int | None:
    match = _GROUP_COUNT.search(opening)
    return cn_to_int(match.group("count")) if match else None


def _read_scope(title: str, opening: str) -> str | None:
    match = _SCOPE_IN_TITLE.search(title) or _SCOPE_IN_OPENING.search(opening)
    return match.group("label") if match else None
