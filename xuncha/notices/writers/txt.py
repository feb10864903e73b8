"""A notice as plain text: the round-level shape (A) of the seed, or a unit's own notice (B)."""

from __future__ import annotations

from xuncha.notices.model import Notice
from xuncha.notices.normalize import official_punctuation
from xuncha.notices.writers.compose import (
    official_document,
    opening_paragraph,
    title_lines,
    unit_blocks,
)


def render(notice: Notice) -> str:
    """Plain UTF-8 text, a paragraph per line, with official full-width punctuation.

    A notice of any shape but "A" is written as a unit's own notice, signed by the unit.
    """
    if notice.shape != "A":
        return "\n".join(part.text for part in official_document(notice, None)) + "\n"
    lines = [*title_lines(notice), opening_paragraph(notice)]
    for block in unit_blocks(notice):
        lines.append(block.heading)
        for field in block.fields:
            first, *rest = field.paragraphs
            lines.append(f"{field.label}:{first}")
            lines.extend(rest)
    return "\n".join(official_punctuation(line) for line in lines) + "\n"
