"""Cell values as offices type them: text, dates in a dozen forms, statuses, yes/no."""

from __future__ import annotations

import calendar
import datetime
import re

from xuncha.ledgers.model import Deadline
from xuncha.ledgers.vocabulary import (
    IMMEDIATE_WORDS,
    LONG_TERM_WORDS,
    STATUS_KEYWORDS,
    STATUS_WORDS,
    YES_WORDS,
)

_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "：": ":", "　": " "})
# Excel's day numbers for 1982..2064: a bare number in a date column in this range is a date.
_SERIAL_RANGE = (30000, 60000)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def cell_text(value: object) -> str:
    """A cell as trimmed text ("" for empty); whole floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def header_key(text: str) -> str:
    """A header cell made comparable: no spaces or line breaks, half-width brackets."""
    return _SPACE.sub("", text.translate(_FULLWIDTH))


def header_forms(text: str) -> tuple[str, ...]:
    """The keys to look a header up by: whole, then without bracketed remarks or a colon."""
    key = header_key(text)
    bare = _BRACKETED.sub("", key).rstrip(":")
    return (key, bare) if bare and bare != key else (key,)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


# Order matters: the day forms first, so "2024.3.31" is not read as March.
_DAY = re.compile(r"(\d{2,4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?")
_MONTH = re.compile(r"(\d{2,4})\s*[年./\-]\s*(\d{1,2})\s*(?:月份?)?(上旬|中旬|下旬|底|末|前|内)?")
_QUARTER = re.compile(r"(\d{2,4})\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度")
_HALF = re.compile(r"(\d{2,4})\s*年\s*(上|下)半年")
_YEAR = re.compile(r"(\d{4})\s*年(?:底|末|内|前|全年)?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _date_in(text: str) -> tuple[datetime.date, str] | None:
    """The first date written in `text` and its precision, or None."""
    try:
        if match := _DAY.search(text):
            year, month, day = _year(match[1]), int(match[2]), int(match[3])
            return datetime.date(year, month, day), "day"
        if match := _QUARTER.search(text):
            year, quarter = _year(match[1]), _QUARTERS[match[2]]
            return _month_end(year, quarter * 3), "quarter"
        if match := _HALF.search(text):
            year = _year(match[1])
            return (_month_end(year, 6) if match[2] == "上" else _month_end(year, 12)), "month"
        if match := _MONTH.search(text):
            year, month = _year(match[1]), int(match[2])
            # "上旬/中旬" still only name the month closely enough for a deadline: keep the
            # day they end on, at month precision.
            early = {"上旬": 10, "中旬": 20}.get(match[3] or "")
            if early is not None:
                return datetime.date(year, month, early), "month"
            return _month_end(year, month), "month"
        if match := _YEAR.search(text):
            return datetime.date(int(match[1]), 12, 31), "year"
    except ValueError:
        return None
    return None


def parse_deadline(value: object) -> tuple[Deadline | None, str]:
    """A 完成时限 cell as a Deadline, and a reason in Chinese when it could not be read well."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, datetime.datetime):
        return Deadline.on(value.date()), ""
    if isinstance(value, datetime.date):
        return Deadline.on(value), ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_deadline(value)
    text = cell_text(value)
    if not text:
        return None, ""
    found = _date_in(text)
    long_term = any(word in text for word in LONG_TERM_WORDS)
    if found is not None:
        day, precision = found
        return Deadline("long_term" if long_term else "date", day, precision, text), ""
    if long_term:
        return Deadline("long_term", None, "day", text), ""
    if any(word in text for word in IMMEDIATE_WORDS):
        return Deadline("immediate", None, "day", text), ""
    return Deadline("text", None, "day", text), f"无法识别的完成时限“{text}”，按原文保留"


def _number_deadline(value: float) -> tuple[Deadline | None, str]:
    if float(value).is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        return Deadline.on(_EXCEL_EPOCH + datetime.timedelta(days=int(value))), ""
    # "2024.3" typed into a cell is the number 2024.3: a month, except that 2024.10 has
    # become 2024.1 by the time we see it.
    text = repr(float(value))
    found = _date_in(text)
    if found is None:
        return Deadline("text", None, "day", text), f"无法识别的完成时限“{text}”，按原文保留"
    day, precision = found
    warning = ""
    if text.endswith(".1"):
        warning = f"完成时限“{text}”是数字，可能是1月也可能是10月，已按1月理解；请改为文本或日期"
    return Deadline("date", day, precision, text), warning


def parse_date(value: object) -> tuple[datetime.date | None, str]:
    """A day (销号日期): a date cell or text naming a day; a reason when it is not one."""
    deadline, warning = parse_deadline(value)
    if deadline is None:
        return None, ""
    if deadline.date is None:
        return None, f"无法识别的日期“{deadline.text}”"
    return deadline.date, warning


def parse_status(value: object) -> tuple[str | None, str]:
    """A 完成情况 cell as a status code, and a reason when the words are not known."""
    text = header_key(cell_text(value)).strip("。.;；")
    if not text:
        return None, ""
    code = STATUS_WORDS.get(text)
    if code is not None:
        return code, ""
    for keyword, keyword_code in STATUS_KEYWORDS:
        if keyword in text:
            return keyword_code, ""
    return None, f"无法识别的完成情况“{text}”"


def parse_yes(value: object) -> bool:
    """A 立行立改 cell: yes for 是/√/立行立改 and the like."""
    return header_key(cell_text(value)) in YES_WORDS
