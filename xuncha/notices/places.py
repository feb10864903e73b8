"""Places named in unit names, split into the levels of the region tree."""

from __future__ import annotations

from typing import Literal

Level = Literal["prefecture", "county", "township", "village"]

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


def _segment_level(segment: str) -> Level | None:
    """The level of a segment that is a name followed by a suffix (at least one character of
    name: "村" alone is no place)."""
    for suffix, level in _SUFFIXES:
        if segment.endswith(suffix):
            return level if len(segment) > len(suffix) else None
    return None


_RANK = {"prefecture": 0, "county": 1, "township": 2, "village": 3}
_BARE_SUFFIXES = frozenset(suffix for suffix, _level in _SUFFIXES)


def place_path(place: str) -> list[tuple[str, Level]]:
    """Split "木垒县东城镇" into [("木垒县", "county"), ("东城镇", "township")].

    Segments must descend the tree. A piece that would not is either the start of the next
    segment's name, when a suffix follows it directly ("红旗" + "村" in 东城镇红旗村, "城市" +
    "社区"), or else part of the segment before it (a "市" inside a township's own name).
    """
    path: list[tuple[str, Level]] = []
    pos = 0
    while True:
        options = [(end, level) for end in range(pos + 2, len(place) + 1)
                   if (level := _segment_level(place[pos:end])) is not None]
        if not options:
            return path
        end, level = options[0]
        if not path or _RANK[level] > _RANK[path[-1][1]]:
            path.append((place[pos:end], level))
        else:
            forward = next(
                ((later, lvl) for later, lvl in options[1:]
                 if place[end:later] in _BARE_SUFFIXES and _RANK[lvl] > _RANK[path[-1][1]]),
                None)
            if forward is not None:
                end, level = forward
                path.append((place[pos:end], level))
            else:
                name, previous = path[-1]
                path[-1] = (name + place[pos:end], previous)
        pos = end
