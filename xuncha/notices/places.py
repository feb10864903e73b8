"""Places named in unit names, split into the levels of the region tree."""

from __future__ import annotations

import re
from typing import Literal

Level = Literal["prefecture", "county", "township", "village"]

# Longer suffixes first so "自治州" is not read as "自治" + "州".
_SEGMENT = re.compile(
    r".+?(?:自治州|自治县|自治旗|街道|社区|地区|州|盟|市|县|区|旗|镇|乡|村)"
)
_LEVELS: tuple[tuple[tuple[str, ...], Level], ...] = (
    (("自治州", "州", "盟", "地区"), "prefecture"),
    (("自治县", "自治旗", "市", "县", "区", "旗"), "county"),
    (("街道", "镇", "乡"), "township"),
    (("社区", "村"), "village"),
)


#: Every suffix with its level, longest first: "社区" must win over "区", "自治州" over "州".
_SUFFIXES = sorted(
    ((suffix, level) for suffixes, level in _LEVELS for suffix in suffixes),
    key=lambda item: -len(item[0]),
)


def level_of(segment: str) -> Level | None:
    for suffix, level in _SUFFIXES:
        if segment.endswith(suffix):
            return level
    return None


def place_path(place: str) -> list[tuple[str, Level]]:
    """Split "木垒县东城镇" into [("木垒县", "county"), ("东城镇", "township")].

    Segments must descend the tree; a segment that would not (a "市" inside a township's own
    name, say) is kept as part of the segment before it.
    """
    path: list[tuple[str, Level]] = []
    rank = {"prefecture": 0, "county": 1, "township": 2, "village": 3}
    for match in _SEGMENT.finditer(place):
        segment = match.group(0)
        level = level_of(segment)
        if level is None:  # pragma: no cover - the pattern only matches known suffixes
            continue
        if path and rank[level] <= rank[path[-1][1]]:
            name, previous = path[-1]
            path[-1] = (name + segment, previous)
            continue
        path.append((segment, level))
    return path
