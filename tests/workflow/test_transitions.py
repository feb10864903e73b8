"""The state machine alone: no database."""

from __future__ import annotations

import pytest

from xuncha.inspections.models import RectificationStatus as S
from xuncha.workflow.transitions import (
    MeasureAction,
    TransitionError,
    evidence_is_changeable,
    measure_after,
    problem_status,
)


def test_long_term_reported_by_a_unit_is_a_request() -> None:
    assert measure_after(S.IN_PROGRESS, MeasureAction.REPORT, "long_term") == S.LONG_TERM_REVIEW


def test_a_confirmed_long_term_measure_stays_long_term_when_reported_again() -> None:
    assert measure_after(S.LONG_TERM, MeasureAction.REPORT, "long_term") == S.LONG_TERM


def test_confirming_a_long_term_request_makes_it_long_term_not_signed_off() -> None:
    assert measure_after(S.LONG_TERM_REVIEW, MeasureAction.APPROVE) == S.LONG_TERM
    assert measure_after(S.PENDING_REVIEW, MeasureAction.APPROVE) == S.SIGNED_OFF
    assert measure_after(S.LONG_TERM_REVIEW, MeasureAction.RETURN) == S.RETURNED


def test_no_progress_while_a_long_term_request_waits() -> None:
    with pytest.raises(TransitionError, match="长期坚持待确认"):
        measure_after(S.LONG_TERM_REVIEW, MeasureAction.REPORT, "in_progress")
    with pytest.raises(TransitionError):
        measure_after(S.LONG_TERM_REVIEW, MeasureAction.REPORT_DONE)


def test_evidence_changes_only_while_the_measure_is_open() -> None:
    assert evidence_is_changeable(S.IN_PROGRESS)
    assert evidence_is_changeable(S.RETURNED)
    for status in (S.PENDING_REVIEW, S.LONG_TERM_REVIEW, S.SIGNED_OFF):
        assert not evidence_is_changeable(status)


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        ([S.LONG_TERM_REVIEW], S.LONG_TERM_REVIEW),
        ([S.LONG_TERM_REVIEW, S.SIGNED_OFF], S.LONG_TERM_REVIEW),
        ([S.LONG_TERM_REVIEW, S.PENDING_REVIEW], S.PENDING_REVIEW),
        ([S.LONG_TERM_REVIEW, S.IN_PROGRESS], S.IN_PROGRESS),
        ([S.LONG_TERM_REVIEW, S.BASICALLY_DONE], S.BASICALLY_DONE),
        ([S.LONG_TERM, S.SIGNED_OFF], S.LONG_TERM),
        ([S.LONG_TERM_REVIEW, S.RETURNED], S.RETURNED),
    ],
)
def test_a_problem_with_a_long_term_request(measures: list[S], expected: S) -> None:
    assert problem_status(measures) == expected
