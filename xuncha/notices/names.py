"""Chinese numerals and the names of party organisations and places."""

from __future__ import annotations

import re

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGIT_CHARS = "〇一二三四五六七八九"
_UNITS = {"十": 10, "百": 100}

#: Characters that may make up a Chinese numeral, for building patterns.
NUMERAL_CHARS = "〇零一二两三四五六七八九十百"

#: Organisation forms, longest first so "党工委" is not read as "党" + "工委".
ORG_FORMS = (
    "总支部委员会", "支部委员会", "工作委员会", "委员会",
    "党工委", "党总支", "党支部", "党委", "党组", "党组织",
)

#: How a formal name ("中共XX镇委员会") ends, and the short form units go by ("XX镇党委").
_FORMAL_TO_SHORT = (
    ("总支部委员会", "党总支"),
    ("支部委员会", "党支部"),
    ("工作委员会", "党工委"),
    ("委员会", "党委"),
)

# A county-level place after an optional prefecture; "区" and "旗" exclude the common words
# that merely end in them (社区, 园区, 红旗 …), "市" excludes 市场/市政.
_COUNTY = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,10}?(?:省|自治区|自治州|地区|盟|州(?!市)))?"
    r"(?P<county>[\u4e00-\u9fff]{1,12}?"
    r"(?:自治县|自治旗|县|市(?![场政民])|(?<![社园小景矿校营])区|(?<![红])旗))"
)
_LEVEL_SUFFIX = re.compile(r"(?:自治区|自治州|自治县|省|州|县|市|区|旗|盟)(?=(?:党|委))")


def cn_to_int(text: str) -> int:
    """Read a Chinese numeral ("十二", "二十五", "一百零五", "〇") or Arabic digits as an int.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in _UNITS:
            # A bare "十" means one ten ("十二" = 12).
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            digit = _DIGITS[ch]
    return total + (digit or 0)


def int_to_cn(number: int) -> str:
    """Write 0–999 as a Chinese numeral the way headings do: 10 -> "十", 12 -> "十二"."""
    if not 0 <= number <= 999:
        raise ValueError(f"out of range for a heading numeral: {number}")
    if number < 10:
        return _DIGIT_CHARS[number]
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(_DIGIT_CHARS[hundreds] + "百")
    if tens:
        # Only a leading ten drops its "一": 12 is "十二", but 112 is "一百一十二".
        parts.append(("" if not hundreds and tens == 1 else _DIGIT_CHARS[tens]) + "十")
    elif hundreds and ones:
        parts.append("零")
    if ones:
        parts.append(_DIGIT_CHARS[ones])
    return "".join(parts)


def split_org_form(name: str) -> tuple[str, str]:
    """Split a unit's name into its place and organisation form.

    "木垒县东城镇党委" -> ("木垒县东城镇", "党委"); a name with no known form -> (name, "").
    """
    for form in ORG_FORMS:
        if name.endswith(form) and len(name) > len(form):
            return name[: -len(form)], form
    return name, ""


def unit_name_from_formal(formal: str) -> str:
    """The short name a formal party name goes by.

    "中共玛纳斯县乐土驿镇委员会" -> "玛纳斯县乐土驿镇党委";
    "中共XX街道工作委员会" -> "XX街道党工委".
    """
    name = formal.removeprefix("中国共产党").removeprefix("中共")
    for long_form, short_form in _FORMAL_TO_SHORT:
        if name.endswith(long_form):
            return name[: -len(long_form)] + short_form
    return name


# Administrative places whose committee goes by "<place>委": 徐汇区 -> 徐汇区委.
_ADMIN_PLACE = re.compile(
    r"[\u4e00-\u9fff]+?(?:自治州|自治县|自治旗|省|市|州|县|(?<![社园小景矿校营])区|旗|盟)$")
_LAST_ADMIN = re.compile(
    r"(?:[\u4e00-\u9fff]*?(?:省|自治区|市(?=[\u4e00-\u9fff]+(?:区|县|市)$)|自治州|州|地区|盟))?"
    r"(?P<last>[\u4e00-\u9fff]+)$")


def committee_name(name: str | None) -> str | None:
    """The short form offices call a committee or unit by.

    "中共上海市徐汇区委员会" -> "徐汇区委"; "中共某省委员会" -> "某省委"; "中共新疆维吾尔自治区
    委员会" -> "新疆维吾尔自治区党委"; "中共XX镇委员会" -> "XX镇党委" (see unit_name_from_formal);
    anything not written formally ("州党委", "中央") is kept.
    """
    if not name:
        return None
    bare = name.removeprefix("中国共产党").removeprefix("中共")
    if bare.endswith("委员会") and not bare.endswith(("工作委员会", "支部委员会")):
        place = bare.removesuffix("委员会")
        if place.endswith("自治区"):
            return place + "党委"
        if _ADMIN_PLACE.fullmatch(place):
            last = _LAST_ADMIN.fullmatch(place)
            return (last.group("last") if last else place) + "委"
    return unit_name_from_formal(name)


def county_of(place: str) -> str | None:
    """The county-level place a place lies in: "木垒县东城镇" -> "木垒县"; None if it names none."""
    match = _COUNTY.match(place)
    return match.group("county") if match else None


def short_issuer(issuer: str) -> str:
    """The short form a notice calls its committee by once named: "昌吉州党委" -> "州党委".

    Keeps the last administrative level and what follows it; a name without one is returned
    unchanged.
    """
    levels = list(_LEVEL_SUFFIX.finditer(issuer))
    return issuer[levels[-1].start():] if levels else issuer


def formal_name(name: str) -> str:
    """The formal name a party organisation signs with; see ``unit_name_from_formal``.

    "玛纳斯县乐土驿镇党委" -> "中共玛纳斯县乐土驿镇委员会";
    "XX街道党工委" -> "中共XX街道工作委员会".
    A name in no known short form (already formal, or a 党组) is returned unchanged.
    """
    if name.startswith(("中共", "中国共产党")):
        return name
    for long_form, short_form in _FORMAL_TO_SHORT:
        if name.endswith(short_form) and len(name) > len(short_form):
            return f"中共{name[: -len(short_form)]}{long_form}"
    return name
