"""What we write reads back as the same facts."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from tests.ledgers.sample import sample_ledger
from xuncha.ledgers.model import Deadline, Ledger, Measure, Problem, UnitLedger
from xuncha.ledgers.read import read_ledger
from xuncha.ledgers.write import write_ledger, write_lists


def test_write_then_read_gives_the_same_ledger() -> None:
    ledger = sample_ledger()
    result = read_ledger(write_ledger(ledger, lists=True), "out.xlsx")

    assert result.ledger == ledger
    assert list(result.mappings) == ["整改台账"]
    skipped = {f.sheet for f in result.findings if "重复" in f.reason}
    assert skipped == {"逐行", "问题清单", "任务清单", "责任清单"}


def test_the_flat_sheet_alone_reads_the_same() -> None:
    ledger = sample_ledger()
    # Without the merged sheet, the flat one is read on its own.
    book = load_workbook(io.BytesIO(write_ledger(ledger)))
    del book["整改台账"]
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_ledger(buffer.getvalue())
    assert result.ledger.units == ledger.units


def test_the_lists_alone_give_problems_and_measures() -> None:
    result = read_ledger(write_lists(sample_ledger()))
    units = result.ledger.units
    assert [len(u.problems) for u in units] == [3, 1]
    assert units[0].problems[0].measures == []  # the 问题清单 has no measures


def test_round_trip_of_many_units_keeps_order() -> None:
    ledger = Ledger("台账", [
        UnitLedger(f"第{n}镇党委", [
            Problem(f"问题{n}-{p}", number=str(p), measures=[
                Measure(f"措施{n}-{p}-{m}", deadline=Deadline.on(datetime.date(2024, 1 + m, 1)),
                        status="in_progress") for m in range(1, 4)])
            for p in range(1, 4)])
        for n in range(1, 6)])
    assert read_ledger(write_ledger(ledger, flat=False)).ledger == ledger
