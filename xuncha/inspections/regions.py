"""Placing names in the region tree without growing a second region of the same name.

A committee's own notice names only its county ("中共木垒县委"), a prefecture's notice names the
county under the prefecture ("木垒县东城镇" under 昌吉州). Both must land on the one 木垒县.
"""

from __future__ import annotations

from typing import NamedTuple

from xuncha.inspections.models import Committee, Region
from xuncha.notices.names import short_issuer, split_org_form
from xuncha.notices.places import place_path

_RANK = {
    Region.Level.PREFECTURE: 0, Region.Level.COUNTY: 1,
    Region.Level.TOWNSHIP: 2, Region.Level.VILLAGE: 3,
}


def region_for(place: str, root: Region | None) -> tuple[Region | None, int]:
    """The region ``place`` ("木垒县东城镇") names, below ``root`` where given; created as needed.

    Returns the region (None for a place that names none) and how many regions were created.
    A segment is matched under its parent; where its parent is unknown (the top of a committee's
    own name), or a region of that name and level sits at the root for lack of a known parent,
    the one region of that name and level anywhere in the tree is reused, when there is exactly
    one.
    """
    parent, created = root, 0
    for name, level in place_path(place):
        # The root is where the name is read from: what lies at or above its level is the root
        # itself or above it ("木垒县" in "木垒县东城镇" read under 木垒县).
        if parent is not None and (
            parent.name == name
            or _RANK[Region.Level(level)] <= _RANK[Region.Level(parent.level)]
        ):
            continue
        region = _existing(name, level, parent)
        if region is None:
            region = Region.objects.create(name=name, level=level, parent=parent)
            created += 1
        parent = region
    return parent, created


def _existing(name: str, level: str, parent: Region | None) -> Region | None:
    if parent is not None:
        child = Region.objects.filter(parent=parent, name=name).first()
        if child is not None:
            return child
        # Placed at the root earlier because nothing said where it lies: now we know.
        orphans = list(Region.objects.filter(parent=None, name=name, level=level)[:2])
        if len(orphans) == 1 and _RANK[Region.Level(level)] > _RANK[Region.Level(parent.level)]:
            orphan = orphans[0]
            orphan.parent = parent
            orphan.save(update_fields=["parent"])
            return orphan
        return None
    matches = list(Region.objects.filter(name=name, level=level)[:2])
    return matches[0] if len(matches) == 1 else None


def find_region(text: str) -> Region | None:
    """The one region ``text`` names: "木垒县", or a path like "木垒县东城镇" read down the tree.

    None when there is none, or more than one and the text does not say which.
    """
    text = text.strip()
    matches = list(Region.objects.filter(name=text)[:2])
    if matches:
        return matches[0] if len(matches) == 1 else None
    path = [name for name, _level in place_path(text)]
    if len(path) < 2:
        return None
    region = find_region(path[0])
    for name in path[1:]:
        if region is None:
            return None
        region = region.children.filter(name=name).first()
    return region


class FoundCommittee(NamedTuple):
    committee: Committee | None
    #: Whether the committee was created now, and how many regions with it.
    created: bool = False
    regions_created: int = 0


def committee_for(name: str, *, create: bool = True) -> FoundCommittee:
    """The committee ``name`` names — its name or short name, with or without "中共" — created
    when there is none (and ``create`` is set) in the region its name gives, reusing an existing
    region of that name.

    "中共木垒县委" and "木垒县委" are one committee, 木垒县委, placed on 木垒县.
    """
    bare = name.strip().removeprefix("中国共产党").removeprefix("中共")
    for candidate in dict.fromkeys((name.strip(), bare)):
        found = (Committee.objects.filter(name=candidate).first()
                 or Committee.objects.filter(short_name=candidate).first())
        if found is not None:
            return FoundCommittee(found)
    if not create:
        return FoundCommittee(None)
    place, _form = split_org_form(bare)
    # "木垒县委" has no organisation form of its own: its place is the name without the 委.
    region, regions = region_for(place.removesuffix("委"), None)
    committee = Committee.objects.create(name=bare, short_name=short_issuer(bare), region=region)
    return FoundCommittee(committee, True, regions)
