"""The replay of the history against current statuses, without a database."""

from __future__ import annotations

from xuncha.workflow.replay import Replay


def test_an_item_with_no_events_is_explained_in_its_initial_state() -> None:
    """How an imported problem starts: no event, 未启动, plan 草拟中."""
    replay = Replay()
    replay.check_problem(7, "not_started", "draft", [])
    assert replay.findings == []
    replay.check_problem(8, "signed_off", "draft", [])
    assert [str(f) for f in replay.findings] == [
        "反馈问题 #8：当前状态“已销号”，按操作记录及其整改措施应为“未启动”（状态在系统之外被改动）"
    ]


def test_any_event_that_records_its_changes_replays() -> None:
    """An action this module has never heard of (a long-term confirmation, say) replays from
    its `changes` alone."""
    replay = Replay()
    replay.apply(1, 7, 70, {"status": ["not_started", "in_progress"]})
    replay.apply(2, 7, 70, {"status": ["in_progress", "long_term"], "note": [None, "x"]})
    replay.check_measure(70, "long_term")
    replay.check_problem(7, "long_term", "draft", [70])
    assert replay.findings == []


def test_a_problem_status_set_by_an_event_on_the_problem_is_explained() -> None:
    replay = Replay()
    replay.apply(1, 7, None, {"status": [None, "signed_off"], "plan_state": [None, "approved"]})
    replay.check_problem(7, "signed_off", "approved", [])
    assert replay.findings == []


def test_an_event_whose_old_value_the_history_does_not_lead_to_is_named() -> None:
    replay = Replay()
    replay.apply(1, 7, 70, {"status": ["not_started", "in_progress"]})
    replay.apply(5, 7, 70, {"status": ["pending_review", "signed_off"]})
    assert [str(f) for f in replay.findings] == [
        "整改措施 #70（记录 #5）：此记录将状态由“已完成待验收”改为“已销号”，"
        "但按此前的记录应为“推进中”（其间在系统之外被改动）"
    ]


def test_a_round_event_has_nothing_to_replay() -> None:
    replay = Replay()
    replay.apply(1, None, None, {"plan_due_date": [None, "2024-01-31"]})
    assert replay.states == {} and replay.findings == []
