"""Readers for the shapes rectification notices are published in, tried in order.

Each reader is a :class:`~xuncha.notices.shapes.base.ShapeReader` whose ``read`` returns a
Notice, or None when the lines are not in its shape. Shape A goes first: its unit headings
("一、XX镇党委") are the more specific sign.
"""

from __future__ import annotations

from xuncha.notices.shapes.base import ShapeReader
from xuncha.notices.shapes.pairs import PairsReader
from xuncha.notices.shapes.unit_report import UnitReportReader

#: Shape readers by name, in the order the parser tries them.
READERS: dict[str, ShapeReader] = {
    "pairs": PairsReader(),
    "unit_report": UnitReportReader(),
}

__all__ = ["READERS", "ShapeReader"]
