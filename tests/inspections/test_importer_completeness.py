"""The importer with notices that lack parts: what they state is stored, the source marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from xuncha.inspections.importer import ImportResult, import_notice
from xuncha.inspections.models import Problem, SourceDocument
from xuncha.notices.parse import parse_document

pytestmark = pytest.mark.django_db


def _import(path: Path) -> ImportResult:
    data = path.read_bytes()
    return import_notice(parse_document(data, path.name), filename=path.name, content=data)


def test_it_stores_what_a_cut_off_page_states_and_marks_the_source_incomplete() -> None:
    path = FIXTURES / "real-shapes" / "01-breadcrumb-page-cut-off.txt"
    result = _import(path)
    assert result.created["problem"] == 2
    source = SourceDocument.objects.get()
    assert source.incomplete is True
    assert source.gaps == "正文在第14行后中断"
    first = Problem.objects.order_by("order").first()
    assert first is not None and first.published_rectification.startswith("制定年度学习计划")


def test_a_whole_notice_leaves_its_source_complete() -> None:
    _import(FIXTURES / "real-shapes" / "04-formal-district-committee.txt")
    source = SourceDocument.objects.get()
    assert (source.incomplete, source.gaps) == (False, "")


def test_a_round_summary_with_figures_only_stores_its_round() -> None:
    result = _import(FIXTURES / "real-shapes" / "12-round-summary-figures.txt")
    assert (result.round.term, result.round.number) == ("十二届", 2)
    assert Problem.objects.count() == 0
    assert SourceDocument.objects.get().incomplete is False
