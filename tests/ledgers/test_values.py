"""Dates, statuses and yes/no as offices type them."""

from __future__ import annotations

import datetime

import pytest

from xuncha.ledgers.model import STATUS_LABELS, Deadline
from xuncha.ledgers.values import header_forms, parse_date, parse_deadline, parse_status, parse_yes
from xuncha.ledgers.vocabulary import HEADER_SYNONYMS, STATUS_WORDS

D = datetime.date


@pytest.mark.parametrize(("text", "day", "precision"), [
    ("2024年3月31日", D(2024, 3, 31), "day"),
    ("2024.3.31", D(2024, 3, 31), "day"),
    ("2024/03/31", D(2024, 3, 31), "day"),
    ("2024-03-31前", D(2024, 3, 31), "day"),
    ("2024年3月底", D(2024, 3, 31), "month"),
    ("2024年2月末", D(2024, 2, 29), "month"),
    ("2024年3月前", D(2024, 3, 31), "month"),
    ("2024-03", D(2024, 3, 31), "month"),
    ("2024.3", D(2024, 3, 31), "month"),
    ("24年6月", D(2024, 6, 30), "month"),
    ("2024年5月中旬", D(2024, 5, 20), "month"),
    ("2024年第三季度", D(2024, 9, 30), "quarter"),
    ("2024年上半年", D(2024, 6, 30), "month"),
    ("2024年底", D(2024, 12, 31), "year"),
    ("2024年内", D(2024, 12, 31), "year"),
])
def test_text_dates(text: str, day: datetime.date, precision: str) -> None:
    assert parse_deadline(text) == (Deadline("date", day, precision, text), "")


def test_excel_dates_and_serial_numbers() -> None:
    midnight = datetime.datetime(2024, 3, 31)  # noqa: DTZ001 - Excel dates have no zone
    assert parse_deadline(midnight) == (Deadline.on(D(2024, 3, 31)), "")
    assert parse_deadline(D(2024, 3, 31)) == (Deadline.on(D(2024, 3, 31)), "")
    assert parse_deadline(45382) == (Deadline.on(D(2024, 3, 31)), "")


def test_words_that_are_not_dates() -> None:
    assert parse_deadline("长期坚持")[0] == Deadline("long_term", None, "day", "长期坚持")
    assert parse_deadline("立行立改")[0] == Deadline("immediate", None, "day", "立行立改")
    text = "2024年6月底前完成，长期坚持"
    assert parse_deadline(text)[0] == Deadline("long_term", D(2024, 6, 30), "month", text)
    assert parse_deadline(None) == (None, "")
    assert parse_deadline("  ") == (None, "")


def test_unreadable_dates_keep_their_text_and_say_so() -> None:
    deadline, warning = parse_deadline("3月底")  # no year
    assert deadline == Deadline("text", None, "day", "3月底")
    assert warning == "无法识别的完成时限“3月底”，按原文保留"
    assert parse_deadline("2024年13月")[0] == Deadline("text", None, "day", "2024年13月")


def test_sign_off_dates() -> None:
    assert parse_date("2024年4月2日") == (D(2024, 4, 2), "")
    assert parse_date("") == (None, "")
    assert parse_date("待定") == (None, "无法识别的日期“待定”")


@pytest.mark.parametrize(("text", "code"), [
    ("未启动", "not_started"), ("推进中", "in_progress"), ("正在整改", "in_progress"),
    ("基本完成", "basically_done"), ("阶段性成效", "basically_done"),
    ("取得阶段性成效", "basically_done"), ("已完成待验收", "pending_review"),
    ("已完成", "pending_review"), ("已完成（待验收）", "pending_review"),
    ("已销号", "signed_off"), ("长期坚持", "long_term"), ("逾期", "in_progress"),
    ("未完成", "in_progress"), ("整改中。", "in_progress"), ("已于3月销号", "signed_off"),
    ("退回整改", "returned"), (" 已 完 成 ", "pending_review"),
])
def test_statuses(text: str, code: str) -> None:
    assert parse_status(text) == (code, "")


def test_unknown_status() -> None:
    assert parse_status("差不多") == (None, "无法识别的完成情况“差不多”")
    assert parse_status(None) == (None, "")


def test_status_codes_are_the_models() -> None:
    from xuncha.inspections.models import RectificationStatus

    assert dict(RectificationStatus.choices) == STATUS_LABELS
    assert set(STATUS_WORDS.values()) <= set(STATUS_LABELS)
    for code, label in STATUS_LABELS.items():
        assert parse_status(label) == (code, "")


def test_yes() -> None:
    assert [parse_yes(v) for v in ("是", "√", "立行立改", "", None, "否")] == [
        True, True, True, False, False, False]


def test_header_forms() -> None:
    assert header_forms("责任部门（单位）") == ("责任部门(单位)", "责任部门")
    assert header_forms("完成\n时 限") == ("完成时限",)
    assert header_forms("备注：") == ("备注:", "备注")


def test_every_canonical_header_is_its_own_first_synonym() -> None:
    from xuncha.ledgers.model import COLUMNS

    assert {key: names[0] for key, names in HEADER_SYNONYMS.items()} == COLUMNS
    names = [name for names in HEADER_SYNONYMS.values() for name in names]
    assert len(names) == len(set(names)), "a header name may mean one column only"
