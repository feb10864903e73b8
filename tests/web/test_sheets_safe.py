"""Spreadsheets we write carry user text as text: no formula from a unit's or leader's words."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.workflow.conftest import MEASURE
from xuncha.accounts import sheets
from xuncha.inspections.models import Problem
from xuncha.sheets_safe import append_row, looks_like_formula
from xuncha.workflow import services

HOSTILE = [
    "=HYPERLINK(\"http://x\",\"点我\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
]


def _reopened(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["张书记", "1+1=2", "整改-完成", "a@b.cn", ""])
def test_ordinary_text_is_not_taken_for_a_formula(text: str) -> None:
    assert not looks_like_formula(text)


def test_append_row_writes_every_string_as_text_and_keeps_numbers_and_dates() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, ["表头"])
    append_row(sheet, [*HOSTILE, 3, datetime.date(2024, 3, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(_reopened(buffer.getvalue()).active.iter_rows(min_row=2))  # type: ignore[union-attr]
    assert [cell.value for cell in row[: len(HOSTILE)]] == HOSTILE
    assert {cell.data_type for cell in row[: len(HOSTILE)]} == {"s"}
    assert row[len(HOSTILE)].value == 3
    assert row[len(HOSTILE) + 1].value == datetime.datetime(2024, 3, 1)  # noqa: DTZ001 - a sheet date is naive


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_the_password_sheet_keeps_formula_like_text(text: str) -> None:
    data = sheets.passwords_xlsx([[text, text, "被巡察单位", text, text]])
    cells = next(_reopened(data).active.iter_rows(min_row=2))  # type: ignore[union-attr]
    assert [cell.value for cell in cells] == [text, text, "被巡察单位", text, text]
    assert {cell.data_type for cell in cells} == {"s"}


@pytest.mark.django_db
def test_the_board_export_writes_user_text_as_text(
    as_: Callable[[str], Client], people: dict[str, Any], problem_a: Problem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("xuncha.web.views.board.today", lambda: datetime.date(2024, 3, 1))
    problem_a.text = "=HYPERLINK(\"http://evil\",\"详情\")"
    problem_a.save(update_fields=["text"])
    services.add_measure(people["unit_a"], problem_a, MEASURE | {
        "due_date": "2024-02-01", "leader": "=1+1", "content": "+cmd|' /C calc'!A0",
        "department": "@SUM(1)",
    })
    from tests.web.test_board import export_board

    monkeypatch.setattr("xuncha.workflow.models.today", lambda: datetime.date(2024, 3, 1))
    book = _reopened(export_board(as_("office"), "leader"))
    [key] = [row[0] for row in book["汇总"].iter_rows(min_row=2)]
    assert (key.value, key.data_type) == ("=1+1", "s")
    [detail] = list(book["明细"].iter_rows(min_row=2))
    texts = {cell.value: cell.data_type for cell in detail[1:5]}
    assert texts == {problem_a.text: "s", "+cmd|' /C calc'!A0": "s", "=1+1": "s",
                     "@SUM(1)": "s"}
