"""A unit's notice with its headline figures (整改成效) reads back as shape "C", same facts."""

from __future__ import annotations

import datetime

import pytest

from xuncha.notices import writers
from xuncha.notices.model import HeadlineFigures, Notice
from xuncha.notices.parse import parse_document
from xuncha.notices.writers.compose import headline_paragraph, unit_notice

FIGURES = HeadlineFigures(problems=3, completed=2, completion_rate=67.0, rules=4, accountable=2,
                          recovered=12.5)


def test_the_headline_reads_as_notices_print_it() -> None:
    assert headline_paragraph(FIGURES) == (
        "截至目前,巡察反馈问题3个,已完成整改2个,完成率67%,建立完善制度4项,问责2人,挽回损失12.5万元。")
    assert headline_paragraph(HeadlineFigures()) == ""


def test_without_figures_a_unit_notice_stays_shape_b(seed_notice: Notice) -> None:
    assert unit_notice(seed_notice, seed_notice.units[0]).shape == "B"
    assert unit_notice(seed_notice, seed_notice.units[0], HeadlineFigures()).shape == "B"


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
@pytest.mark.parametrize("index", [0, 3, 6])
def test_each_format_reads_back_with_the_figures(seed_notice: Notice, fmt: str, index: int):
    notice = unit_notice(seed_notice, seed_notice.units[index], FIGURES)
    assert notice.shape == "C"
    data = writers.render_bytes(notice, fmt, issued=datetime.date(2024, 6, 20))
    back = parse_document(data, f"unit.{fmt}")
    assert back == notice
    assert back.figures == FIGURES
