"""Importing notices that do not state their 届 and/or 轮, and storing figures and dates."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from xuncha.inspections.importer import ImportResult, import_notice, round_identity
from xuncha.inspections.models import Inspection, Problem, Round, SourceDocument
from xuncha.notices.parse import parse_document, parse_text

pytestmark = pytest.mark.django_db

REAL = FIXTURES / "real-shapes"


def _import(path: Path, data: bytes | None = None) -> ImportResult:
    data = path.read_bytes() if data is None else data
    return import_notice(parse_document(data, path.name), filename=path.name, content=data)


def test_a_round_named_by_year_is_stored_without_term_and_marked_incomplete() -> None:
    result = _import(REAL / "47-year-named-round-unit.txt")
    round_ = result.round
    assert (round_.term, round_.number, round_.committee.name) == ("", 1, "县委")
    assert round_.display_name == "县委2024年第一轮巡察"
    assert Problem.objects.filter(round=round_).count() == 3
    source = SourceDocument.objects.get()
    assert source.incomplete is True
    assert "未写明巡察届次" in source.gaps
    assert source.published == datetime.date(2024, 9, 20)


def test_re_importing_a_notice_without_term_changes_nothing() -> None:
    path = REAL / "48-district-round-without-term.txt"
    first = _import(path)
    again = _import(path)
    assert first.changed and not again.changed
    assert "已导入过" in again.summary()
    assert Round.objects.count() == 1
    assert SourceDocument.objects.count() == 1
    assert Problem.objects.count() == 3


def test_another_copy_of_the_same_notice_finds_the_same_round() -> None:
    path = REAL / "48-district-round-without-term.txt"
    _import(path)
    copy = path.read_bytes().replace("公布如下。".encode(), "公布如下：".encode())
    again = _import(path, copy)
    assert not again.changed
    assert Round.objects.count() == 1


def test_rounds_of_one_committee_without_term_are_told_apart_by_their_dates() -> None:
    text = (REAL / "48-district-round-without-term.txt").read_text(encoding="utf-8")
    later = text.replace("2023年9月4日至10月27日", "2024年9月2日至10月25日")
    for body in (text, later):
        notice = parse_text(body)
        import_notice(notice, filename="x.txt", content=body.encode())
    rounds = list(Round.objects.order_by("inspection_start"))
    assert [r.display_name for r in rounds] == [
        "白石区委2023年第三轮巡察", "白石区委2024年第三轮巡察"]
    assert len({r.identity for r in rounds}) == 2


def test_a_notice_with_neither_term_nor_round_is_stored_by_its_dates() -> None:
    result = _import(REAL / "49-inspection-without-round.txt")
    round_ = result.round
    assert (round_.term, round_.number) == ("", None)
    assert round_.display_name == "市委2024年巡察"
    assert round_.identity == "进驻2024-04至2024-06"
    assert "未写明巡察届次和轮次" in SourceDocument.objects.get().gaps
    assert not _import(REAL / "49-inspection-without-round.txt").changed


def test_identity_falls_back_to_the_title_year_then_the_title() -> None:
    notice = parse_text((REAL / "49-inspection-without-round.txt").read_text(encoding="utf-8"))
    undated = notice.replace(inspection_start=None, inspection_end=None, feedback_date=None)
    assert round_identity(undated) == "标题" + "云岭市住房和城乡建设局党组关于巡察整改情况的通报"
    assert round_identity(undated.replace(title="县委2024年第一轮巡察整改情况")) == "2024年"


def test_a_figures_only_notice_imports_its_round_with_figures_and_no_units() -> None:
    result = _import(REAL / "50-figures-without-term.txt")
    round_ = result.round
    assert round_.title == "西坪区委第二轮巡察整改进展情况"
    assert round_.feedback_date == datetime.date(2023, 1, 12)
    assert Inspection.objects.count() == 0 and Problem.objects.count() == 0
    source = SourceDocument.objects.get()
    assert source.figures == {"problems": 416, "completed": 401, "completion_rate": 96.39,
                              "measures": 958, "rules": 213, "accountable": 9,
                              "recovered": 215.6}
    assert source.figure_rows[2] == ("整改完成率", "96.39%")
    assert source.figure_rows[-1] == ("挽回经济损失", "215.6万元")
    # Only the missing 届 makes it incomplete: a figures-only notice states all it means to.
    assert source.gaps == "通报未写明巡察届次，轮次按巡察主体和通报所写的时间识别"
    assert not _import(REAL / "50-figures-without-term.txt").changed


def test_a_whole_figures_only_notice_with_term_is_complete() -> None:
    _import(REAL / "12-round-summary-figures.txt")
    source = SourceDocument.objects.get()
    assert (source.incomplete, source.gaps) == (False, "")
    assert source.figures["problems"] == 512


def test_a_month_only_publication_date_keeps_its_precision() -> None:
    text = (REAL / "53-no-term-page-cut-off.txt").read_text(encoding="utf-8")
    notice = parse_text(text)
    assert notice.published is not None
    month = notice.replace(published=notice.published.__class__(2024, 12))
    import_notice(month, filename="x.txt", content=text.encode())
    source = SourceDocument.objects.get()
    assert source.published_display == "2024年12月"
    assert source.incomplete is True
    assert source.gaps.startswith("正文在第7行后中断；")


def test_figures_are_added_to_a_source_imported_before_they_were_kept() -> None:
    path = REAL / "50-figures-without-term.txt"
    _import(path)
    SourceDocument.objects.update(figures={})
    again = _import(path)
    assert again.updated["source_fact"] == 1
    assert "更新通报数据1处" in again.summary()
    assert SourceDocument.objects.get().figures["problems"] == 416


def test_term_and_number_are_unique_but_rounds_without_term_may_share_a_number() -> None:
    from django.db import IntegrityError, transaction

    first = _import(REAL / "04-formal-district-committee.txt").round
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(committee=first.committee, term=first.term, number=first.number)
    Round.objects.create(committee=first.committee, term="", number=3, identity="a")
    Round.objects.create(committee=first.committee, term="", number=3, identity="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(committee=first.committee, term="", number=3, identity="b")


def test_a_round_without_term_publishes_a_notice_that_imports_back_into_it() -> None:
    from xuncha.inspections.publishing import round_notice
    from xuncha.notices.writers.txt import render

    round_ = _import(REAL / "48-district-round-without-term.txt").round
    text = render(round_notice(round_))
    assert "None" not in text
    back = parse_text(text)
    assert (back.term, back.round, back.issuer) == (None, 3, "白石区委")
    assert not import_notice(back, filename="again.txt", content=text.encode()).changed
